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


def propose(model, counts: np.ndarray, origin: int, month: int = 5, seed: int = 0) -> np.ndarray:
    """Bureau b proposes `counts[b]` new items this month, as a step of regrowth would."""
    gov = model.government
    items = gov.items
    live = np.flatnonzero(items.status[: items.n] != CUT)
    host = gov.host[items.owner[live]]
    rng = np.random.default_rng(seed)
    return item_regrowth._propose(
        gov, live, host, counts, origin, month, rng, model.params.regrowth
    )


def test_new_items_are_modelled_on_their_bureaus_own_items_and_say_why_and_when_they_came():
    from simulation.items import NEW_TASK, SELF_INTEREST

    model = small_model()
    gov = model.government
    items = gov.items
    existing = items.n
    before = {
        (o, m, lv)
        for o, m, lv in zip(
            gov.host[items.owner[:existing]], items.matter[:existing], items.level[:existing]
        )
    }
    matters_held = np.array(
        [len({m for o, m, _ in before if o == b}) for b in range(gov.n_departments)]
    )
    counts = np.where(gov.live_items() > 0, 10, 0)
    for origin in (NEW_TASK, SELF_INTEREST):
        rows = propose(model, counts, origin, month=5)
        assert np.array_equal(rows, np.arange(items.n - counts.sum(), items.n))
        owner = items.owner[rows]
        assert np.array_equal(np.bincount(owner, minlength=gov.n_departments), counts)
        # same matter and level as one of the bureau's own items, drawn across all of them
        assert all(
            (o, m, lv) in before for o, m, lv in zip(owner, items.matter[rows], items.level[rows])
        )
        varied = [
            len(set(items.matter[rows][owner == b])) > 1 for b in np.flatnonzero(matters_held > 2)
        ]
        assert np.mean(varied) > 0.8
        assert (items.status[rows] == OPEN).all() and (items.created[rows] == 5).all()
        assert (items.origin[rows] == origin).all()
        assert (items.registered[rows] == (origin == NEW_TASK)).all()
        # an applicant hands in at least one material, for some items several, not a pile
        materials = items.materials[rows]
        assert materials.min() >= 1 and len(set(materials)) > 2
        assert materials.mean() < 1.5 * items.materials[:existing].mean()
        # a minority demand another bureau's certificate, of any domain; the rest none
        cert = items.certificate[rows]
        assert 0.1 < (cert >= 0).mean() < 0.5 and ((cert == -1) | (cert >= 0)).all()
        assert set(cert[cert >= 0]) == set(range(len(cat.DOMAINS)))
        # worth to their bureaus what the items already in force are worth
        value, old = items.value[rows], items.value[:existing]
        assert abs(value.mean() / old.mean() - 1) < 0.1
        assert abs(value.std() / old.std() - 1) < 0.2


def test_new_items_ask_as_many_materials_as_the_items_in_force():
    """Defect 2 of docs/testing.md: regrown items once drew 1 + Poisson(1) materials (mean 2)
    whatever `government.material_mean` said; they draw with the parameter's mean now."""
    from simulation.items import SELF_INTEREST

    for mean in (2.0, 3.0, 5.0):
        model = small_model(government__material_mean=mean)
        counts = np.where(model.government.live_items() > 0, 40, 0)
        rows = propose(model, counts, SELF_INTEREST)
        assert abs(model.government.items.materials[rows].mean() - mean) < 0.1 * mean, mean


def test_every_item_withdrawn_in_review_is_counted_in_its_month(monkeypatch):
    """Defect 3 of docs/testing.md: items a bureau withdraws when it reviews their form are
    recorded in `items_withdrawn` (and, being cut, in `items_cut`)."""
    from simulation.mechanisms import formalism

    review, withdrawn = formalism.review_forms, []

    def counted(gov, exp, month, rng, rp):
        did = review(gov, exp, month, rng, rp)
        withdrawn.append(len(did["withdrawn"]))
        return did

    monkeypatch.setattr(formalism, "review_forms", counted)
    series = small_model("top_down_pressure", steps=48, government__item_spread=1.5).run()
    reform = series[series.step > 0]
    assert list(reform["items_withdrawn"]) == withdrawn and sum(withdrawn) > 0
    assert (reform["items_withdrawn"] <= reform["items_cut"]).all()


def test_one_proposal_adds_one_item_and_none_adds_nothing():
    from simulation.items import NEW_TASK

    model = small_model()
    gov = model.government
    n = gov.items.n
    none = np.zeros(gov.n_departments, int)
    assert len(propose(model, none, NEW_TASK)) == 0 and gov.items.n == n
    one = none.copy()
    one[np.flatnonzero(gov.live_items() > 0)[0]] = 1
    assert len(propose(model, one, NEW_TASK)) == 1 and gov.items.n == n + 1


