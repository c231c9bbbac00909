"""Regrowth metrics on hand-made series where the right answer is known."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.outcomes import rebound
from analysis.measures.regrowth import (
    cycles,
    default_horizon,
    find_cuts,
    half_life,
    net_change,
    rebound_ratio,
)
from analysis.measures.regrowth import regrowth_metrics as metrics
from analysis.measures.summary import METRICS, run_metrics


def steps(*parts: tuple[float, int]) -> np.ndarray:
    """A series of flat stretches: (level, months), ..."""
    return np.concatenate([np.full(n, float(v)) for v, n in parts])


def test_a_cut_that_fully_returns_has_rebound_one():
    x = steps((100, 5), (50, 5), (100, 70))
    assert rebound_ratio(x, horizon=24) == 1.0
    assert cycles(x, horizon=24) == 1


def test_a_cut_that_never_returns_has_rebound_zero():
    x = steps((100, 5), (50, 80))
    assert rebound_ratio(x, horizon=24) == 0.0
    assert cycles(x, horizon=24) == 0
    assert math.isnan(half_life(x, horizon=24))


def test_half_returned_within_the_horizon_is_one_half():
    x = steps((200, 3), (100, 10), (150, 60))
    assert rebound_ratio(x, horizon=24) == pytest.approx(0.5)
    assert cycles(x, horizon=24) == 1  # half came back: one cut-regrow cycle


def test_only_what_returns_within_the_horizon_counts():
    x = steps(
        (100, 3), (50, 30), (100, 40)
    )  # everything comes back, but 30 months after the trough
    assert rebound_ratio(x, horizon=24) == 0.0
    assert rebound_ratio(x, horizon=36) == 1.0


def test_overshoot_is_capped_at_one():
    assert rebound_ratio(steps((100, 3), (50, 3), (180, 60)), horizon=24) == 1.0


def test_half_life_counts_months_from_the_trough():
    x = np.r_[steps((100, 5)), np.linspace(40, 100, 61), steps((100, 20))]  # +1 a month from 40
    cut = find_cuts(x, horizon=60)[0]
    assert cut.size == 60 and x[cut.trough] == 40
    assert half_life(x, horizon=60) == 30.0  # 40 + 60/2 = 70 reached 30 months after the trough


def test_a_cut_spread_over_months_is_one_cut_and_noise_is_none():
    x = np.r_[100, 98, 99, 90, 91, 80, 70, 71, 70, steps((70, 70))]
    cuts = find_cuts(x, horizon=24)
    assert len(cuts) == 1 and cuts[0].size == 30
    rng = np.random.default_rng(1)
    noisy = 100 + rng.uniform(-2, 2, 200)  # wiggles below 5 % of the level
    assert find_cuts(noisy) == [] and math.isnan(rebound_ratio(noisy))


def test_repeated_cut_and_regrow_counts_cycles():
    one = [(100, 10), (70, 6)]  # cut, back 6 months later, four times
    x = steps(*(one * 4), (100, 30))
    assert len(find_cuts(x, horizon=12)) == 4
    assert cycles(x, horizon=12) == 4
    assert rebound_ratio(x, horizon=12) == 1.0


def test_cuts_too_close_to_the_end_are_censored():
    x = steps((100, 50), (50, 4))  # trough 4 months before the end, horizon 24
    assert find_cuts(x, horizon=24)[0].rebound is None
    assert math.isnan(rebound_ratio(x, horizon=24))


def test_net_change():
    assert net_change(steps((100, 5), (150, 5))) == pytest.approx(0.5)
    assert net_change(steps((100, 5), (80, 5))) == pytest.approx(-0.2)


def test_a_series_without_cuts():
    m = metrics(np.linspace(100, 130, 100), horizon=24)
    assert (
        m["cuts"] == 0
        and m["cycles"] == 0
        and math.isnan(m["rebound"])
        and math.isnan(m["half_life"])
    )
    assert m["net_change"] == pytest.approx(0.3)


def test_default_horizon_fits_the_run():
    assert default_horizon(240) == 60 and default_horizon(60) == 30 and default_horizon(4) == 6


def _run(items: np.ndarray, staff: np.ndarray) -> pd.DataFrame:
    n = len(items)
    df = pd.DataFrame(
        {
            "step": np.arange(-2, n - 2),
            "items_open": items,
            "items_hidden": 0.0,
            "agencies": 10.0,
            "staff": staff,
            "matters": 100,
            "complaints": 1,
        }
    )
    for c in (
        "trips_mean",
        "realisation_rate",
        "satisfaction_rate",
        "waiting_days",
        "face_to_face",
    ):
        df[c] = 0.5
    return df


def test_run_metrics_cover_every_metric_and_read_from_launch():
    items = steps((100, 3), (60, 40), (100, 40))  # launch at index 2: the cut is after it
    df = _run(items, steps((50, 83)))
    m = run_metrics(df, horizon=24)
    assert set(METRICS) <= set(m)
    assert m["items_rebound"] == 0.0 and m["items_cycles"] == 0 and m["items_cuts"] == 1
    assert math.isnan(m["staff_rebound"]) and m["staff_net_change"] == 0
    assert run_metrics(df, horizon=60)["items_rebound"] == 1.0
    assert m["complaints_per_1000"] == pytest.approx(10.0)

    # the validation outcome's rebound (analysis/measures/outcomes.py) def test_rebound_of_a_cut_that_stays_down_and_one_that_comes_back():
    down = np.r_[np.full(5, 100.0), np.full(60, 60.0)]
    back = np.r_[np.full(5, 100.0), np.linspace(60, 100, 30), np.full(30, 100.0)]
    assert rebound(down, 60) == pytest.approx(0.0)
    assert rebound(back, 60) == pytest.approx(1.0)


def test_a_censored_cut_counts_with_what_came_back_so_far():
    late = np.r_[np.full(50, 100.0), np.full(3, 60.0), [70.0]]
    assert rebound(late, 60) == pytest.approx(0.25)
    assert np.isnan(rebound(np.full(20, 5.0), 60))
