"""Robustness judged with its interval, PRIM kept to parameters that act, the record's quantities
measured on a run, and the identifiability check on the record's own errors (a small synthetic
simulator stands for the model)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.measures.factorial import CELLS
from analysis.studies import robustness as rb
from analysis.studies.history_matching import Box, identifiability
from analysis.studies.intervals import label, wilson
from analysis.studies.record import model_quantities, record_targets
from experiments import robustness_stage as rs
from experiments.history_stage import DATA

KEY = "regrowth/pressure_and_technology/items"


def worlds_holding(holding: int, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    said = ["stayed down"] * holding + ["came back"] * (n - holding)
    draws = pd.DataFrame({"p": np.linspace(0, 1, n)})
    return pd.DataFrame({KEY: said}), draws


@pytest.mark.parametrize(
    "holding, n, expected",
    [(46, 50, "undetermined"), (300, 300, "robust"), (30, 50, "fragile"), (60, 80, "fragile")],
)
def test_a_share_is_labelled_by_its_interval_against_the_robust_line(holding, n, expected):
    worlds, draws = worlds_holding(holding, n)
    row = rb.robustness_table({KEY: "stayed down"}, worlds, draws, robust_share=0.9).iloc[0]
    assert row["share_low"] <= row["share_holding"] <= row["share_high"]
    assert row["label"] == expected


def test_a_verdict_whose_interval_straddles_the_robust_line_is_undetermined():
    # 46 of 50 worlds: 92 %, above the line of 90 %, yet the interval reaches below it
    low, high = wilson(46, 50)
    assert low < 0.9 < high
    assert label(low, high, 0.9) == "undetermined"
    # the same share from many worlds is robust; from none it is not assessed
    assert label(*wilson(920, 1000), 0.9) == "robust"
    assert label(*wilson(0, 0), 0.9) == "not assessed"


def test_wilson_matches_the_textbook_interval():
    # Wilson 95 % for 79 % of 48 worlds (the example): about 66-88 %
    low, high = wilson(38, 48)
    assert low == pytest.approx(0.66, abs=0.01) and high == pytest.approx(0.885, abs=0.01)


def inert_separates(n: int = 80, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worlds where `window` (inert: a copy of what flips) separates the flips perfectly and
    `trace` (what acts) only through noise."""
    rng = np.random.default_rng(seed)
    trace = rng.uniform(0, 1, n)
    flips = trace + rng.normal(0, 0.15, n) < 0.3
    window = np.where(flips, rng.uniform(0, 0.2, n), rng.uniform(0.3, 1, n))
    draws = pd.DataFrame({"trace": trace, "window": window, "other": rng.uniform(size=n)})
    worlds = pd.DataFrame({KEY: np.where(flips, "came back", "stayed down")})
    return worlds, draws


def test_an_inert_parameter_is_never_named_in_rests_on():
    worlds, draws = inert_separates()
    nominal = {KEY: "stayed down"}
    unchecked = rb.robustness_table(nominal, worlds, draws).iloc[0]
    assert "window" in unchecked["rests_on"]  # without the check PRIM picks the inert one
    checked = rb.robustness_table(nominal, worlds, draws, acts={KEY: ["trace", "other"]}).iloc[0]
    assert "window" not in checked["rests_on"] and checked["rests_on"]
    nothing = rb.robustness_table(nominal, worlds, draws, acts={KEY: []}).iloc[0]
    assert nothing["rests_on"] == rb.NOTHING_ACTS


def finished(run_dir, metrics: dict) -> None:
    run_dir.mkdir(parents=True)
    (run_dir / "summary.json").write_text(json.dumps({"metrics": metrics}), encoding="utf-8")


def test_the_one_at_a_time_check_calls_a_parameter_inert_when_its_runs_do_not_change(tmp_path):
    scenario = "pressure_and_technology"
    finished(tmp_path / f"robustness/table/{scenario}/seed0", {"a": 1.0, "b": float("nan")})
    finished(tmp_path / f"{rs.ONE_AT_A_TIME}/window/{scenario}/seed0", {"a": 1.0, "b": None})
    finished(tmp_path / f"{rs.ONE_AT_A_TIME}/trace/{scenario}/seed0", {"a": 1.5, "b": None})
    points = pd.DataFrame(
        [
            {"job": f"{rs.ONE_AT_A_TIME}/{p}/{scenario}/seed0", "parameter": p,
             "scenario": scenario, "seed": 0, "value": 1.0}
            for p in ("window", "trace", "unfinished")
        ]
    )  # fmt: skip
    plan = rs.vs.Plan(rs.ONE_AT_A_TIME, [], points)
    acts, check = rs.acting(tmp_path, plan, {KEY: ["window", "trace", "unfinished"]})
    assert acts == {KEY: ["trace"]}
    assert check.set_index("parameter")["acts"].to_dict() == {
        "window": False, "trace": True, "unfinished": False
    }  # fmt: skip


