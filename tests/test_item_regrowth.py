"""M5 item regrowth: deterrence, hidden forms and rule density."""

import numpy as np

from simulation.items import CUT, HIDDEN
from simulation.mechanisms import item_regrowth
from tests.conftest import small_model


def regrown(det_level: float, seed: int = 0, months: int = 24) -> int:
    model = small_model()
    gov = model.government
    gov.items.cut(np.arange(gov.items.n // 2), 0)
    det = item_regrowth.Deterrence(
        np.full(gov.n_departments, det_level), np.zeros(gov.n_departments, bool)
    )
    rng = np.random.default_rng(seed)
    total = 0
    for month in range(1, months + 1):
        counts = item_regrowth.step(gov, det, month, rng, model.params)
        total += counts["items_added"] + counts["items_restored"]
    return total


def test_higher_deterrence_lowers_regrowth():
    assert regrown(2.0) < 0.5 * regrown(0.0)


def test_bureaus_hide_what_a_public_list_would_expose():
    rp = small_model().params["regrowth"]
    watched_list = item_regrowth.deterrence(np.array([0.5]), np.array([0.005]), rp)
    assert watched_list.hide[0]
    watched_all = item_regrowth.deterrence(np.array([0.5]), np.array([0.3]), rp)
    assert watched_all.level[0] > watched_list.level[0]


def test_hidden_restorations_when_hiding_pays():
    model = small_model()
    gov = model.government
    gov.items.cut(np.arange(gov.items.n), 0)
    det = item_regrowth.Deterrence(
        np.full(gov.n_departments, 0.1), np.ones(gov.n_departments, bool)
    )
    rng = np.random.default_rng(1)
    for month in range(1, 13):
        item_regrowth.step(gov, det, month, rng, model.params)
    items = gov.items
    restored = items.last_restored[: items.n] >= 0
    assert restored.sum() > 0
    assert (items.status[: items.n][restored] == HIDDEN).all()


def test_rule_density_damps_new_rules():
    damp = item_regrowth.rule_density_damping(np.array([0.0, 40.0, 400.0]), 40.0)
    assert damp[0] == 1.0 and np.isclose(damp[1], 0.5) and damp[2] < 0.1


def test_cut_items_remember_their_history():
    model = small_model("internal_reform", steps=36)
    model.run()
    items = model.government.items
    cut_once = items.cuts[: items.n] > 0
    assert cut_once.any()
    assert (items.last_cut[: items.n][cut_once] >= 1).all()
    assert ((items.status[: items.n] == CUT) <= cut_once).all()
