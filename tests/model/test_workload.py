"""M3 back-office workload: effort per item, chasing moves to staff with a window, queues."""

import dataclasses

import numpy as np

from simulation import catalogue as cat
from simulation.chains import build_chains
from simulation.items import OPEN
from simulation.mechanisms import workload
from tests.conftest import small_model

NO_DB = np.zeros(len(cat.DATABASES), bool)


def demand(model, per_cell=100.0):
    return np.full((model.government.n_counties, len(cat.MATTERS)), per_cell)


def test_one_window_without_sharing_moves_chasing_to_staff():
    model = small_model()
    gov = model.government
    matters = demand(model)
    chains = build_chains(gov, NO_DB, False)
    load_without = workload.monthly_load(gov, chains, matters, 0.0, model.params).sum()
    assert (
        workload.chase_hours(chains, matters, model.params.government) == 0.0
    )  # applicants run instead
    gov.in_window[:] = True
    chains = build_chains(gov, NO_DB, False)
    load_with = workload.monthly_load(gov, chains, matters, 0.0, model.params).sum()
    assert workload.chase_hours(chains, matters, model.params.government) > 0.0
    assert load_with > load_without


def test_sharing_removes_the_chasing():
    model = small_model()
    gov = model.government
    gov.in_window[:] = True
    matters = demand(model)
    chasing = workload.chase_hours(build_chains(gov, NO_DB, True), matters, model.params.government)
    gov.shares_data[:] = True
    all_db = np.ones(len(cat.DATABASES), bool)
    shared = workload.chase_hours(build_chains(gov, all_db, True), matters, model.params.government)
    assert shared < 0.05 * chasing


def test_technology_saves_effort_on_online_items():
    model = small_model()
    gov = model.government
    gov.items.online[: gov.items.n] = True
    chains = build_chains(gov, NO_DB, True)
    matters = demand(model)
    low = workload.monthly_load(gov, chains, matters, 0.0, model.params).sum()
    high = workload.monthly_load(gov, chains, matters, 1.0, model.params).sum()
    assert high < low


def test_backlog_becomes_waiting_days():
    model = small_model()
    gov = model.government
    capacity = gov.staff * 120.0
    workload.step(gov, capacity * 0.5, gov.params.government)
    assert gov.waiting_days.max() == 0.0
    workload.step(gov, capacity * 1.5, gov.params.government)
    busy = gov.staff > 0
    assert np.allclose(gov.waiting_days[busy], 15.0)  # half a month of work waiting


def test_every_item_handled_earns_a_fee_whether_open_or_hidden():
    model = small_model()
    gov = model.government
    matters = demand(model)
    fees = workload.fee_income(gov, build_chains(gov, NO_DB, False), matters, 10.0)
    assert fees.shape == (gov.n_departments,) and fees.sum() > 0
    twice = workload.fee_income(gov, build_chains(gov, NO_DB, False), 2 * matters, 10.0)
    assert np.allclose(twice, 2 * fees)  # twice the matters, twice the fees
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] == OPEN)[::2]
    items.relabel(rows, 0)  # hidden steps are still handled, and still paid for
    hidden = workload.fee_income(gov, build_chains(gov, NO_DB, False), matters, 10.0)
    assert np.allclose(hidden, fees)
    items.cut(rows, 0)
    cut = workload.fee_income(gov, build_chains(gov, NO_DB, False), matters, 10.0)
    assert cut.sum() < fees.sum() and (cut <= fees + 1e-9).all()


def test_the_budget_pays_authorised_posts_and_adds_the_fees_but_not_off_quota_staff():
    gov = small_model().government
    fees = np.full(gov.n_departments, 100.0)
    workload.update_budget(gov, fees, 10.0)
    assert np.array_equal(gov.fees, fees)  # what off-quota hiring is paid from (M6)
    budget = gov.budget.copy()
    gov.staff += 5.0
    gov.off_quota += 5.0  # hired off the establishment: paid from the fees, not appropriated
    workload.update_budget(gov, fees, 10.0)
    assert np.allclose(gov.budget, budget)
    workload.update_budget(gov, 3 * fees, 10.0)
    assert np.allclose(gov.budget - budget, 2 * fees)  # fees add to the budget
    workload.update_budget(gov, fees, 20.0)
    posts = gov.staff > gov.off_quota
    assert (gov.budget[posts] > budget[posts]).all()  # dearer posts, a larger appropriation