def test_a_verdict_is_checked_in_the_scenarios_it_is_judged_on():
    assert rs.verdict_scenarios(KEY) == ["pressure_and_technology"]
    assert rs.verdict_scenarios("sum/trips_mean_end") == list(CELLS)
    assert rs.verdict_scenarios("claim/0") == ["internal_reform"]


# the record's quantities on a run -------------------------------------------------------------------
def test_the_records_quantities_are_measured_on_a_runs_series():
    steps = np.arange(-3, 61)
    agencies = np.full(len(steps), 100.0)
    post = steps >= 0
    agencies[steps >= 1] = 80.0  # a round at month 1 cuts a fifth
    agencies[(steps >= 2) & (steps < 50)] = 80.0 * 1.01 ** (
        (steps[(steps >= 2) & (steps < 50)] - 1) / 12
    )
    agencies[steps >= 50] = 60.0  # the next round at month 50
    campaign = np.isin(steps, [1, 50]).astype(int)
    listed = np.where(steps >= 0, 1000.0 - 10 * np.maximum(steps, 0), 1000.0)
    series = pd.DataFrame(
        {"step": steps, "agencies": agencies, "items_open": listed, "campaign": campaign,
         "realisation_rate": 0.5, "satisfaction_rate": 0.8}
    )  # fmt: skip
    q = model_quantities(series, 0.4)
    assert q["round_depth"] == pytest.approx(np.mean([0.2, 1 - 60 / (80 * 1.01 ** (48 / 12))]))
    assert q["bodies_growth"] == pytest.approx(0.01, rel=1e-6)
    assert q["zhejiang_items_fall_5y"] == pytest.approx(0.6)
    assert q["items_cut_share_10y"] == 0.4 and q["realisation_2017"] == pytest.approx(0.5)
    assert post.any()


def test_the_targets_are_shares_of_the_records_own_counts():
    targets = {t.name: t for t in record_targets(DATA)}
    assert targets["zhejiang_items_fall_5y"].value == pytest.approx(1 - 630 / 3251)
    assert targets["bodies_growth"].value == pytest.approx((86 / 61) ** (1 / 11) - 1)
    # every target states both errors: the cut-off is judged against them
    assert all(t.obs_sd > 0 and t.discrepancy_sd > 0 for t in targets.values())


# identifiability on the record's errors ---------------------------------------------------------------
BOX = Box.from_ranges({"cut": (0.1, 0.5), "split": (0.0, 0.1), "inert": (0.0, 1.0)})
TRUTH = {"cut": 0.25, "split": 0.05, "inert": 0.4}


def small_model(x: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Stands for the model: a round's depth and the five-year fall follow `cut`, growth between
    rounds follows `split`; `inert` acts on nothing; a little run-to-run noise."""
    noise = np.array([np.random.default_rng(s).normal(0, 0.003, 3) for s in seeds])
    cut, split = x[:, 0], x[:, 1]
    return np.column_stack([0.6 * cut, 0.4 * split, 1 - (1 - cut) ** 5]) + noise


@pytest.mark.heavy
def test_identifiability_recovers_an_acting_parameter_and_excludes_far_values():
    wanted = ("round_depth", "bodies_growth", "zhejiang_items_fall_5y")
    targets = [t.target() for t in record_targets(DATA) if t.name in wanted]
    ident = identifiability(
        small_model, BOX, TRUTH, targets, seed=2, design_size=30, max_waves=3, candidates=4000
    )
    table = ident.table.set_index("parameter")
    assert bool(table.loc["cut", "contains_truth"]) and bool(
        table.loc["cut", "truth_not_ruled_out"]
    )
    assert bool(table.loc["cut", "identified"])
    far = np.array([[0.5, TRUTH["split"], TRUTH["inert"]], [0.1, TRUTH["split"], TRUTH["inert"]]])
    assert not ident.match.non_implausible(far).any()
    assert not table.loc["inert", "identified"]
