"""Robustness of verdicts (analysis.studies.robustness) on made-up worlds: the verdict of each world
follows its numbers, the share holding and what flips it follow the worlds, and a report marks a
verdict whose share is below the threshold fragile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.measures.factorial import CELLS
from analysis.measures.stats import estimate
from analysis.studies import robustness as rb
from analysis.words.records import Words

SCENARIOS = [*CELLS, "pressure_and_technology"]


def world(rebound: dict[str, float], seeds: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Report metrics and validation outcomes of one world: per scenario, its rebound ratio."""
    rows = []
    for s, r in rebound.items():
        for k in range(seeds):
            rows.append(
                {
                    "scenario": s,
                    "seed": k,
                    **{f"{q}_rebound": r for q in ("items", "agencies", "staff")},
                    "realisation_rate_end": 0.9 if r < 0.2 else 0.6,
                    "realisation_end": 0.9 if r < 0.2 else 0.6,
                    "realisation_rate_reported_end": 0.9 if r < 0.2 else 0.6,
                    "realisation_gap_end": 0.0,
                    "informal_visits_end": 0.0,
                    "paper_cut_share": 0.0,
                }
            )
    runs = pd.DataFrame(rows)
    return runs, runs


def test_a_worlds_verdicts_follow_its_numbers():
    metrics, outcomes = world(
        {
            "internal_reform": 0.6,
            "public_pressure": 0.05,
            "technology_only": 0.6,
            "public_pressure_and_technology": 0.02,
            "pressure_and_technology": 0.02,
        }
    )
    said = rb.world_verdicts(metrics, outcomes, threshold=0.2)
    assert said["regrowth/internal_reform/items"] == "came back"
    assert said["regrowth/public_pressure/agencies"] == "stayed down"
    assert said["claim/0"] == "holds" and said["claim/1"] == "holds"
    # pressure alone does (almost) as well as both together: "neither alone" fails
    assert said["claim/3"] == "fails"
    metrics.loc[metrics["scenario"] == "public_pressure", "items_rebound"] = 0.5
    outcomes = metrics.copy()
    metrics.loc[metrics["scenario"] == "public_pressure", "agencies_rebound"] = 0.5
    assert rb.world_verdicts(metrics, metrics, 0.2)["claim/3"] == "holds"
    # interaction: (0.02 - 0.5) - (0.6 - 0.6) = -0.48 on a sum of -0.1: more than the sum
    assert rb.world_verdicts(metrics, outcomes, 0.2)["sum/items_rebound"] == "more than the sum"


def test_paper_compliance_is_judged_per_world():
    metrics, outcomes = world({"public_pressure": 0.05})
    assert rb.world_verdicts(metrics, outcomes, 0.2)["paper/public_pressure"] == (
        "no paper compliance"
    )
    metrics["paper_cut_share"] = 0.8
    assert rb.world_verdicts(metrics, outcomes, 0.2)["paper/public_pressure"] == (
        "bred paper compliance"
    )


def flipping_worlds(n: int = 80, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worlds over three parameters; the full package's items come back where `trace` < 0.3."""
    rng = np.random.default_rng(seed)
    draws = pd.DataFrame(
        {"trace": rng.uniform(0, 1, n), "noise": rng.uniform(0, 1, n), "other": rng.uniform(size=n)}
    )
    key = "regrowth/pressure_and_technology/items"
    worlds = pd.DataFrame(
        {
            key: np.where(draws["trace"] < 0.3, "came back", "stayed down"),
            "claim/0": "holds",
        }
    )
    return worlds, draws


@pytest.mark.heavy
def test_the_share_holding_and_what_flips_it_follow_the_worlds():
    worlds, draws = flipping_worlds()
    key = "regrowth/pressure_and_technology/items"
    table = rb.robustness_table(
        {key: "stayed down", "claim/0": "holds"}, worlds, draws, min_density=0.8
    ).set_index("key")
    expected = float((draws["trace"] >= 0.3).mean())
    assert table.loc[key, "share_holding"] == pytest.approx(expected)
    assert table.loc[key, "draws"] == len(draws)
    assert table.loc[key, "rests_on"].startswith("trace below")
    assert table.loc[key, "density"] >= 0.8 and table.loc[key, "coverage"] > 0.5
    assert table.loc["claim/0", "share_holding"] == 1.0 and table.loc["claim/0", "rests_on"] == ""
    # a verdict the table's values give but no world does: it flips everywhere
    flipped = rb.robustness_table({"claim/0": "fails"}, worlds, draws).iloc[0]
    assert flipped["share_holding"] == 0.0 and flipped["rests_on"] == "flips in every draw"


@pytest.mark.heavy
def test_a_verdict_below_the_threshold_is_marked_fragile_in_the_comparison():
    worlds, draws = flipping_worlds()
    key = "regrowth/pressure_and_technology/items"
    table = rb.robustness_table({key: "stayed down"}, worlds, draws)
    share = table["share_holding"].iloc[0]
    assert share < 0.9
    runs = pd.DataFrame(
        {"scenario": "pressure_and_technology", "seed": range(5)}
        | {f"{q}_rebound": 0.05 for q in ("items", "agencies", "staff")}
    )
    estimates = {
        ("pressure_and_technology", c): estimate(runs[c]) if c in runs else estimate([])
        for c in (
            "items_rebound",
            "agencies_rebound",
            "staff_rebound",
            *rb.PAPER_METRICS,
        )
    }
    lines = {v["key"]: v for v in rb.comparison_verdicts(runs, estimates, [], table)}
    assert lines[key]["robustness"] == "fragile" and lines[key]["share"] == pytest.approx(share)
    assert (
        Words("en").text(lines[key]["text"])
        == "Approval items (open + hidden) stayed down under pressure and technology"
    )
    # the agencies' verdict was not in the robustness table; without a table nothing is assessed
    assert lines["regrowth/pressure_and_technology/agencies"]["robustness"] == "not assessed"
    alone = rb.comparison_verdicts(runs, estimates, [], None)
    assert {v["robustness"] for v in alone} == {"not assessed"}
    # a comparison whose verdict differs from the table's values reads that verdict's own share
    runs["items_rebound"] = 0.6
    estimates[("pressure_and_technology", "items_rebound")] = estimate(runs["items_rebound"])
    other = {v["key"]: v for v in rb.comparison_verdicts(runs, estimates, [], table)}
    assert other[key]["share"] == pytest.approx(1 - share)


@pytest.mark.parametrize("share, badge", [(0.95, "robust"), (0.9, "robust"), (0.5, "fragile")])
def test_badges(share, badge):
    assert rb.badge(share) == badge
    assert rb.badge(float("nan")) == "not assessed"
