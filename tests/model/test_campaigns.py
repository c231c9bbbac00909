"""M7 internal campaigns: rounds that cut, merge, reset establishments and abolish, at a steady
rhythm; judged only by itself, the government sees its cuts come back."""

import numpy as np
import pytest

from analysis.measures.regrowth import rebound_ratio
from simulation.items import HIDDEN, OPEN
from simulation.mechanisms.campaigns import Campaigns, Reported, lowest_value_items
from tests.conftest import blind, small_model


def test_a_round_cuts_items_merges_and_trims_reported_posts():
    model = small_model()
    gov = model.government
    open_before = model.item_counts["open"]
    agencies_before = gov.agencies[gov.active].sum()
    did = Campaigns(model.params).run(gov, blind(gov), 1, np.random.default_rng(0))
    assert model.item_counts["open"] < 0.8 * open_before
    assert gov.agencies[gov.active].sum() < agencies_before
    assert did["staff_cut"] > 0 and len(did["cut"]) + len(did["relabelled"]) > 0


def test_bureaus_give_up_their_lowest_value_items_first():
    model = small_model()
    gov = model.government
    chosen = lowest_value_items(gov, gov.active, 0.3)
    kept = np.setdiff1d(np.flatnonzero(gov.items.status[: gov.items.n] == OPEN), chosen)
    assert gov.items.value[chosen].mean() < gov.items.value[kept].mean()


@pytest.mark.heavy
def test_self_judged_reform_grows_back():
    model = small_model("internal_reform", steps=180, warmup=12, population__citizens=2000)
    df = model.run()
    items = (df["items_open"] + df["items_hidden"]).to_numpy()
    assert rebound_ratio(items, horizon=60) > 0.5
    assert df["items_hidden"].max() > 0  # cuts made on paper the round cannot see
    assert rebound_ratio(df["agencies"].to_numpy(), horizon=60) > 0.1


def reported(items: float, posts: float, workload: float) -> Reported:
    return Reported(items, posts, workload)


def test_rounds_recur_and_an_early_one_waits_for_the_minimum_interval():
    campaigns = Campaigns(small_model().params)
    cp = campaigns.cp
    base = reported(100, 100, 100)
    assert campaigns.due(1, base)
    campaigns.last_month, campaigns.at_last = 1, base
    bloated = reported(300, 100, 100)
    assert not campaigns.due(1 + cp.min_interval_months - 1, bloated)  # however bloated
    assert campaigns.due(1 + cp.min_interval_months, bloated)
    assert not campaigns.due(1 + cp.min_interval_months, base)
    assert campaigns.due(1 + cp.interval_months, base)


def test_bloat_is_judged_against_workload_not_raw_counts():
    campaigns = Campaigns(small_model().params)
    campaigns.last_month, campaigns.at_last = 1, reported(100, 100, 100)
    month = 1 + campaigns.cp.min_interval_months
    assert not campaigns.due(month, reported(100, 150, 150))  # posts grew with the work
    assert campaigns.due(month, reported(100, 150, 100))  # posts grew, the work did not


def test_attention_fades():
    campaigns = Campaigns(small_model().params)
    campaigns.attention = 1.0
    for _ in range(int(campaigns.cp.attention_half_life)):
        campaigns.fade()
    assert np.isclose(campaigns.attention, 0.5)


@pytest.mark.heavy
def test_forty_years_of_internal_reform_keep_a_rhythm_and_keep_cycling():
    df = small_model("internal_reform", steps=480, warmup=12, population__citizens=1500).run()
    late = df[df["step"] > 240]
    assert 2 <= late["campaign"].sum() <= 6  # about one round in five years
    for series in (late["items_open"] + late["items_hidden"], late["agencies"]):
        change = (series / series.shift(12) - 1).dropna()
        assert change.min() <= -0.05 and change.max() >= 0.02
    assert late["staff_utilisation"].median() > 0.3


def test_a_round_merges_bureaus_into_their_hosts_and_holds_the_governments_full_attention():
    model = small_model()
    gov = model.government
    campaigns = Campaigns(model.params)
    assert campaigns.attention == 0.0  # no round yet, nothing to pay attention to
    did = campaigns.run(gov, blind(gov), 7, np.random.default_rng(0))
    merged = np.asarray(did["merged"])
    assert len(merged) > 0 and len(set(merged)) == len(merged)
    assert (gov.host[merged] != merged).all() and gov.active[gov.host[merged]].all()
    assert campaigns.attention == 1.0 and campaigns.last_month == 7
    assert campaigns.at_last == Reported.of(gov)  # the next round is judged from what this left
    assert not campaigns.due(8, Reported.of(gov))


def test_the_government_sees_only_open_items_and_the_posts_on_quota():
    model = small_model()
    gov = model.government
    seen = Reported.of(gov)
    open_rows = np.flatnonzero(gov.items.status[: gov.items.n] == OPEN)
    gov.items.status[open_rows[:10]] = HIDDEN
    gov.items.cut(open_rows[10:15], 1)
    gov.staff += 3.0
    gov.off_quota += 3.0  # hired outside the establishment
    now = Reported.of(gov)
    assert now.items == seen.items - 15
    assert np.isclose(now.posts, seen.posts) and now.workload == seen.workload > 0


def test_reports_grown_by_half_or_posts_kept_while_work_halves_bring_a_round_forward():
    campaigns = Campaigns(small_model().params)
    campaigns.last_month, campaigns.at_last = 1, reported(100, 100, 100)
    month = 1 + campaigns.cp.min_interval_months
    assert campaigns.due(month, reported(150, 100, 100))  # half as many items again
    assert campaigns.due(month, reported(100, 100, 50))  # the same posts for half the work
    assert not campaigns.due(month, reported(100, 50, 50))  # posts followed the work down


def test_only_the_asked_bureaus_give_up_items_none_worth_more_than_their_ceiling():
    model = small_model()
    gov = model.government
    asked = gov.active & (np.arange(gov.n_departments) % 2 == 0)
    ceiling = np.full(gov.n_departments, 0.8)
    chosen = lowest_value_items(gov, asked, 0.5, ceiling)
    assert len(chosen) > 0 and asked[gov.host[gov.items.owner[chosen]]].all()
    assert (gov.items.value[chosen] <= 0.8).all()
    assert len(lowest_value_items(gov, gov.active, 0.0)) == 0  # asked for nothing, gives nothing