def test_what_a_step_reports_is_what_it_added_brought_back_and_withdrew():
    model = small_model()
    gov, rp = model.government, model.params.regrowth
    items = gov.items
    gov.items.cut(np.arange(0, items.n, 3), 0)
    loose = np.arange(1, items.n, 3)
    items.status[loose] = HIDDEN  # kept off the books: reviewed, and reopened when unwatched
    items.registered[loose] = False
    exp = exposure_of(gov)
    det = item_regrowth.Deterrence(np.zeros(gov.n_departments))
    rng = np.random.default_rng(0)
    for month in range(1, 4):
        n = items.n
        did = item_regrowth.step(gov, det, exp, month, rng, rp)
        assert did["items_added"] == items.n - n > 0
        assert did["items_restored"] == (items.last_restored[:n] == month).sum() > 0
        assert did["items_withdrawn"] == (items.last_cut[: items.n] == month).sum()


def test_more_self_interested_bureaus_add_more_items():
    quiet = dict(regrowth__new_task_items_annual=0.0, regrowth__restore_annual=0.0)
    modest = regrown(0.0, 0.0, departments__self_interest_mean=0.5, **quiet)
    greedy = regrown(0.0, 0.0, departments__self_interest_mean=1.5, **quiet)
    assert greedy > 1.5 * modest > 0


def test_hiding_deters_by_its_upkeep_the_value_it_loses_and_the_penalty_if_seen():
    """With the open form exposed, what is left is hiding; it deters more the more it costs."""
    from dataclasses import replace

    rp = small_model().params.regrowth
    exposed = np.ones(3)
    hidden_risk = np.array([0.0, 0.1, 0.3])

    def restraint(**change):
        return item_regrowth.deterrence(exposed, hidden_risk, replace(rp, **change)).restraint

    base = restraint()
    assert (np.diff(base) < 0).all()  # the likelier a hidden item is seen, the fewer appear
    assert (restraint(hiding_cost=rp.hiding_cost + 0.2) < base).all()
    assert (restraint(hidden_value_share=rp.hidden_value_share - 0.2) < base).all()
    assert (restraint(penalty=2 * rp.penalty)[1:] < base[1:]).all()
    sharper = rp.deterrence_sensitivity + 2
    assert (restraint(deterrence_sensitivity=sharper) < base).all()
    assert item_regrowth.rule_density_damping(np.zeros(1), 40.0)[0] == 1.0  # no rules, no damping


def restored_after_a_year(model) -> np.ndarray:
    """Cut items that came back within a year, unwatched and with no new rules proposed."""
    gov = model.government
    rng = np.random.default_rng(0)
    det = item_regrowth.Deterrence(np.zeros(gov.n_departments))
    reported = 0
    for month in range(1, 13):
        did = item_regrowth.step(gov, det, exposure_of(gov), month, rng, model.params.regrowth)
        reported += did["items_restored"]
    back = np.flatnonzero(gov.items.last_restored[: gov.items.n] > 0)
    assert reported == len(back)  # each item came back once: the step reports them all
    return back


def test_valuable_cut_items_of_self_interested_bureaus_come_back_and_abolished_bureaus_stay_gone():
    quiet = dict(regrowth__new_task_items_annual=0.0, regrowth__self_interest_items_annual=0.0)
    counts = {}
    for mean in (0.5, 1.5):
        model = small_model(departments__self_interest_mean=mean, **quiet)
        gov = model.government
        gov.items.cut(np.arange(gov.items.n), 0)
        gov.abolished[np.flatnonzero(gov.active)[::2]] = True
        back = restored_after_a_year(model)
        counts[mean] = len(back)
        assert gov.active[gov.host[gov.items.owner[back]]].all()
        assert gov.items.value[back].mean() > 1.1 * gov.items.value[: gov.items.n].mean()
    assert counts[1.5] > 1.5 * counts[0.5] > 0
    # nothing cut, nothing comes back; a lone cut item worth much does
    model = small_model(**quiet)
    assert len(restored_after_a_year(model)) == 0
    model = small_model(**quiet)
    model.government.items.cut(np.array([0]), 0)
    model.government.items.value[0] = 20.0
    assert list(restored_after_a_year(model)) == [0]


def test_unapproved_new_items_hide_where_a_public_list_would_expose_them_and_not_otherwise():
    quiet = dict(regrowth__new_task_items_annual=0.0, regrowth__restore_annual=0.0)
    for unlisted, hidden_share in ((0.0, 0.0), (0.5, 0.6)):
        model = small_model(regrowth__self_interest_items_annual=1.0, **quiet)
        gov = model.government
        n = gov.items.n
        det = item_regrowth.Deterrence(np.zeros(gov.n_departments))
        exp = exposure_of(gov, unlisted=unlisted)
        item_regrowth.step(gov, det, exp, 1, np.random.default_rng(0), model.params.regrowth)
        new = gov.items.status[n : gov.items.n]
        assert len(new) > 0
        assert (new == HIDDEN).mean() >= hidden_share and ((new == HIDDEN).any() == bool(unlisted))
