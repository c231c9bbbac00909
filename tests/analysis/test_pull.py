"""One parameter at a time (analysis/studies/pull.py): the values a factor takes, and the spread
the report states."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.studies import pull
from analysis.studies.sensitivity import Factor, plausible_factors


def test_levels_span_the_plausible_range_ends_included():
    (split,) = plausible_factors(["staffing.split_annual"])
    assert pull.levels(split, 3) == pytest.approx([0.005, 0.0275, 0.05])


def test_whole_number_levels_are_rounded_and_never_repeated():
    assert pull.levels(Factor("x", 1.0, 3.0, whole=True), 5) == [1, 2, 3]


def runs(rebound_by_value: dict[float, list[float]], scenario: str = "internal_reform"):
    rows = [
        {"factor": "staffing.split_annual", "value": v, "scenario": scenario, "agencies_rebound": r}
        for v, replicates in rebound_by_value.items()
        for r in replicates
    ]
    return pd.DataFrame(rows)


def test_the_spread_is_between_the_lowest_and_highest_mean_over_the_levels():
    table = pull.pull_table(runs({0.005: [0.0, 0.2], 0.05: [0.6, 0.8]}), ["agencies_rebound"])
    (row,) = pull.spreads(table).to_dict("records")
    assert (row["lowest"], row["at_value"]) == (pytest.approx(0.1), 0.005)
    assert (row["highest"], row["at_value_high"]) == (pytest.approx(0.7), 0.05)
    assert row["spread"] == pytest.approx(0.6)


def test_a_rebound_ratio_keeps_its_interval_inside_zero_to_one():
    table = pull.pull_table(runs({0.005: [0.0, 0.02, 0.0]}), ["agencies_rebound"])
    assert table["low"].iloc[0] >= 0.0 and table["high"].iloc[0] <= 1.0
    assert np.isfinite(table["high"].iloc[0])


def test_a_level_without_a_measurable_outcome_is_left_out_of_the_spread():
    table = pull.pull_table(runs({0.005: [np.nan], 0.05: [0.3, 0.5]}), ["agencies_rebound"])
    (row,) = pull.spreads(table).to_dict("records")
    assert row["spread"] == 0.0 and row["lowest"] == pytest.approx(0.4)
