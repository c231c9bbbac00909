"""Regrowth as the record measures it (DESIGN 9.3; analysis/measures/rounds.py), on hand-made
series whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.rounds import (
    find_rounds,
    items_ten_years,
    round_metrics,
    round_starts,
    trend_annual,
)
from analysis.measures.summary import run_metrics

MONTHLY_5 = 1.05 ** (1 / 12)  # 5 % a year, compounded monthly


def grows(start: float, months: int, rate: float = MONTHLY_5) -> np.ndarray:
    return start * rate ** np.arange(months)


def cut_then_growth() -> np.ndarray:
    """100 at the launch, a round of 30 % in month 1, then 5 % a year for ten years."""
    return np.concatenate([[100.0], grows(70.0, 121)])


def test_a_round_of_30_percent_then_5_percent_a_year():
    rounds = find_rounds(cut_then_growth(), [1])
    assert len(rounds) == 1
    assert rounds[0].depth == pytest.approx(0.3)
    assert rounds[0].growth == pytest.approx(0.05)
    m = round_metrics(cut_then_growth(), [1], grows(100.0, 25))
    assert m["round_depth_mean"] == pytest.approx(0.3)
    assert m["growth_between_rounds"] == pytest.approx(0.05)


def test_growth_between_rounds_runs_from_a_trough_to_the_next_round():
    # 100, cut to 80 in month 1, flat to month 24, then a second round in month 25 cuts to 60
    x = np.array([100.0] + [80.0] * 24 + [60.0] * 30)
    x[1:25] = grows(80.0, 24, 1.1 ** (1 / 12))  # 10 % a year between the rounds
    rounds = find_rounds(x, [1, 25])
    assert [r.depth for r in rounds] == pytest.approx([0.2, 1 - 60 / x[24]])
    assert rounds[0].growth == pytest.approx(0.1)
    assert rounds[0].until == 24


def test_a_fall_that_never_returns_recovered_nothing_and_stayed_down():
    x = np.array([100.0] * 3 + [60.0] * 60)
    (r,) = find_rounds(x, [3])
    assert r.recovered == 0.0 and r.stayed_down
    m = round_metrics(x, [3], np.full(25, 100.0))
    assert m["recovered_share"] == 0.0
    assert not math.isnan(m["recovered_share"])


def test_a_cut_that_came_half_back_recovered_half():
    x = np.concatenate([[100.0], [80.0], np.linspace(80.0, 90.0, 30)])
    (r,) = find_rounds(x, [1])
    assert r.recovered == pytest.approx(0.5)
    assert not r.stayed_down


def test_the_trend_is_the_warm_up_growth_and_nothing_grows_beyond_it():
    warmup = grows(100.0, 37)
    run = grows(warmup[-1], 121)
    m = round_metrics(run, [], warmup)
    assert trend_annual(warmup) == pytest.approx(0.05)
    assert m["trend_annual"] == pytest.approx(0.05)
    assert m["growth_between_rounds"] == pytest.approx(0.05)
    assert m["growth_beyond_trend"] == pytest.approx(0.0, abs=1e-12)


def test_regrowth_faster_than_the_trend_shows_beyond_it():
    x = np.concatenate([[100.0], grows(70.0, 121, 1.10 ** (1 / 12))])
    m = round_metrics(x, [1], grows(100.0, 25))
    assert m["growth_beyond_trend"] == pytest.approx(0.05)


def test_rounds_come_from_campaign_months_else_from_the_cuts():
    flags = np.array([0, 1, 1, 0, 0, 1, 0], dtype=float)
    assert round_starts(flags, np.ones(7)) == [1, 5]
    x = np.array([100.0, 100.0, 70.0, 70.0, 71.0, 80.0])
    assert round_starts(None, x) == [2]
    assert round_starts(np.full(6, np.nan), x) == [2]


def test_items_cut_in_ten_years_and_the_stock_left():
    items = np.concatenate([[100.0], np.full(130, 80.0)])
    counted = np.zeros(131)
    counted[1], counted[50] = 20.0, 15.0
    ten = items_ten_years(items, counted)
    assert ten["items_cut_share_10y"] == pytest.approx(0.35)
    assert ten["items_stock_left_10y"] == pytest.approx(0.8)
    # without the count of cuts: the stock's cumulative fall
    assert items_ten_years(items, None)["items_cut_share_10y"] == pytest.approx(0.2)
    assert math.isnan(items_ten_years(items[:100], counted[:100])["items_cut_share_10y"])


def test_the_run_metrics_carry_the_round_measures():
    """A run of the time series' shape: a year of warm-up growth, a campaign at month 1."""
    steps = np.arange(-12, 131)
    x = np.concatenate([grows(100.0, 13), 0.7 * grows(100.0 * MONTHLY_5**12, 130)])
    df = pd.DataFrame({"step": steps, "items_open": x, "items_hidden": 0.0, "agencies": x})
    df["staff"] = x
    df["campaign"] = (steps == 1).astype(float)
    df["items_cut"] = 0.0
    df.loc[df["step"] == 1, "items_cut"] = 0.3 * x[12]
    m = run_metrics(df)
    for q in ("items", "agencies", "staff"):
        assert m[f"{q}_round_depth_mean"] == pytest.approx(0.3)
        assert m[f"{q}_growth_between_rounds"] == pytest.approx(0.05)
        assert m[f"{q}_trend_annual"] == pytest.approx(0.05)
        assert m[f"{q}_growth_beyond_trend"] == pytest.approx(0.0, abs=1e-9)
        assert m[f"{q}_recovered_share"] == pytest.approx(1.0)
    assert m["items_cut_share_10y"] == pytest.approx(0.3)
    assert m["items_stock_left_10y"] == pytest.approx(0.7 * MONTHLY_5**119)
