"""Agency lives (analysis/measures/survival.py): Kaplan-Meier survival by age with censoring, on a
hand-made table of lives, and the report's survival curve when the runs wrote their lives."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.survival import kaplan_meier, lifetimes, median_life, pooled_curve


def lives_table() -> pd.DataFrame:
    """Six agencies in a run that ends at month 20: ended at ages 2, 5, 5 and 12; two alive
    (censored at ages 20 and 8, the latter founded at month 12)."""
    return pd.DataFrame(
        {
            "agency": range(6),
            "bureau": [0, 0, 1, 1, 2, 2],
            "founded": [0, 0, 0, 0, 0, 12],
            "ended": pd.array([2, 5, 5, None, 12, None], dtype="Int64"),
            "cause": pd.array(["merged", "abolished", "merged", None, "split back", None]),
        }
    )


def test_ages_are_counted_to_the_end_or_censored_at_the_runs_end():
    age, ended = lifetimes(lives_table(), end=20)
    assert list(age) == [2, 5, 5, 20, 12, 8]
    assert list(ended) == [True, True, True, False, True, False]


def test_kaplan_meier_matches_the_curve_computed_by_hand():
    curve = kaplan_meier(*lifetimes(lives_table(), end=20)).set_index("age")
    # age 2: 6 followed, 1 ends -> 5/6; age 5: 5 followed, 2 end -> 5/6 * 3/5 = 1/2;
    # age 8 is a censoring (no step); age 12: 2 followed (12 and 20), 1 ends -> 1/2 * 1/2 = 1/4;
    # the curve goes on flat to age 20, the oldest followed
    assert list(curve.index) == [0, 2, 5, 12, 20]
    assert curve["survival"].to_list() == pytest.approx([1.0, 5 / 6, 1 / 2, 1 / 4, 1 / 4])
    assert curve["at_risk"].to_list() == [6, 6, 5, 2, 1]
    assert median_life(curve.reset_index()) == 5


def test_censoring_is_not_counted_as_an_end():
    """Were the living agencies counted as ended at the run's end, the curve would reach 0."""
    age, ended = lifetimes(lives_table(), end=20)
    assert kaplan_meier(age, ended)["survival"].min() == pytest.approx(0.25)
    assert kaplan_meier(age, np.ones(6, bool))["survival"].min() == 0.0


def test_more_than_half_alive_has_no_median():
    lives = lives_table().assign(ended=pd.array([2, None, None, None, None, None], dtype="Int64"))
    assert math.isnan(median_life(pooled_curve([(lives, 20)])))


def test_runs_are_pooled_each_censored_at_its_own_end():
    lives = lives_table()
    short = pooled_curve([(lives[lives["agency"] == 3], 10)])
    pooled = pooled_curve([(lives[lives["agency"] == 0], 20), (lives[lives["agency"] == 3], 10)])
    assert short.set_index("age")["survival"].to_dict() == {0.0: 1.0, 10.0: 1.0}
    assert pooled.set_index("age")["survival"].to_dict() == pytest.approx({0: 1, 2: 0.5, 10: 0.5})


@pytest.mark.integration
def test_the_report_draws_the_survival_curve_when_runs_have_their_lives(tmp_path):
    from analysis.measures.sweep_data import SweepData
    from analysis.reports.report import build_report
    from tests.report_support import made_up_run

    results = pd.concat(
        [
            made_up_run(s, k, 0.5, months=24, warmup=3)
            for s in ("status_quo", "internal_reform")
            for k in range(3)
        ],
        ignore_index=True,
    )
    ids = list(results["run_id"].unique())
    prov = pd.DataFrame({"run_id": ids, "package_version": "0.3.0", "git_commit": "abc"})
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    without = build_report(tmp_path / "a", SweepData(results, prov, []))
    assert "survival" not in without.path.read_text(encoding="utf-8").lower()
    data = SweepData(results, prov, [], agencies={r: lives_table() for r in ids})
    page = build_report(tmp_path / "b", data).path
    html = page.read_text(encoding="utf-8")
    assert "Kaplan-Meier" in html and (page.parent / "figures" / "survival.png").is_file()
    assert "5 months" in html  # the median life of the hand-made lives
