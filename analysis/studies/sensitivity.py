"""Global sensitivity analysis with SALib: Morris elementary effects to screen many parameters,
then Sobol indices (first and total order, with bootstrap confidence intervals) for the most
influential ones.

A factor is a model parameter (dotted key of simulation/parameters.py) varied uniformly over the
plausible range the parameter table documents next to it (`plausible=`), kept inside the range where
the model is defined. Every parameter whose origin is "assumed" or "calibrated" is screened; a
whole-number parameter is rounded when a run is made. Outcomes are those of
analysis.measures.outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from simulation.parameters import BOUNDS, ENTRIES, plausible_ranges

SCREENED_ORIGINS = ("assumed", "calibrated")


def screened() -> list[str]:
    """Every parameter the screening varies: each assumed or calibrated number of the table."""
    return list(plausible_ranges(SCREENED_ORIGINS))


@dataclass(frozen=True)
class Factor:
    name: str
    low: float
    high: float
    whole: bool = False  # a whole-number parameter: runs take the value rounded


def allowed(dotted: str) -> tuple[float, float]:
    """The range the parameter table allows for a key (as simulation.config checks it)."""
    bound = BOUNDS[dotted]
    return (bound.low, bound.high)


def plausible_factors(names: Sequence[str]) -> list[Factor]:
    """Each parameter over its documented plausible range, within the range the table allows."""
    ranges = plausible_ranges(SCREENED_ORIGINS)
    out = []
    for name in names:
        if name not in ranges:
            raise ValueError(f"{name}: has no plausible range in simulation/parameters.py")
        low, high = allowed(name)
        a, b = max(low, ranges[name][0]), min(high, ranges[name][1])
        if not a < b:
            raise ValueError(f"{name}: its plausible range {ranges[name]} is empty")
        out.append(Factor(name, float(a), float(b), ENTRIES[name].type in (int, "int")))
    return out


def run_value(factor: Factor, x: float) -> float | int:
    """The value a run takes for a design point (whole-number parameters rounded)."""
    return int(round(x)) if factor.whole else float(x)


def problem(factors: Sequence[Factor]) -> dict[str, Any]:
    return {
        "num_vars": len(factors),
        "names": [f.name for f in factors],
        "bounds": [[f.low, f.high] for f in factors],
    }


def morris_design(
    factors: Sequence[Factor], trajectories: int, seed: int, levels: int = 4
) -> np.ndarray:
    """The Morris sample: trajectories x (factors + 1) points."""
    return morris_sample.sample(problem(factors), N=trajectories, num_levels=levels, seed=seed)


def sobol_design(factors: Sequence[Factor], n: int, seed: int) -> np.ndarray:
    """Saltelli's sample for first and total order indices: n x (factors + 2) points."""
    return sobol_sample.sample(problem(factors), n, calc_second_order=False, seed=seed)


def filled(y: np.ndarray) -> tuple[np.ndarray, int]:
    """Outcome values with undefined ones (NaN) set to the mean of the others; how many there were."""
    y = np.asarray(y, dtype=float)
    bad = ~np.isfinite(y)
    if bad.all():
        return np.zeros_like(y), int(bad.sum())
    return np.where(bad, np.nanmean(np.where(bad, np.nan, y)), y), int(bad.sum())


def morris_indices(
    factors: Sequence[Factor],
    x: np.ndarray,
    outcomes: Mapping[str, np.ndarray],
    seed: int,
    levels: int = 4,
) -> pd.DataFrame:
    """One row per outcome x factor: mu*, its confidence half-width, sigma, and mu* scaled so
    that the outcome's most influential factor has 1."""
    rows = []
    for outcome, y in outcomes.items():
        values, undefined = filled(y)
        res = morris_analyze.analyze(problem(factors), x, values, num_levels=levels, seed=seed)
        top = max(float(np.nanmax(res["mu_star"])), 1e-12)
        for i, f in enumerate(factors):
            rows.append(
                {
                    "outcome": outcome,
                    "factor": f.name,
                    "mu_star": float(res["mu_star"][i]),
                    "mu_star_conf": float(res["mu_star_conf"][i]),
                    "sigma": float(res["sigma"][i]),
                    "mu_star_scaled": float(res["mu_star"][i]) / top,
                    "undefined_runs": undefined,
                }
            )
    return pd.DataFrame(rows)


def most_influential(morris: pd.DataFrame, count: int) -> list[str]:
    """The `count` factors with the largest scaled mu* on any outcome (ties: larger mean)."""
    by_factor = morris.groupby("factor")["mu_star_scaled"].agg(["max", "mean"])
    return list(by_factor.sort_values(["max", "mean"], ascending=False).index[:count])


def sobol_indices(
    factors: Sequence[Factor], outcomes: Mapping[str, np.ndarray], seed: int, level: float = 0.95
) -> pd.DataFrame:
    """One row per outcome x factor: S1 and ST with their bootstrap confidence half-widths (all 0
    for an outcome that does not vary)."""
    rows = []
    keys = ("S1", "S1_conf", "ST", "ST_conf")
    for outcome, y in outcomes.items():
        values, undefined = filled(y)
        if float(np.ptp(values)) == 0.0:
            res = {k: np.zeros(len(factors)) for k in keys}
        else:
            res = sobol_analyze.analyze(
                problem(factors), values, calc_second_order=False, conf_level=level, seed=seed
            )
        for i, f in enumerate(factors):
            row = {"outcome": outcome, "factor": f.name, **{k: float(res[k][i]) for k in keys}}
            row.update(undefined_runs=undefined, output_sd=float(np.std(values)))
            rows.append(row)
    return pd.DataFrame(rows)
