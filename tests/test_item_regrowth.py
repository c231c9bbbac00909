"""M5 item regrowth: deterrence from evidence, each item's own form, and rule density."""

import numpy as np

from simulation import catalogue as cat
from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms import item_regrowth
from simulation.mechanisms.supervision import Exposure
from tests.conftest import small_model


def exposure_of(gov, hidden: float = 0.0, unlisted: float = 0.0) -> Exposure:
    shape = (gov.n_units, len(cat.MATTERS))
    return Exposure(
        np.full(shape, hidden), np.full(shape, unlisted), 0.0, np.zeros(gov.n_departments)
    )


def regrown(hidden: float, unlisted: float, seed: int = 0, months: int = 24, **overrides) -> int:
    """Items added or restored in `months` after half the items were cut, facing these monthly
    chances of coming to light."""
    model = small_model(**overrides)
    gov, rp = model.government, model.params.regrowth
    gov.items.cut(np.arange(gov.items.n // 2), 0)
    exp = exposure_of(gov, hidden, unlisted)
    open_risk, hidden_risk = (
        np.full(gov.n_departments, 1 - (1 - p) ** 12) for p in (unlisted, hidden)
    )
    det = item_regrowth.deterrence(open_risk, hidden_risk, rp)
    rng = np.random.default_rng(seed)
    total = 0
    for month in range(1, months + 1):
        counts = item_regrowth.step(gov, det, exp, month, rng, model.params.regrowth)
        total += counts["items_added"] + counts["items_restored"]
    return total


def test_the_chance_of_coming_to_light_deters_regrowth():
    free = regrown(hidden=0.0, unlisted=0.0)
    open_watched = regrown(hidden=0.0, unlisted=0.3)  # a public list: only hiding is left
    all_watched = regrown(hidden=0.3, unlisted=0.3)
    assert all_watched < open_watched < free
    assert all_watched < 0.5 * free


def test_legitimate_new_tasks_grow_whatever_the_deterrence():
    quiet = dict(regrowth__self_interest_items_annual=0.0, regrowth__restore_annual=0.0)
    assert regrown(0.3, 0.3, **quiet) > 0.8 * regrown(0.0, 0.0, **quiet) > 0


def test_a_restored_item_hides_when_a_public_list_would_expose_it_openly():
    model = small_model()
    gov = model.government
    gov.items.cut(np.arange(gov.items.n), 0)
    rng = np.random.default_rng(1)
    det = item_regrowth.Deterrence(np.zeros(gov.n_departments))
    exp = exposure_of(gov, hidden=0.0, unlisted=0.5)
    for month in range(1, 13):
        item_regrowth.step(gov, det, exp, month, rng, model.params.regrowth)
    items = gov.items
    restored = items.last_restored[: items.n] >= 0
    assert restored.sum() > 0
    status = items.status[: items.n][restored]
    value = items.value[: items.n][restored]
    # each took the form worth most: the valuable ones hid, the cheap ones stayed open or went
    assert (status[value > 1.5] == HIDDEN).all()
    assert not items.registered[: items.n][restored].any()


def test_only_approved_new_tasks_are_registered():
    model = small_model("internal_reform", steps=36)
    model.run()
    items = model.government.items
    n = items.n
    added = items.created[:n] > 0
    from simulation.items import NEW_TASK, SELF_INTEREST

    assert items.registered[:n][added & (items.origin[:n] == NEW_TASK)].all()
    assert not items.registered[:n][added & (items.origin[:n] == SELF_INTEREST)].any()


def test_rule_density_damps_new_rules():
    """The same government adds fewer items per item it holds when rules are dense."""
    quiet = dict(regrowth__restore_annual=0.0)
    sparse = regrown(0.0, 0.0, regrowth__rule_density_reference=1e5, **quiet)
    dense = regrown(0.0, 0.0, regrowth__rule_density_reference=2.0, **quiet)
    assert dense < 0.5 * sparse


def test_cut_items_remember_their_history():
    model = small_model("internal_reform", steps=36)
    model.run()
    items = model.government.items
    cut_once = items.cuts[: items.n] > 0
    assert cut_once.any()
    assert (items.last_cut[: items.n][cut_once] >= 1).all()
    assert ((items.status[: items.n] == CUT) <= cut_once).all()
    assert (items.status[: items.n] == OPEN).any()
