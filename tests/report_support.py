"""Made-up runs for report tests: one shape of series with the levels and paper share a test
asks for, so every report test reads the same kind of sweep."""

from __future__ import annotations

import numpy as np
import pandas as pd


def made_up_run(
    scenario: str,
    seed: int,
    level_after: float | None,
    paper: float = 0.0,
    *,
    months: int,
    warmup: int,
    informal_per_paper: float = 0.0,
) -> pd.DataFrame:
    """Items, agencies and staff cut by half at month 2; by month 14 they are back to
    `level_after` (1 = all came back, 0.5 = stayed at the cut; None = never cut: flat) and stay
    there. A share `paper` of the cut is made only on paper, and records report that much more
    realisation; `informal_per_paper` informal pre-visits per matter per unit of `paper`."""
    steps = np.arange(-warmup, months + 1)
    if level_after is None:
        shape = np.ones(len(steps))
    else:
        shape = np.where(steps < 2, 1.0, np.interp(steps, [2, 14], [0.5, level_after]))
    noise = 1 + np.random.default_rng(seed).uniform(-0.005, 0.005, len(steps))
    cut = 0 if level_after is None else 500
    df = pd.DataFrame(
        {
            "step": steps,
            "items_open": np.round(1000 * shape * noise),
            "items_hidden": 0.0,
            "agencies": 100 * shape,
            "staff": 5000 * shape * noise,
            "matters": 200,
            "complaints": 2,
            "trips_mean": 3.0 * shape,
            "realisation_rate": 0.3 + 0.4 * (1 - shape),
            "realisation_rate_reported": 0.3 + 0.4 * (1 - shape) + 0.3 * paper,
            "informal_visits": informal_per_paper * paper,
            "items_cut": np.where(steps == 2, cut, 0),
            "items_relabelled": np.where(steps == 2, round(cut * paper), 0),
            "staff_off_quota": 0.0,
            "staff_utilisation": 0.8,
            "agencies_founded": 0,
            "agencies_abolished": 0,
            "satisfaction_rate": 0.7,
            "waiting_days": 5.0,
            "face_to_face": 2.0,
            "cascade_process": (steps == 1).astype(int),
            "cascade_organisational": (steps == 2).astype(int),
            "cascade_functional": (steps == 3).astype(int),
        }
    )
    return df.assign(run_id=f"{scenario}/seed{seed}", scenario=scenario, seed=seed)


def untranslated(texts: set) -> list:
    """The texts the Chinese catalogue has no translation for: a text is a message, or a
    (msgctxt, message) pair for a name of a kind ("institution", "origin", ...)."""
    from simulation import i18n

    _ = i18n.Words("zh")

    def missing(text) -> bool:
        if isinstance(text, tuple):  # a name may stay as it is ('logit'), but must be listed
            return "\x04".join(text) not in _.catalogue._catalog
        return _(text) == text

    return sorted((t for t in texts if missing(t)), key=str)


def placeholders_lost(texts: set[str]) -> list[str]:
    """The texts whose Chinese translation lacks or adds a placeholder ({x}, %(x)s or %%)."""
    import re

    from simulation import i18n

    _ = i18n.Words("zh")

    def marks(text: str) -> tuple:
        return (
            set(re.findall(r"\{(\w+)\}", text)),
            set(re.findall(r"%\((\w+)\)s", text)),
            text.count("%%"),
        )

    return [m for m in sorted(texts) if marks(_(m)) != marks(m)]


# a sweep's made-up levels: the share of a cut that is back by month 14 (1: all of it); None:
# never cut
LEVELS = {
    "status_quo": None,
    "internal_reform": 1.0,
    "top_down_pressure": 0.65,
    "public_pressure": 0.8,
    "technology_only": 0.8,
    "public_pressure_and_technology": 0.5,
    "pressure_and_technology": 0.5,
}
