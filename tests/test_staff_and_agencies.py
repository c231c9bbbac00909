"""M6 staff and agencies inside institutions: establishments, off-quota staff, budgets, agency
births and deaths, merges undone."""

import numpy as np

from simulation.items import CUT
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms import workload
from tests.conftest import small_model


def grow(model, months, load_factor, attention=0.0, audit=0.0, fees=None):
    """Months of M6 alone, with work at `load_factor` times the staff's capacity."""
    gov, rng = model.government, np.random.default_rng(0)
    for _ in range(months):
        load = gov.staff * 120.0 * load_factor
        workload.step(gov, load, 120.0)
        gov.load_trend = load  # the work bureaus plan on
        if fees is not None:
            gov.fees = np.full(gov.n_departments, fees)
        organisation.step(gov, attention, audit, rng, model.params)


def quiet(**overrides):
    return small_model(
        staffing__split_annual=0.0, staffing__new_field_agencies_annual=0.0, **overrides
    )


def test_drift_with_no_change_in_work_fills_the_establishment_then_asks_beyond_it():
    model = quiet(staffing__quota_approval=0.0)
    gov = model.government
    gov.quota *= 1.5  # room in the establishment
    before = gov.staff.sum()
    grow(model, 24, load_factor=0.5, fees=0.0)
    assert gov.staff.sum() > before and gov.off_quota.sum() == 0.0
    assert (gov.staff <= gov.quota + 1e-9).all()


def test_a_binding_quota_produces_off_quota_staff_paid_from_fees():
    model = quiet(staffing__quota_approval=0.0)
    gov = model.government
    grow(model, 24, load_factor=1.5, fees=1e6)
    assert gov.off_quota.sum() > 0
    assert np.allclose(gov.staff - gov.off_quota, gov.quota)  # on-quota posts stay within it
    broke = quiet(staffing__quota_approval=0.0)
    grow(broke, 24, load_factor=1.5, fees=0.0)  # no fee income: nothing to pay them with
    assert broke.government.off_quota.sum() == 0.0
    assert broke.government.staff.sum() < gov.staff.sum()


def test_approval_raises_the_establishment_and_a_reform_round_holds_it_back():
    open_, held = quiet(), quiet()
    grow(open_, 24, load_factor=1.5, fees=0.0, attention=0.0)
    grow(held, 24, load_factor=1.5, fees=0.0, attention=1.0)
    assert open_.government.quota.sum() > held.government.quota.sum()


def test_an_audit_finds_off_quota_staff_and_deters_hiring_them():
    model = quiet(staffing__quota_approval=0.0)
    gov = model.government
    grow(model, 12, load_factor=1.5, fees=1e6)
    hidden = gov.off_quota.copy()
    found = organisation.audit(gov, gov.active)
    assert np.allclose(found, hidden) and gov.off_quota.sum() == 0.0
    watched = quiet(staffing__quota_approval=0.0)
    grow(watched, 12, load_factor=1.5, fees=1e6, audit=0.8)
    assert watched.government.off_quota.sum() < 0.5 * hidden.sum()


def test_overload_hires_staff_and_ease_does_not():
    calm, busy = quiet(), quiet()
    grow(calm, 12, 0.8, fees=1e6)
    grow(busy, 12, 1.5, fees=1e6)
    assert busy.government.staff.sum() > 1.1 * calm.government.staff.sum()


def test_a_reform_round_cuts_reported_posts_not_the_off_quota_ones():
    model = quiet(staffing__quota_approval=0.0)
    gov = model.government
    grow(model, 24, load_factor=1.5, fees=1e6)
    off, on = gov.off_quota.sum(), organisation.on_quota(gov).sum()
    organisation.reform_round(gov, 0.1, model.params)
    assert np.isclose(gov.off_quota.sum(), off)
    assert organisation.on_quota(gov).sum() < 0.95 * on
    assert np.allclose(gov.quota[gov.active], organisation.on_quota(gov)[gov.active])


def test_abolition_happens_only_to_agencies_without_functions():
    model = small_model()
    gov, params = model.government, model.params
    gov.load_trend = gov.staff * 120.0  # every bureau's work needs its staff
    held = np.flatnonzero(gov.active & gov.had_items)
    bare, working = held[0], held[1]
    items = gov.items
    items.status[: items.n][gov.host[items.owner[: items.n]] == bare] = CUT
    gov.load_trend[bare] = 0.0
    gov.agencies[working] += 3.0  # three agencies more than its work needs
    agencies = gov.agencies.copy()
    abolished = organisation.abolish_functionless(gov, params)
    assert gov.abolished[bare] and not gov.active[bare] and gov.staff[bare] == 0.0
    assert gov.agencies[working] < agencies[working] and gov.agencies[working] >= 1
    never_had = np.flatnonzero(gov.active & ~gov.had_items)
    assert not gov.abolished[never_had].any()  # functions outside the approvals modelled
    with_items = np.setdiff1d(held, [bare])
    assert not gov.abolished[with_items].any()
    assert np.isclose(abolished, agencies[bare] + agencies[working] - gov.agencies[working])


def test_a_merger_left_overloaded_splits_again():
    model = small_model(staffing__split_annual=0.6)
    gov = model.government
    merged = organisation.merge(gov, np.flatnonzero(organisation.mergeable(gov)))
    assert merged
    after_merge = gov.agencies[gov.active].sum()
    grow(model, 24, load_factor=1.6, fees=1e6)
    assert (~gov.active).sum() < len(merged)  # some merged bureaus came back as agencies
    assert gov.agencies[gov.active].sum() > after_merge


def test_staff_never_below_floor():
    model = small_model()
    gov = model.government
    gov.staff[:] = 0.0
    gov.off_quota[:] = 0.0
    grow(model, 1, 0.0)
    floor = organisation.staff_floor(gov, model.params.government)
    assert (gov.staff[gov.active] >= floor[gov.active] - 1e-9).all()


def test_births_and_deaths_reach_the_time_series():
    df = small_model("internal_reform", steps=120, population__citizens=2000).run()
    assert df["agencies_founded"].sum() > 0 and df["agencies_abolished"].sum() > 0
    assert (df["staff_off_quota"] <= df["staff"]).all() and df["staff_off_quota"].iloc[-1] > 0
    assert df["staff_utilisation"].between(0, 5).all()
