"""Regrowth as the record measures it (DESIGN 9.3): the record counts bodies and items before and
after each reform round and between rounds, so these measures do the same on one monthly series
x_0 .. x_end (month 0 = the launch).

Rounds. A round starts in the first month of each run of campaign months (the time series'
`campaign` column); a series without one takes the start of each cut of
analysis.measures.regrowth (a fall of at least 5 % of its peak). For round k starting at month s:
- peak      P = x_{s-1}, the level the month before the round (x_0 for a round at the launch);
- trough    T = the level where the fall that starts at the peak stops, i.e. the last month of the
            run of months (from the peak on, before the next round) in which the series does not
            rise;
- depth     (P - T) / P, the share cut (0 for a round that cut nothing);
- until     the month before the next round starts, or the last month of the run;
- recovered min(1, (max{x_t : T's month < t <= until} - T) / (P - T)), the share of the cut back by
            the next round (or by the end). A fall that never comes back recovers 0: it *stayed
            down*, which is never NaN; only a round that cut nothing has no recovered share;
- growth    (x_until / T) ** (12 / months) - 1, the compound growth a year from the trough to the
            next round's start (the last round's: to the end), over stretches of 12 months or more.

Trend. `trend_annual` is the compound growth a year the quantity had before the reform (over the
warm-up, months <= 0, when no round runs): the growth that would be there without any cut,
projected forward. The return of what was cut is kept apart from it:
- growth beyond trend = growth between rounds - trend: 0 when the quantity only grew back at the
  pace it grew before; with no round at all, "between rounds" is the whole run from the launch, so
  a series that keeps its warm-up growth and is never cut has 0.

Ten years. `items_cut_share_10y`: items cut in months 1-120 (the `items_cut` column, real and
paper cuts; an item cut twice counts twice, so it is an upper bound, capped at 1) over the items at
the launch; without that column, the cumulative fall of the stock (the sum of its monthly falls).
`stock_left_10y`: x_120 / x_0. Both NaN for a run shorter than ten years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.measures.regrowth import swings

TEN_YEARS = 120  # months
MIN_STRETCH = 12  # months: growth between rounds over a shorter stretch is not a year's growth


@dataclass(frozen=True)
class Round:
    start: int  # index of the round's first month
    peak: int  # index of the level before the round
    trough: int  # index where its fall stopped
    until: int  # index of the last month before the next round (or of the run)
    depth: float  # share cut, peak to trough
    recovered: float | None  # share of the cut back by `until`: 0 stayed down; None: nothing cut
    growth: float | None  # a year, trough to `until`; None over less than MIN_STRETCH months

    @property
    def stayed_down(self) -> bool:
        return self.recovered == 0.0


def round_starts(campaign: np.ndarray | None, values: np.ndarray) -> list[int]:
    """The first month of each run of campaign months; without campaign flags (None or all NaN),
    the first month of each cut the series shows."""
    flags = None if campaign is None else np.asarray(campaign, dtype=float)
    if flags is None or np.isnan(flags).all():
        return [peak + 1 for peak, _ in swings(np.asarray(values, dtype=float))]
    on = np.nan_to_num(flags) > 0
    return [int(i) for i in np.flatnonzero(on) if i == 0 or not on[i - 1]]


def find_rounds(values: np.ndarray, starts: list[int]) -> list[Round]:
    """Every round of `values` (see the module docstring) from the rounds' first months."""
    x = np.asarray(values, dtype=float)
    ends = [s - 1 for s in starts[1:]] + [len(x) - 1]
    return [_round(x, s, until) for s, until in zip(starts, ends) if s < len(x)]


def _round(x: np.ndarray, start: int, until: int) -> Round:
    peak = max(start - 1, 0)
    until = max(until, peak)
    trough = peak
    while trough < until and x[trough + 1] <= x[trough]:
        trough += 1
    size = x[peak] - x[trough]
    depth = float(size / x[peak]) if x[peak] > 0 else 0.0
    recovered = None
    if size > 0:
        after = x[trough + 1 : until + 1]
        back = (after.max() - x[trough]) / size if len(after) else 0.0
        recovered = float(np.clip(back, 0.0, 1.0))
    months = until - trough
    growth = (
        float((x[until] / x[trough]) ** (12.0 / months) - 1.0)
        if months >= MIN_STRETCH and x[trough] > 0
        else None
    )
    return Round(start, peak, trough, until, depth, recovered, growth)


def trend_annual(warmup: np.ndarray) -> float:
    """Compound growth a year over the warm-up (NaN with less than a year of it)."""
    w = np.asarray(warmup, dtype=float)
    if len(w) <= MIN_STRETCH or w[0] <= 0:
        return math.nan
    return float((w[-1] / w[0]) ** (12.0 / (len(w) - 1)) - 1.0)


def whole_run_growth(values: np.ndarray) -> float:
    """Compound growth a year from the launch to the end (NaN over less than a year)."""
    return trend_annual(values)


def round_metrics(values: np.ndarray, starts: list[int], warmup: np.ndarray) -> dict[str, float]:
    """One quantity's round measures for a run: mean depth, growth between rounds, the share of
    the cuts recovered (size-weighted; 0 when every cut stayed down, NaN only when no round cut
    anything), the warm-up trend and the growth beyond it."""
    x = np.asarray(values, dtype=float)
    rounds = find_rounds(x, starts)
    cut = [r for r in rounds if r.recovered is not None]
    sizes = np.array([x[r.peak] - x[r.trough] for r in cut])
    growths = [r.growth for r in rounds if r.growth is not None]
    if rounds:
        growth = float(np.mean(growths)) if growths else math.nan
    else:  # nothing interrupted the run: its growth is "between rounds"
        growth = whole_run_growth(x)
    trend = trend_annual(warmup)
    return {
        "round_depth_mean": float(np.mean([r.depth for r in rounds])) if rounds else math.nan,
        "growth_between_rounds": growth,
        "recovered_share": float(sizes @ np.array([r.recovered for r in cut]) / sizes.sum())
        if cut
        else math.nan,
        "trend_annual": trend,
        "growth_beyond_trend": growth - trend,
    }


def items_ten_years(items: np.ndarray, items_cut: np.ndarray | None) -> dict[str, float]:
    """Share of the launch's items cut within ten years, and the stock left then over the launch
    (NaN for a run shorter than ten years; see the module docstring)."""
    x = np.asarray(items, dtype=float)
    if len(x) <= TEN_YEARS or x[0] <= 0:
        return {"items_cut_share_10y": math.nan, "items_stock_left_10y": math.nan}
    counted = None if items_cut is None else np.asarray(items_cut, dtype=float)[1 : TEN_YEARS + 1]
    if counted is None or np.isnan(counted).all():
        cut = float(np.clip(-np.diff(x[: TEN_YEARS + 1]), 0.0, None).sum())
    else:
        cut = float(np.nansum(counted))
    return {
        "items_cut_share_10y": float(min(1.0, cut / x[0])),
        "items_stock_left_10y": float(x[TEN_YEARS] / x[0]),
    }
