"""Statistics across replicates: bands, means with CIs, paired differences, and a word on when
there are too few replicates for the CI asked for.

- band: the median and the 10th-90th percentiles of the replicates (linear interpolation);
- mean CI: Student's t interval, mean +/- t_{(1+L)/2, n-1} * sd / sqrt(n), at level L, cut to the
  values the quantity can take (a share stays within 0-100 %);
- paired difference of scenario A against B: the same on d_k = A_k - B_k over the seeds k that
  both have (common random numbers make the pairs);
- too few: a t interval needs n >= 2; without assuming normality a level-L interval for a median
  needs 1 - 2 * 0.5^n >= L (n >= 6 for 95 %); below that the report says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # Student's t quantile; far lighter to import than scipy.stats

QUANTILES = (0.1, 0.5, 0.9)


@dataclass(frozen=True)
class Estimate:
    n: int
    mean: float
    lo: float  # CI of the mean
    hi: float
    median: float
    q10: float
    q90: float
    note: str | None = None  # why the CI is missing or weak

    @property
    def excludes_zero(self) -> bool:
        return bool(np.isfinite(self.lo) and (self.lo > 0 or self.hi < 0))


def minimum_replicates(level: float) -> int:
    """Smallest n for which a distribution-free level-`level` CI of a median exists."""
    return max(2, math.ceil(math.log2(2.0 / (1.0 - level)))) if 0 < level < 1 else 2


def adequacy(n: int, level: float) -> str | None:
    """None when n replicates carry the CI asked for; else a short warning."""
    if n == 0:
        return "no replicate has a value"
    if n == 1:
        return f"1 replicate: no {100 * level:.0f} % CI is possible"
    need = minimum_replicates(level)
    if n < need:
        return (
            f"only {n} replicates: the {100 * level:.0f} % CI leans on normality "
            f"(distribution-free needs {need})"
        )
    return None


def estimate(
    values: np.ndarray | pd.Series,
    level: float = 0.95,
    bounds: tuple[float, float] | None = None,
) -> Estimate:
    """Band and mean CI of the finite values. A quantity that can only lie within `bounds` (a
    share, a rebound ratio) gets its t interval cut to them: the mean of a share is a share."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        nan = float("nan")
        return Estimate(0, nan, nan, nan, nan, nan, nan, adequacy(0, level))
    q10, median, q90 = np.quantile(x, QUANTILES)
    mean = float(x.mean())
    lo = hi = float("nan")
    if n >= 2:
        half = float(stdtrit(n - 1, 0.5 + level / 2.0) * x.std(ddof=1) / math.sqrt(n))
        lo, hi = mean - half, mean + half
        if bounds is not None:
            lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return Estimate(n, mean, lo, hi, float(median), float(q10), float(q90), adequacy(n, level))


def paired_difference(a: pd.Series, b: pd.Series, level: float = 0.95) -> Estimate:
    """Estimate of a - b over the seeds (index) both have, with finite values on both sides."""
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
    return estimate((both["a"] - both["b"]).to_numpy(), level)


def describe(
    runs: pd.DataFrame,
    metrics: list[str],
    level: float = 0.95,
    bounds: dict[str, tuple[float, float] | None] | None = None,
) -> dict[tuple[str, str], Estimate]:
    """(scenario, metric) -> Estimate over the replicates of `runs` (one row per run); `bounds`:
    metric -> the values it can take."""
    bounds = bounds or {}
    return {
        (s, m): estimate(g[m], level, bounds.get(m))
        for s, g in runs.groupby("scenario", sort=False)
        for m in metrics
    }


def differences(
    runs: pd.DataFrame, baseline: str, metrics: list[str], level: float = 0.95
) -> dict[tuple[str, str], Estimate]:
    """(scenario, metric) -> paired difference scenario - baseline, for every other scenario."""
    if baseline not in set(runs["scenario"]):
        return {}
    others = [s for s in runs["scenario"].unique() if s != baseline]
    out = {}
    for m in metrics:
        wide = runs.pivot(
            index="seed", columns="scenario", values=m
        )  # one run per (seed, scenario)
        for s in others:
            out[(s, m)] = estimate((wide[s] - wide[baseline]).to_numpy(), level)
    return {(s, m): out[(s, m)] for s in others for m in metrics}


def bands(results: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per scenario and month: the 10th, 50th and 90th percentile of each column over replicates."""
    grouped = results.groupby(["scenario", "step"], sort=True)[columns]
    q = grouped.quantile(list(QUANTILES))
    q.index = q.index.set_names(["scenario", "step", "q"])
    return q.unstack("q")