def test_a_matter_passes_each_bureau_with_an_open_item_on_its_chain_once():
    """However many of its items a bureau holds on a matter's chain, the matter passes it once;
    a bureau whose items are all hidden steps is not one the applicant passes."""
    model = small_model()
    gov = model.government
    matters = demand(model, per_cell=1.0)
    passing = workload.matters_passing(gov, build_chains(gov, NO_DB, False), matters)
    assert passing.shape == (gov.n_departments,) and passing.sum() > 0
    items = gov.items
    n = items.n
    key = (gov.host[items.owner[:n]] * len(cat.MATTERS) + items.matter[:n]) * 3 + items.level[:n]
    open_ = items.status[:n] == OPEN
    _, first = np.unique(key, return_index=True)
    extra = np.setdiff1d(np.flatnonzero(open_), first)
    assert len(extra) > 0
    items.cut(extra, 0)  # one item left of each bureau's items on each matter
    once = workload.matters_passing(gov, build_chains(gov, NO_DB, False), matters)
    assert np.allclose(once, passing)
    bureau = int(np.argmax(passing))
    items.relabel(np.flatnonzero((gov.host[items.owner[:n]] == bureau) & open_), 0)
    hidden = workload.matters_passing(gov, build_chains(gov, NO_DB, False), matters)
    assert hidden[bureau] == 0.0 and passing[bureau] > 0


def test_chasing_takes_longer_the_more_hours_one_certificate_takes():
    model = small_model()
    gov = model.government
    gov.in_window[:] = True
    chains, matters = build_chains(gov, NO_DB, False), demand(model)
    gp = model.params.government
    slow = dataclasses.replace(gp, chase_hours_per_certificate=2 * gp.chase_hours_per_certificate)
    assert workload.chase_hours(chains, matters, slow) > workload.chase_hours(chains, matters, gp)


def test_the_load_bureaus_plan_on_follows_their_work_smoothly():
    gov = small_model().government
    gov.load_trend[:] = 0.0
    load = gov.staff * 120.0
    workload.step(gov, load, gov.params.government)
    assert (gov.load_trend[load > 0] > 0).all() and (gov.load_trend < load).all()  # not at once
    for _ in range(60):
        workload.step(gov, load, gov.params.government)
    assert np.allclose(gov.load_trend, load, rtol=1e-3)  # a steady load becomes the trend


def test_a_window_desk_takes_its_hours_once_per_matter_at_each_bureau_with_an_open_item():
    """With every certificate served (no chasing), joining the window adds front-desk hours only:
    to every bureau with an open item on a matter, as many with one item on it as with several,
    and none to a bureau whose items are all hidden steps."""
    model = small_model()
    gov, items = model.government, model.government.items
    gov.shares_data[:] = True
    all_db = np.ones(len(cat.DATABASES), bool)
    matters = demand(model, per_cell=10.0)

    def desk_hours() -> np.ndarray:
        gov.in_window[:] = False
        alone = workload.monthly_load(
            gov, build_chains(gov, all_db, True), matters, 0.0, model.params
        )
        gov.in_window[:] = True
        window = workload.monthly_load(
            gov, build_chains(gov, all_db, True), matters, 0.0, model.params
        )
        return window - alone

    n = items.n
    open_ = items.status[:n] == OPEN
    holders = np.unique(gov.host[items.owner[:n][open_]])
    before = desk_hours()
    assert (before[holders] > 0).all() and np.allclose(np.delete(before, holders), 0.0)
    key = (gov.host[items.owner[:n]] * len(cat.MATTERS) + items.matter[:n]) * 3 + items.level[:n]
    _, first = np.unique(key, return_index=True)
    items.cut(np.setdiff1d(np.flatnonzero(open_), first), 0)  # one item per bureau and matter
    assert np.allclose(desk_hours(), before)
    bureau = holders[0]
    items.relabel(np.flatnonzero((gov.host[items.owner[:n]] == bureau) & open_), 0)
    assert desk_hours()[bureau] == 0.0
