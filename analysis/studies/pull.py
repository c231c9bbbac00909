"""One parameter at a time over its plausible range: how far a single assumed number pulls an
outcome, the others held at the parameter table's values (issue 25: "report the split rate's
pull").

Sensitivity indices rank parameters inside a joint sample; a reader asking "does the agency verdict
rest on the split rate?" wants the plain answer: over the range the rate may take, agency rebound
under `pressure_and_technology` goes from this to that. A pull is that spread, with the interval
over replicates at each level, per scenario, so the scenarios' difference can be read beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.measures.outcomes import OUTCOMES, interval_bounds
from analysis.measures.stats import estimate
from analysis.studies.sensitivity import Factor, run_value
from simulation import outputs

FACTOR, LEVEL, VALUE = "factor", "level", "value"
# the outcomes whose pull the report tables (simulation/outputs.py, place "pulled"), and the one
# it says in words: whether agencies come back is what the split rate was suspected of deciding
PULLED = tuple(o.name for o in outputs.of_study("validation") if "pulled" in o.shown)
SAID = "agencies_rebound"


def levels(factor: Factor, n: int) -> list[float | int]:
    """`n` evenly spaced values over the factor's plausible range, ends included (whole-number
    parameters rounded, repeated values dropped)."""
    values = [run_value(factor, x) for x in np.linspace(factor.low, factor.high, n)]
    return list(dict.fromkeys(values))


def pull_table(runs: pd.DataFrame, outcomes: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Per factor, value, scenario and outcome: the mean over replicates with its interval.
    `runs`: one row per run with `factor`, `value`, `scenario` and the outcomes."""
    rows = []
    keys = [FACTOR, VALUE, "scenario"]
    for (factor, value, scenario), part in runs.groupby(keys, sort=False):
        for outcome in outcomes:
            if outcome not in part:
                continue
            est = estimate(part[outcome], level, bounds=interval_bounds(OUTCOMES[outcome]))
            rows.append(
                {
                    FACTOR: factor,
                    VALUE: float(value),
                    "scenario": scenario,
                    "outcome": outcome,
                    "n": est.n,
                    "mean": est.mean,
                    "low": est.lo,
                    "high": est.hi,
                }
            )
    return pd.DataFrame(rows, columns=[*keys, "outcome", "n", "mean", "low", "high"])


def spreads(table: pd.DataFrame) -> pd.DataFrame:
    """Per factor, scenario and outcome: the lowest and highest mean over the factor's levels, the
    values they come at, and the spread between them (the pull)."""
    rows = []
    for (factor, scenario, outcome), part in table.groupby(
        [FACTOR, "scenario", "outcome"], sort=False
    ):
        part = part[np.isfinite(part["mean"].to_numpy(float))]
        if part.empty:
            continue
        lo, hi = part.loc[part["mean"].idxmin()], part.loc[part["mean"].idxmax()]
        rows.append(
            {
                FACTOR: factor,
                "scenario": scenario,
                "outcome": outcome,
                "lowest": float(lo["mean"]),
                "at_value": float(lo[VALUE]),
                "highest": float(hi["mean"]),
                "at_value_high": float(hi[VALUE]),
                "range_low": float(part[VALUE].min()),
                "range_high": float(part[VALUE].max()),
                "spread": float(hi["mean"] - lo["mean"]),
            }
        )
    return pd.DataFrame(rows)
