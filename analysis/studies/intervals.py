"""A verdict's share of worlds holding, with its interval, judged against the robust line
(DESIGN.md section 9.4): robust only when the whole Wilson 95 % interval lies at or above the
line, fragile when all of it lies below, undetermined when it straddles the line (more worlds
would tell). Imports nothing of the project: analysis.robustness and the reports read it.
"""

from __future__ import annotations

import numpy as np

from analysis.measures.thresholds import ROBUST_SHARE

ROBUST, FRAGILE, UNDETERMINED = "robust", "fragile", "undetermined"
NOT_ASSESSED = "not assessed"
Z95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval


def wilson(holding: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share holding/n (NaN, NaN without draws)."""
    if n <= 0:
        return float("nan"), float("nan")
    p = holding / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # the interval always holds the share itself (rounding can leave 1.0 just outside at p = 1)
    return float(max(0.0, min(p, centre - half))), float(min(1.0, max(p, centre + half)))


def label(low: float, high: float, robust_share: float = ROBUST_SHARE) -> str:
    """Robust when the whole interval lies at or above the robust line, fragile when all of it
    lies below, undetermined when it straddles the line."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return NOT_ASSESSED
    if low >= robust_share:
        return ROBUST
    return FRAGILE if high < robust_share else UNDETERMINED
