"""M7 internal campaigns: they cut, merge and trim posts; judged only by itself, it all comes back."""

import numpy as np

from analysis.regrowth import rebound_ratio
from simulation.mechanisms.campaigns import Campaigns, cut_lowest_value_items
from tests.conftest import small_model


def test_a_campaign_cuts_items_and_agencies():
    model = small_model()
    gov = model.government
    open_before = model.item_counts["open"]
    agencies_before = gov.agencies[gov.active].sum()
    did = Campaigns(model.params).run(gov, 1, np.random.default_rng(0))
    assert model.item_counts["open"] < 0.8 * open_before
    assert gov.agencies[gov.active].sum() < agencies_before
    assert did["staff_cut"] > 0


def test_bureaus_give_up_their_lowest_value_items_first():
    model = small_model()
    gov = model.government
    cut = cut_lowest_value_items(gov, gov.active, 0.3, 1)
    kept = np.flatnonzero(gov.items.status[: gov.items.n] == 0)
    assert gov.items.value[cut].mean() < gov.items.value[kept].mean()


def test_self_judged_reform_grows_back():
    model = small_model("internal_reform", steps=59, warmup=12, population__citizens=2000)
    df = model.run()
    items = (df["items_open"] + df["items_hidden"]).to_numpy()
    assert rebound_ratio(items, horizon=58) > 0.2
    assert df["items_hidden"].iloc[-1] > 0  # cuts came back as hidden items the campaign cannot see
    assert rebound_ratio(df["agencies"].to_numpy(), horizon=58) > 0.2


def test_campaigns_recur_and_attention_fades():
    campaigns = Campaigns(small_model().params)
    assert campaigns.due(1, 100)
    campaigns.last_month, campaigns.reported_at_last, campaigns.attention = 1, 100, 1.0
    assert not campaigns.due(30, 100)
    assert campaigns.due(61, 100)
    assert campaigns.due(30, 200)  # perceived bloat brings it forward
    for _ in range(6):
        campaigns.fade()
    assert np.isclose(campaigns.attention, 0.5)
