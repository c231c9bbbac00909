"""M13 organisational integration: process integration moves work out of agencies, and agencies
left without it end where a channel sees them (docs/ODD.md, M13)."""

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.chains import build_chains
from simulation.mechanisms import organisational_integration as integration
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms import workload
from simulation.parameters import Institutions
from tests.conftest import set_agencies, small_model

NO_DB, ALL_DB = np.zeros(len(cat.DATABASES), bool), np.ones(len(cat.DATABASES), bool)
LIST = Institutions(public_item_list=True)


def test_shared_data_takes_the_certificate_work_and_with_it_the_need_for_agencies():
    """Behind a window without data, staff chase certificates; once the databases serve them
    the work is gone, and the agencies the bureaus' work needs fall with it."""
    model = small_model()
    gov, params = model.government, model.params
    gov.in_window[:] = True
    matters = np.full((gov.n_counties, len(cat.MATTERS)), 2000.0)
    chasing = workload.monthly_load(gov, build_chains(gov, NO_DB, True), matters, 0.0, params)
    gov.shares_data[:] = True
    shared = workload.monthly_load(gov, build_chains(gov, ALL_DB, True), matters, 0.0, params)
    assert (shared <= chasing + 1e-9).all() and shared.sum() < chasing.sum()
    before = organisation.needed_agencies(chasing, params)
    after = organisation.needed_agencies(shared, params)
    assert (after <= before).all() and after.sum() < before.sum()


def idle_bureaus(seen: float = 1.0):
    """A government whose every active bureau has four agencies and work for one."""
    model = small_model()
    gov = model.government
    set_agencies(gov, 4.0, np.flatnonzero(gov.active))
    gov.load_trend[:] = 1.0
    gov.work_seen[:] = seen
    return model, gov


def reviewed(month: int, inst: Institutions, seen: float = 1.0, audited: bool = False):
    model, gov = idle_bureaus(seen)
    before = gov.agencies.sum()
    visits = np.full(gov.n_departments, audited)
    ended = integration.review(gov, month, inst, visits, np.random.default_rng(0), model.params)
    assert np.isclose(before - gov.agencies.sum(), ended)
    return ended, gov


def test_empty_agencies_end_where_a_channel_sees_them_and_are_kept_where_none_does():
    active = idle_bureaus()[1].active.sum()
    ended, gov = reviewed(12, LIST)  # the power list's yearly review, every work on record
    assert ended == 3 * active and (gov.agencies[gov.active] == 1).all()
    assert reviewed(12, Institutions())[0] == 0  # no list, no platform, no audit: kept
    assert reviewed(13, LIST)[0] == 0  # between reviews: kept
    assert reviewed(12, LIST, seen=0.0)[0] == 0  # a list that shows none of the work
    assert reviewed(7, Institutions(), audited=True)[0] == 3 * active  # an audit visits them all
    half = reviewed(12, Institutions(platform=True), seen=0.5)[0]
    assert 0.4 * 3 * active < half < 0.6 * 3 * active


def test_the_ended_agencies_are_written_to_the_agency_register_as_abolished():
    _, gov = reviewed(12, LIST)
    lives = gov.registry.table()
    assert (lives["cause"] == "abolished").sum() >= 3 * gov.active.sum()


@pytest.mark.heavy
def test_without_rounds_only_the_channels_end_the_agencies_that_integration_emptied():
    """The full package without the government's own rounds: the window, shared data and online
    items take work out of agencies, and the power list's and platform's reviews end those left
    idle. With the reviews taken out, more agencies are left at the end."""
    settings = dict(steps=120, warmup=12, population__citizens=500, population__enterprises=50)
    scenario = "pressure_and_technology_no_rounds"
    reviewed_run = small_model(scenario, **settings).run()
    model = small_model(scenario, **settings)
    model.integrate = lambda: None
    unreviewed_run = model.run()
    assert reviewed_run["agencies_abolished"].sum() > 10
    assert unreviewed_run["agencies_abolished"].sum() == 0
    end = reviewed_run["agencies"].iloc[-1], unreviewed_run["agencies"].iloc[-1]
    assert end[0] < end[1] - 10, end
