"""Regrowth metrics on one monthly series (docs/ODD.md, section 4 'Observation'): cuts, rebound ratio, cut-regrow
cycles, half-life of a cut, net change.

Cuts. The series is read as alternating swings (a zig-zag): a peak is confirmed once the level has
fallen from it by at least `min_share` of the peak; the trough that follows is the lowest level
before the series rises again by at least `min_share` of the trough (or the series ends). Each
peak -> trough swing is one cut, of size S = P - T (P the level at the peak, T at the trough).
Wiggles smaller than `min_share` neither start nor end a cut, so a cut carried out over several
months counts once, and monthly noise is not a cut.

For one cut with its trough at month t_T and a horizon of H months:
- rebound ratio   R = min(1, (max{x_t : t_T < t <= min(t_T + H, t_end)} - T) / S), the share of
  the cut that came back within H months: 0 nothing came back, 1 all of it (or more). A cut that
  the run follows for less than H/2 months (t_end - t_T < H/2) is *censored*: it has no rebound
  ratio, because too little of its horizon was seen. (A cut followed for between H/2 and H months
  is measured over what was seen, which can only understate its rebound.)
- half-life       the months from t_T until x_t >= T + S/2 for the first time, anywhere in the rest
  of the run; none if that never happens.
- cycle           a cut of which at least half came back within H months (half-life <= H).

For a whole run: rebound = size-weighted mean of R over uncensored cuts (none if there is none);
cycles = number of cycles; half-life = median over the cuts that half came back (none if none did);
net change = (x_end - x_0) / x_0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_SHARE = 0.05  # a fall of less than 5 % of the level is noise, not a cut


@dataclass(frozen=True)
class Cut:
    start: int  # index of the peak
    trough: int  # index of the trough
    size: float
    rebound: float | None  # None when censored (less than horizon/2 months after the trough)
    half_life: float | None  # None when half of the cut never came back
    horizon: int = 60

    @property
    def cycle(self) -> bool:
        return self.half_life is not None and self.half_life <= self.horizon


def default_horizon(months: int) -> int:
    """The horizon used when none is given: 60 months (one campaign interval), but at most half
    of a shorter run, so that early cuts of a short run can still be followed."""
    return int(max(6, min(60, months // 2)))


def swings(values: np.ndarray, min_share: float = MIN_SHARE) -> list[tuple[int, int]]:
    """(peak, trough) index pairs of every fall of at least `min_share` of its peak."""
    x = np.asarray(values, dtype=float)
    pairs: list[tuple[int, int]] = []
    if len(x) < 2:
        return pairs
    peak, trough, falling = 0, 0, False
    for i in range(1, len(x)):
        if not falling:
            if x[i] >= x[peak]:
                peak = i
            elif x[peak] - x[i] >= max(min_share * abs(x[peak]), 1e-12):
                falling, trough = True, i
        elif x[i] < x[trough]:
            trough = i
        elif x[i] - x[trough] >= max(min_share * abs(x[trough]), 1e-12):
            pairs.append((peak, trough))
            falling, peak = False, i
    if falling:
        pairs.append((peak, trough))
    return pairs


def find_cuts(values: np.ndarray, horizon: int = 60, min_share: float = MIN_SHARE) -> list[Cut]:
    """Every cut in `values` with what came back of it (see the module docstring)."""
    x = np.asarray(values, dtype=float)
    return [_measure(x, peak, trough, horizon) for peak, trough in swings(x, min_share)]


def _measure(x: np.ndarray, peak: int, trough: int, horizon: int) -> Cut:
    size = float(x[peak] - x[trough])
    after = x[trough + 1 :]
    window = after[:horizon]
    rebound = None
    if len(window) >= horizon / 2.0 and len(window):
        rebound = float(np.clip((window.max() - x[trough]) / size, 0.0, 1.0))
    reached = np.flatnonzero(after >= x[trough] + size / 2.0)
    half = float(reached[0] + 1) if len(reached) else None
    return Cut(peak, trough, size, rebound, half, horizon)


def rebound_ratio(values: np.ndarray, horizon: int = 60, min_share: float = MIN_SHARE) -> float:
    """Size-weighted mean rebound ratio of the uncensored cuts (NaN when there is none)."""
    cuts = [c for c in find_cuts(values, horizon, min_share) if c.rebound is not None]
    if not cuts:
        return float("nan")
    sizes = np.array([c.size for c in cuts])
    return float(np.sum(sizes * np.array([c.rebound for c in cuts])) / sizes.sum())


def cycles(values: np.ndarray, horizon: int = 60, min_share: float = MIN_SHARE) -> int:
    """Cuts of which at least half came back within `horizon` months."""
    return sum(c.cycle for c in find_cuts(values, horizon, min_share))


def half_life(values: np.ndarray, horizon: int = 60, min_share: float = MIN_SHARE) -> float:
    """Median months for half of a cut to come back, over cuts that got there (NaN if none)."""
    lives = [c.half_life for c in find_cuts(values, horizon, min_share) if c.half_life is not None]
    return float(np.median(lives)) if lives else float("nan")


def net_change(values: np.ndarray) -> float:
    """Last value minus first, as a share of the first (NaN when the first is 0)."""
    x = np.asarray(values, dtype=float)
    return float((x[-1] - x[0]) / x[0]) if len(x) and x[0] else float("nan")


def regrowth_metrics(
    values: np.ndarray, horizon: int = 60, min_share: float = MIN_SHARE
) -> dict[str, float]:
    """All regrowth metrics of one series, NaN where a metric is undefined."""
    cuts = find_cuts(values, horizon, min_share)
    measured = [c for c in cuts if c.rebound is not None]
    sizes = np.array([c.size for c in measured])
    lives = [c.half_life for c in cuts if c.half_life is not None]
    return {
        "cuts": float(len(cuts)),
        "rebound": float(sizes @ np.array([c.rebound for c in measured]) / sizes.sum())
        if measured
        else np.nan,
        "cycles": float(sum(c.cycle for c in cuts)),
        "half_life": float(np.median(lives)) if lives else np.nan,
        "net_change": net_change(values),
    }
