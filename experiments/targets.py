"""The stylized facts of docs/ODD.md (section 1, 'Patterns') as measurable targets, and how a parameter set is
measured against them. Calibration (experiments/calibrate.py), the validation report and the
pattern tests (tests/model/test_stylized_facts.py) all read the facts from here.

A target names the scenario it is observed in, what is measured and when, the observed value (a
point, or a band for Parkinson's 5-7 %), the tolerance that counts as a fit, and its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis.measures.outcomes import TEN_YEARS, outcomes
from experiments.paths import ROOT
from simulation import scenarios
from simulation.config import merge
from simulation.items import CUT

# the calibration in force, with its provenance (fit.png, fit.md, trials.csv beside it)
CALIBRATED = ROOT / "experiments" / "calibration" / "calibrated.yaml"


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    scenario: str
    low: float  # observed value, or the lower end of an observed band
    high: float  # = low for a point value
    tolerance: (
        float  # distance outside [low, high] still counted as a fit (pattern tests, loss unit)
    )
    source: str
    calibrated: bool  # True: the calibration fits it; False: held out, an out-of-sample check
    metric: str  # the outcome of analysis.measures.outcomes that measures it

    @property
    def value(self) -> float:
        return 0.5 * (self.low + self.high)

    def error(self, measured: float) -> float:
        """Signed distance from the observed band (0 inside it)."""
        if measured < self.low:
            return measured - self.low
        return max(0.0, measured - self.high)

    def fits(self, measured: float) -> bool:
        return bool(np.isfinite(measured)) and abs(self.error(measured)) <= self.tolerance


HEADLINE = "pressure_and_technology"
# Zhejiang: the reform was launched in early 2017; the 2017 figures come from the end-of-year
# survey (about month 12), the 2019 ones from December 2019 (about month 36). Monthly rates are
# averaged over the three months ending there, as analysis.measures.summary does.
TARGETS: tuple[Target, ...] = (
    Target(
        "realisation_12",
        "realisation rate ~12 months after launch (Zhejiang 2017)",
        HEADLINE,
        0.879,
        0.879,
        0.02,
        "source article (Li 2018), Zhejiang 2017",
        True,
        "realisation_12",
    ),
    Target(
        "satisfaction_12",
        "satisfaction rate ~12 months after launch (Zhejiang 2017)",
        HEADLINE,
        0.947,
        0.947,
        0.02,
        "source article (Li 2018), Zhejiang 2017",
        True,
        "satisfaction_12",
    ),
    Target(
        "realisation_36",
        "realisation rate ~36 months after launch (Zhejiang 2019)",
        HEADLINE,
        0.929,
        0.929,
        0.02,
        "China Daily, 2019-12-27",
        False,  # held out: predicted, not fitted
        "realisation_36",
    ),
    Target(
        "satisfaction_36",
        "satisfaction rate ~36 months after launch (Zhejiang 2019)",
        HEADLINE,
        0.971,
        0.971,
        0.02,
        "China Daily, 2019-12-27",
        False,  # held out: predicted, not fitted
        "satisfaction_36",
    ),
    Target(
        "staff_growth",
        "staff growth a year, no reform (status quo, 10 years after launch)",
        "status_quo",
        0.05,
        0.07,
        0.005,
        "Parkinson 1955: 5.17-6.56 % a year",
        True,
        "staff_growth_10y",
    ),
    Target(
        "items_cut_share_10y",
        "share of launch items cut within 10 years of internal reform",
        "internal_reform",
        0.693,
        0.693,
        0.10,
        "People's Daily 2012: 2,497 of 3,605 State Council items, 2002-2012",
        False,  # held out: predicted from a round's sourced size and the model's rhythm of rounds
        "items_cut_share_10y",
    ),
)
TARGET = {t.name: t for t in TARGETS}
MONTHS = {HEADLINE: 36, "status_quo": 120, "internal_reform": 120}  # months after launch to run


def scenario_config(name: str) -> dict[str, Any]:
    return scenarios.load(name)


def calibrated_values() -> dict[str, Any]:
    """The calibrated parameters (dotted keys) of the calibration in force; {} if none."""
    if not CALIBRATED.is_file():
        return {}
    return dict(yaml.safe_load(CALIBRATED.read_text(encoding="utf-8"))["parameters"])


def run_and_measure(config: Mapping[str, Any]) -> dict[str, float]:
    """Run one model (`config` nested, with scenario, seed and steps) and return its outcomes
    (analysis.measures.outcomes), the share of launch items cut within ten years included."""
    return run_and_record(config)[0]


def run_and_record(config: Mapping[str, Any]) -> tuple[dict[str, float], pd.DataFrame]:
    """The outcomes of one run (as run_and_measure) and its monthly series."""
    from simulation import ReformModel

    model = ReformModel(config)
    steps = model.params.steps
    model.run(0)  # the warm-up: the launch items are counted at month 0
    items = model.government.items
    alive = np.flatnonzero(items.status[: items.n] != CUT)
    before = items.cuts[alive].copy()
    model.run(min(TEN_YEARS, steps))
    share = float((items.cuts[alive] > before).mean()) if len(alive) else float("nan")
    if steps > TEN_YEARS:
        model.run(steps - TEN_YEARS)
    series = model.timeseries()
    return outcomes(series, share), series


def measure_run(scenario: str, config: Mapping[str, Any], seed: int) -> dict[str, float]:
    """The targets observed in `scenario`, for one seed."""
    full = merge(
        config, {"scenario": scenario_config(scenario), "seed": seed, "steps": MONTHS[scenario]}
    )
    measured = run_and_measure(full)
    return {t.name: measured[t.metric] for t in TARGETS if t.scenario == scenario}


def measure(
    config: Mapping[str, Any], seeds: Sequence[int], scenarios: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per seed, one column per target, for a parameter set (in-process, serial)."""
    wanted = scenarios or sorted({t.scenario for t in TARGETS})
    rows = []
    for seed in seeds:
        row: dict[str, float] = {"seed": seed}
        for scenario in wanted:
            row.update(measure_run(scenario, config, seed))
        rows.append(row)
    return pd.DataFrame(rows)


def loss(values: Mapping[str, float], targets: Sequence[Target] | None = None) -> float:
    """Sum of squared errors, each in units of its target's tolerance (0 inside every band)."""
    chosen = targets or [t for t in TARGETS if t.calibrated]
    total = 0.0
    for t in chosen:
        v = values.get(t.name, float("nan"))
        total += (t.error(v) / t.tolerance) ** 2 if np.isfinite(v) else 1e6
    return float(total)


def fit_table(per_seed: pd.DataFrame, targets: Sequence[Target] | None = None) -> pd.DataFrame:
    """Per target: observed, model mean with a 95 % interval over seeds, error and whether it fits."""
    rows = []
    for t in targets or TARGETS:
        if t.name not in per_seed:
            continue
        x = per_seed[t.name].dropna().to_numpy(float)
        mean = float(x.mean()) if len(x) else float("nan")
        half = 1.96 * float(x.std(ddof=1)) / np.sqrt(len(x)) if len(x) > 1 else float("nan")
        rows.append(
            {
                "target": t.name,
                "label": t.label,
                "scenario": t.scenario,
                "observed_low": t.low,
                "observed_high": t.high,
                "tolerance": t.tolerance,
                "model": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "error": t.error(mean),
                "fits": t.fits(mean),
                "calibrated": t.calibrated,
                "role": "fit" if t.calibrated else "holdout",
                "source": t.source,
                "seeds": len(x),
            }
        )
    return pd.DataFrame(rows)


def relative(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
