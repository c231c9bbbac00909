"""The phase diagram's two axes as settings of existing parameters, and the diagram's table.

Pressure strength s (0 = none, 1 = the parameter table, 2 = twice as strong) multiplies what the
outside and top-down watchers can do to a bureau: the weights that turn complaints, rankings,
target shortfall, visible delay and exposures into felt pressure
(`supervision.weight_complaints`, `weight_ranking`, `weight_target`, `weight_delay`,
`weight_exposure`) and how many matters they observe (`supervision.survey_sample`, and
`complaint_followup`, a share capped at 1). What an observation can reveal (traceability) is a
property of the records, set by technology, and the government's own reading of self-reports
(`internal_scrutiny`) is not scaled: s = 0 leaves internal reform with technology.

Technology level L is the technology level reached 36 months after the launch. It is set through
the platform programme's investment (`scenario.institutions.technology_growth`), found by bisection
on the technology trajectory of simulation.mechanisms.technology; the lowest reachable level is
the one without any investment (baseline growth only).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from simulation.mechanisms.technology import Technology
from simulation.parameters import TechnologyParams

PRESSURE_WEIGHTS = (
    "weight_complaints",
    "weight_ranking",
    "weight_target",
    "weight_delay",
    "weight_exposure",
)
PRESSURE_CHANCES = ("complaint_followup", "survey_sample")  # how much the watchers observe
CAPPED = ("complaint_followup",)  # shares
PRESSURE = "pressure_strength"
TECHNOLOGY = "technology_level"
LEVEL_MONTH = 36  # months after the launch at which the technology level is read
MAX_INVESTMENT = 1.0


def pressure_overrides(strength: float, params: Mapping[str, Any]) -> dict[str, float]:
    """Dotted keys -> values that scale outside and top-down pressure by `strength`."""
    sp = params["supervision"]
    out = {}
    for key in PRESSURE_WEIGHTS + PRESSURE_CHANCES:
        value = sp[key] * strength
        if key in CAPPED:
            value = min(1.0, value)
        out[f"supervision.{key}"] = round(value) if isinstance(sp[key], int) else value
    return out


def level_reached(investment: float, params: Mapping[str, Any]) -> float:
    """Technology level `LEVEL_MONTH` months after the launch for a given investment."""
    tech = Technology(TechnologyParams(**params["technology"]))
    for _ in range(params["warmup"]):
        tech.step()
    tech.investment = investment
    for _ in range(LEVEL_MONTH):
        tech.step()
    return float(tech.level)


def level_range(params: Mapping[str, Any]) -> tuple[float, float]:
    return level_reached(0.0, params), level_reached(MAX_INVESTMENT, params)


def investment_for(level: float, params: Mapping[str, Any]) -> float:
    """The investment that brings technology to `level` at month `LEVEL_MONTH` (bisection)."""
    low, high = level_range(params)
    if not low - 1e-3 <= level <= high + 1e-3:  # grid values are rounded to 4 decimals
        raise ValueError(
            f"{TECHNOLOGY}: {level:g} is outside what investment can reach ({low:.3f}-{high:.3f})"
        )
    if level <= low:
        return 0.0
    a, b = 0.0, MAX_INVESTMENT
    for _ in range(60):
        mid = 0.5 * (a + b)
        a, b = (mid, b) if level_reached(mid, params) < level else (a, mid)
    return 0.5 * (a + b)


def technology_overrides(level: float, params: Mapping[str, Any]) -> dict[str, float]:
    return {"scenario.institutions.technology_growth": investment_for(level, params)}


def overrides(point: Mapping[str, float], params: Mapping[str, Any]) -> dict[str, float]:
    """Model overrides (dotted keys) for a point whose keys are parameters or the two axes."""
    out: dict[str, float] = {}
    for key, value in point.items():
        if key == PRESSURE:
            out.update(pressure_overrides(value, params))
        elif key == TECHNOLOGY:
            out.update(technology_overrides(value, params))
        else:
            out[key] = float(value)
    return out


def grid(
    size: int, params: Mapping[str, Any], max_pressure: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """Pressure strengths 0 .. `max_pressure`, quadratically spaced (denser near 0, where regrowth
    turns), and technology levels evenly from the lowest to 0.95 of the reachable range."""
    pressures = max_pressure * np.linspace(0.0, 1.0, size) ** 2
    low, high = level_range(params)
    levels = np.linspace(low, low + 0.95 * (high - low), size)
    return np.round(pressures, 4), np.round(levels, 4)


def with_scenario(params: Mapping[str, Any], scenario: Mapping[str, Any]) -> dict[str, Any]:
    """`params` with the scenario block replaced (the level mapping reads the scenario's start)."""
    out = copy.deepcopy(dict(params))
    out["scenario"] = copy.deepcopy(dict(scenario))
    return out


def phase_table(points: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Cell means and replicate counts over seeds: one row per (pressure, technology) cell."""
    agg = points.groupby([PRESSURE, TECHNOLOGY])[outcomes].agg(["mean", "std", "count"])
    agg.columns = [f"{o}_{s}" for o, s in agg.columns]
    return agg.reset_index()


def regrowth_stops(table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Per pressure strength, the lowest technology level at which both rebound ratios stay
    below `threshold` (NaN if none does)."""
    ok = (table["items_rebound_mean"] < threshold) & (table["agencies_rebound_mean"] < threshold)
    rows = []
    for p, part in table.assign(ok=ok).groupby(PRESSURE):
        good = part.loc[part["ok"], TECHNOLOGY]
        rows.append(
            {PRESSURE: p, "lowest_technology_level": float(good.min()) if len(good) else np.nan}
        )
    return pd.DataFrame(rows)
