"""Regrowth metrics on a series (DESIGN.md section 6): rebound ratio, cycles, net change, half-life.

A *cut* is a run of months in which the series falls, from a peak P (the level before the fall)
to a trough T (the lowest level of the run), of size S = P - T. Within a horizon of H months after
the trough:
- rebound ratio  R = (max level in (t_T, t_T + H] - T) / S   (0: nothing came back; 1: all of it)
- half-life      the months from the trough until the level first reaches T + S / 2 (None if never)
- a cut-regrow cycle is a cut whose rebound ratio reaches 0.5.
Cuts smaller than `min_share` of the peak are noise and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Cut:
    start: int  # index of the peak
    trough: int  # index of the trough
    size: float
    rebound: float
    half_life: float | None


def find_cuts(values: np.ndarray, horizon: int = 60, min_share: float = 0.05) -> list[Cut]:
    """Every significant fall in `values` with what came back of it within `horizon` steps."""
    values = np.asarray(values, dtype=float)
    cuts: list[Cut] = []
    i, n = 0, len(values)
    while i < n - 1:
        if values[i + 1] >= values[i]:
            i += 1
            continue
        peak = i
        j = i + 1
        while j + 1 < n and values[j + 1] <= values[j]:
            j += 1
        size = values[peak] - values[j]
        if size > min_share * max(abs(values[peak]), 1e-12):
            cuts.append(_measure(values, peak, j, size, horizon))
        i = j
    return cuts


def _measure(values: np.ndarray, peak: int, trough: int, size: float, horizon: int) -> Cut:
    after = values[trough + 1 : trough + 1 + horizon]
    back = (after.max() - values[trough]) / size if len(after) else 0.0
    reached = np.flatnonzero(after >= values[trough] + size / 2.0)
    half = float(reached[0] + 1) if len(reached) else None
    return Cut(peak, trough, float(size), float(max(back, 0.0)), half)


def rebound_ratio(values: np.ndarray, horizon: int = 60, min_share: float = 0.05) -> float:
    """Size-weighted mean rebound ratio of all cuts (NaN when there was no cut)."""
    cuts = find_cuts(values, horizon, min_share)
    if not cuts:
        return float("nan")
    sizes = np.array([c.size for c in cuts])
    return float(np.sum(sizes * np.array([c.rebound for c in cuts])) / sizes.sum())


def cycles(values: np.ndarray, horizon: int = 60, min_share: float = 0.05) -> int:
    """Cuts followed by the return of at least half of what was cut."""
    return sum(c.rebound >= 0.5 for c in find_cuts(values, horizon, min_share))


def half_life(values: np.ndarray, horizon: int = 60, min_share: float = 0.05) -> float | None:
    """Median half-life over cuts that got half back (None if none did)."""
    lives = [c.half_life for c in find_cuts(values, horizon, min_share) if c.half_life is not None]
    return float(np.median(lives)) if lives else None


def net_change(values: np.ndarray) -> float:
    """Last value minus first, as a share of the first."""
    values = np.asarray(values, dtype=float)
    return float((values[-1] - values[0]) / values[0]) if len(values) and values[0] else float("nan")


def regrowth_metrics(values: np.ndarray, horizon: int = 60, min_share: float = 0.05) -> dict[str, float | int | None]:
    return {
        "rebound": rebound_ratio(values, horizon, min_share),
        "cycles": cycles(values, horizon, min_share),
        "half_life": half_life(values, horizon, min_share),
        "net_change": net_change(values),
    }
