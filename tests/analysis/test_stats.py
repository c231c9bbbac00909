"""Statistics across replicates: CIs, paired differences, the factorial interaction, the cascade."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.cascade import ARTICLE_ORDER, counts, first_months, order, run_orders
from analysis.measures.factorial import CELLS, factorial, missing_cells, verdict
from analysis.measures.stats import (
    adequacy,
    bands,
    describe,
    differences,
    estimate,
    minimum_replicates,
)


def test_mean_ci_is_students_t():
    e = estimate([1.0, 2.0, 3.0, 4.0, 5.0])
    half = 2.7764451051977987 * np.std([1, 2, 3, 4, 5], ddof=1) / math.sqrt(5)  # t(0.975, 4)
    assert e.mean == 3.0 and e.lo == pytest.approx(3 - half) and e.hi == pytest.approx(3 + half)
    assert e.median == 3.0 and e.q10 == pytest.approx(1.4) and e.q90 == pytest.approx(4.6)


def test_a_share_keeps_its_interval_within_0_and_1():
    shares = [1.0, 1.0, 1.0, 0.2]  # a t interval would reach past 100 %
    free, kept = estimate(shares), estimate(shares, bounds=(0.0, 1.0))
    assert free.hi > 1.0 and kept.hi == 1.0 and kept.lo == pytest.approx(free.lo)
    runs = pd.DataFrame({"scenario": "a", "seed": range(4), "r": shares})
    assert describe(runs, ["r"], bounds={"r": (0.0, 1.0)})[("a", "r")].hi == 1.0


def test_nan_values_are_left_out():
    e = estimate([1.0, float("nan"), 3.0])
    assert e.n == 2 and e.mean == 2.0


def test_too_few_replicates_are_named():
    assert minimum_replicates(0.95) == 6 and minimum_replicates(0.99) == 8
    assert "no 95 % CI" in estimate([3.0]).note and math.isnan(estimate([3.0]).lo)
    assert "leans on normality" in estimate([1.0, 2.0]).note
    assert estimate(np.arange(10.0)).note is None
    assert adequacy(0, 0.95) == "no replicate has a value"
    assert adequacy(7, 0.99) is not None and adequacy(8, 0.99) is None


def _runs(values: dict[str, list[float]], metric: str = "m") -> pd.DataFrame:
    rows = [
        {"scenario": s, "seed": k, metric: v} for s, vs in values.items() for k, v in enumerate(vs)
    ]
    return pd.DataFrame(rows)


def test_paired_differences_use_the_same_seeds():
    runs = _runs({"status_quo": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 3.0, 4.0, 5.0]})
    d = differences(runs, "status_quo", ["m"])[("b", "m")]
    assert d.mean == 1.0 and d.lo == d.hi == 1.0  # paired: no spread at all
    unpaired = describe(runs, ["m"])
    assert unpaired[("b", "m")].lo < 2.5  # unpaired, the seed-to-seed spread would blur it
    assert differences(runs, "internal_reform", ["m"]) == {}


def test_a_seed_missing_on_one_side_drops_out_of_the_pairs():
    runs = _runs({"status_quo": [1.0, 2.0, 3.0], "b": [2.0, 3.0]})
    assert differences(runs, "status_quo", ["m"])[("b", "m")].n == 2


def _cells(i, p, t, pt) -> pd.DataFrame:
    return _runs(dict(zip(CELLS, (i, p, t, pt))))


def test_an_additive_design_has_no_interaction():
    rng = np.random.default_rng(0)
    base = rng.normal(10, 2, 8)  # seed effects, shared by the cells (common random numbers)
    f = factorial(_cells(base, base - 3, base - 2, base - 5), "m", "lower")
    assert f.interaction.mean == pytest.approx(0) and f.verdict == "about the sum"
    assert f.pressure.mean == pytest.approx(-3) and f.both.mean == pytest.approx(-5)


def test_synergy_and_its_direction():
    noise = np.array([0.1, -0.1, 0.05, -0.05, 0.0, 0.02])
    base = np.full(6, 10.0)
    synergy = factorial(_cells(base, base - 1, base - 1, base - 5 + noise), "m", "lower")
    assert (
        synergy.interaction.mean == pytest.approx(-3, abs=0.05)
        and synergy.verdict == "more than the sum"
    )
    same = factorial(_cells(base, base - 1, base - 1, base - 5 + noise), "m", "higher")
    assert same.verdict == "less than the sum"


def test_the_factorial_needs_its_four_cells_and_pairs():
    assert missing_cells({"internal_reform", "public_pressure_and_technology"}) == [
        "public_pressure",
        "technology_only",
    ]
    one = factorial(_cells([1.0], [2.0], [3.0], [4.0]), "m", "lower")
    assert one.verdict == "undetermined"
    assert verdict(one.interaction, "") == "undetermined"


def _cascade_run(scenario, seed, process, organisational, functional) -> pd.DataFrame:
    df = pd.DataFrame({"step": np.arange(-3, 13)})
    for name, month in (
        ("process", process),
        ("organisational", organisational),
        ("functional", functional),
    ):
        df[f"cascade_{name}"] = (df["step"] == month).astype(int) if month is not None else 0
    return df.assign(run_id=f"{scenario}/seed{seed}", scenario=scenario, seed=seed)


def test_the_cascade_order_of_first_changes():
    run = _cascade_run("a", 0, 2, 5, 9)
    assert first_months(run) == {"process": 2, "organisational": 5, "functional": 9}
    assert order(first_months(run)) == ARTICLE_ORDER
    assert (
        order({"process": None, "organisational": 1, "functional": 1})
        == "organisational=functional"
    )
    assert order({"process": None, "organisational": None, "functional": None}) == "no change"
    warmup_only = _cascade_run("a", 1, -2, 5, 9)  # a change before launch does not count
    assert first_months(warmup_only)["process"] is None


def test_cascade_counts_per_scenario():
    runs = pd.concat(
        [
            _cascade_run("a", 0, 2, 5, 9),
            _cascade_run("a", 1, 9, 5, 2),
            _cascade_run("b", 0, 1, 1, 1),
        ]
    )
    table = counts(run_orders(runs))
    assert table.loc["a", "runs"] == 2 and table.loc["a", "article_order"] == 1
    assert table.loc["b", "article_order"] == 0


def test_bands_per_scenario_and_month():
    df = pd.DataFrame(
        {"scenario": "a", "step": [1, 1, 1, 2, 2, 2], "x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]}
    )
    b = bands(df, ["x"])
    assert b.loc[("a", 1), ("x", 0.5)] == 1.0 and b.loc[("a", 2), ("x", 0.9)] == pytest.approx(4.8)


def test_the_typical_bureau_onset_reads_new_bureaus_not_the_first_one():
    from analysis.measures.cascade import event_first_months

    events = pd.DataFrame(
        [
            (1, "functional", "cut", 1, "bureaus", 1),  # one eager bureau
            (1, "functional", "cut", 30, "campaign", 0),  # a decree does not count
            (3, "process", "join_window", 20, "bureaus", 20),
            (4, "process", "join_window", 25, "bureaus", 5),
            (9, "organisational", "merge", 4, "bureaus", 4),
            (12, "functional", "cut", 6, "bureaus", 5),
        ],
        columns=["month", "category", "kind", "count", "source", "new_bureaus"],
    )
    assert event_first_months(events) == {"process": 3, "organisational": 9, "functional": 12}
