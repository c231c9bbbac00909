"""M3 back-office workload: effort per item, chasing moves to staff with a window, queues."""

import numpy as np

from simulation import catalogue as cat
from simulation.chains import build_chains
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
    workload.step(gov, capacity * 0.5, 120.0)
    assert gov.waiting_days.max() == 0.0
    workload.step(gov, capacity * 1.5, 120.0)
    busy = gov.staff > 0
    assert np.allclose(gov.waiting_days[busy], 15.0)  # half a month of work waiting
