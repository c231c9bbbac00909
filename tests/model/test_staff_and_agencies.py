"""M6 staff and agencies inside institutions: establishments, off-quota staff, budgets, agency
births and deaths, merges undone."""

from dataclasses import replace

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.items import CUT
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms import workload
from tests.conftest import set_agencies, small_model


def grow(model, months, load_factor, attention=0.0, audit=0.0, fees=None):
    """Months of M6 alone, with work at `load_factor` times the staff's capacity."""
    gov, rng = model.government, np.random.default_rng(0)
    for _ in range(months):
        load = gov.staff * 120.0 * load_factor
        workload.step(gov, load, gov.params.government)
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
    set_agencies(gov, gov.agencies[working] + 3, working)  # three more than its work needs
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
    floor = gov.agencies * model.params.government.min_staff_per_agency  # posts an agency keeps
    assert (gov.staff[gov.active] >= floor[gov.active] - 1e-9).all()


@pytest.mark.heavy
def test_births_and_deaths_reach_the_time_series():
    df = small_model("internal_reform", steps=120, population__citizens=2000).run()
    assert df["agencies_founded"].sum() > 0 and df["agencies_abolished"].sum() > 0
    assert (df["staff_off_quota"] <= df["staff"]).all() and df["staff_off_quota"].iloc[-1] > 0
    assert df["staff_utilisation"].between(0, 5).all()


def bureau_of(gov, domain: str, unit: int = 0) -> int:
    return int(gov.dept(cat.DOMAIN[domain], unit))


def test_a_merger_keeps_every_post_and_every_practice_inside_the_host():
    """Big-department reform: the merged bureau's staff, establishment, off-quota staff and
    waiting work all move to its host, its agencies become the host's (one fewer: the merged
    bureau is now a division), bureaus it hosted move with it, and a window desk, an open silo or
    a pre-visit practice of either stays inside the merged bureau."""
    gov = small_model().government
    rng = np.random.default_rng(1)
    n = gov.n_departments
    for posts in (gov.staff, gov.quota, gov.off_quota, gov.backlog):
        posts[:] = rng.uniform(1.0, 50.0, n)
    set_agencies(gov, rng.integers(1, 4, n))
    flags = (gov.in_window, gov.shares_data, gov.pre_visits)
    for flag in flags:
        flag[:] = rng.random(n) < 0.5
    totals = [p.sum() for p in (gov.staff, gov.quota, gov.off_quota, gov.backlog)]
    before = {"agencies": gov.agencies.copy(), "flags": [f.copy() for f in flags]}
    candidates = np.flatnonzero(organisation.mergeable(gov))
    # social security merges into civil affairs, which then merges into public security
    hrss, civil = bureau_of(gov, "human_resources_social_security"), bureau_of(gov, "civil_affairs")
    police = bureau_of(gov, "public_security")
    assert hrss in candidates and civil in candidates

    merged = organisation.merge(gov, candidates)

    assert merged == [int(b) for b in candidates]
    joined = np.zeros(n, bool)
    joined[merged] = True
    assert not gov.active[joined].any()
    assert gov.host[hrss] == police and gov.host[civil] == police  # a guest moves with its host
    after = [p.sum() for p in (gov.staff, gov.quota, gov.off_quota, gov.backlog)]
    assert np.allclose(after, totals)  # no post and no hour of work lost or made
    for posts in (gov.staff, gov.quota, gov.off_quota, gov.backlog, gov.agencies):
        assert (posts[joined] == 0.0).all()
    for host in np.unique(gov.host[joined]):
        family = np.flatnonzero(gov.host == host)  # the host and everything merged into it
        assert gov.agencies[host] == before["agencies"][family].sum() - (len(family) - 1)
        for flag, was in zip(flags, before["flags"]):
            assert flag[host] == was[family].any()
    alone = gov.active & ~np.isin(np.arange(n), gov.host[joined])
    assert np.array_equal(gov.agencies[alone], before["agencies"][alone])


def test_only_an_active_bureau_whose_big_department_host_is_active_at_its_unit_can_merge():
    gov = small_model().government
    can = organisation.mergeable(gov)
    fire, housing = bureau_of(gov, "fire", 1), bureau_of(gov, "housing_construction", 1)
    assert can[fire] and not can[housing]  # housing construction hosts, it does not merge
    hosts = {cat.DOMAIN[h] for h in cat.MERGE_HOST.values()} - {
        cat.DOMAIN[d] for d in cat.MERGE_HOST
    }
    domains_that_merge = {cat.DOMAIN[d] for d in cat.MERGE_HOST}
    assert np.array_equal(can, gov.active & np.isin(gov.dept_domain, list(domains_that_merge)))
    assert not can[np.isin(gov.dept_domain, list(hosts))].any()
    gov.abolished[housing] = True  # no host left at this unit
    assert not organisation.mergeable(gov)[fire]
    assert organisation.mergeable(gov)[bureau_of(gov, "fire", 2)]  # other units unaffected
    fire_elsewhere = bureau_of(gov, "fire", 2)
    assert organisation.merge(gov, np.array([fire, housing, fire_elsewhere])) == [fire_elsewhere]
    civil = bureau_of(gov, "civil_affairs", 0)
    organisation.merge(gov, np.array([civil]))
    assert not organisation.mergeable(gov)[civil]  # merged already
    hrss = bureau_of(gov, "human_resources_social_security", 0)
    assert not organisation.mergeable(gov)[hrss]  # its host is merged itself


def test_a_bureau_hosting_merged_ones_gives_one_back_with_its_share_of_posts_and_practices():
    """Undoing a merger: the guest comes back as one agency, taking the host's window desk,
    silo and pre-visit practice and, of each kind of post, the share one agency of the host
    holds; the host keeps the rest and one agency fewer. Nothing is created or lost."""
    model = small_model()
    gov, sp = model.government, model.params.staffing
    fire, housing = bureau_of(gov, "fire"), bureau_of(gov, "housing_construction")
    set_agencies(gov, 2, [fire, housing])
    organisation.merge(gov, np.array([fire]))
    gov.staff[housing], gov.quota[housing], gov.off_quota[housing] = 60.0, 40.0, 20.0
    for practice in (gov.in_window, gov.shares_data, gov.pre_visits):
        practice[housing], practice[fire] = True, False  # the merged bureau's, not the old one's
    posts_before = [p.copy() for p in (gov.staff, gov.quota, gov.off_quota)]
    assert gov.agencies[housing] == 3.0
    gov.load_trend[housing] = 2.0 * gov.capacity[housing]  # the reason: the host is overloaded

    assert organisation.split(gov, housing, sp.new_agency_staff)

    assert gov.active[fire] and gov.host[fire] == fire
    assert gov.agencies[fire] == 1.0 and gov.agencies[housing] == 2.0
    for posts, was in zip((gov.staff, gov.quota, gov.off_quota), posts_before):
        assert np.isclose(posts[fire], was[housing] / 3.0)  # one agency's share of each kind
        assert np.isclose(posts[housing] + posts[fire], was[housing])
    assert gov.in_window[fire] and gov.shares_data[fire] and gov.pre_visits[fire]
    assert not organisation.split(
        gov, housing, sp.new_agency_staff
    )  # no guest left: a new agency instead


def test_a_merger_is_undone_only_for_a_reason_one_can_name():
    """A host within capacity whose guest holds no more items than when it merged splits into a
    new agency and keeps its guest; once the guest's items grow back, or the host is overloaded,
    the same split gives the guest back."""
    model = small_model()
    gov, posts = model.government, model.params.staffing.new_agency_staff
    fire, housing = bureau_of(gov, "fire"), bureau_of(gov, "housing_construction")
    organisation.merge(gov, np.array([fire]))
    gov.load_trend[housing] = 0.5 * gov.capacity[housing]
    assert not organisation.split(gov, housing, posts)
    assert gov.host[fire] == housing
    gov.functions_at_merge[fire] -= 1  # as if a cut item of the guest came back
    assert organisation.split(gov, housing, posts)
    assert gov.host[fire] == fire
    organisation.merge(gov, np.array([fire]))
    gov.load_trend[housing] = 2.0 * gov.capacity[housing]
    assert organisation.split(gov, housing, posts)


def test_a_bureau_with_no_guest_splits_into_a_new_agency_with_its_own_posts():
    model = small_model()
    gov, sp = model.government, model.params.staffing
    bureau = bureau_of(gov, "development_reform")
    staff, quota, off = gov.staff.copy(), gov.quota.copy(), gov.off_quota.copy()
    assert not organisation.split(gov, bureau, sp.new_agency_staff)
    assert gov.agencies[bureau] == 2.0
    assert np.isclose(gov.staff[bureau] - staff[bureau], sp.new_agency_staff)
    assert np.isclose(gov.quota[bureau] - quota[bureau], sp.new_agency_staff)  # posts come with it
    assert np.array_equal(gov.off_quota, off)
    others = np.arange(gov.n_departments) != bureau
    assert np.array_equal(gov.staff[others], staff[others])


def test_a_lone_agency_host_gives_back_its_guest_and_keeps_its_one_agency_and_half_the_posts():
    """Defect 1 of docs/testing.md: two one-agency bureaus merged make one agency; giving the
    guest back makes two, and each kind of post is shared in proportion (half each). The host
    once handed over all of them and was left at its staff floor with no establishment."""
    model = small_model()
    gov, sp = model.government, model.params.staffing
    fire, housing = bureau_of(gov, "fire"), bureau_of(gov, "housing_construction")
    organisation.merge(gov, np.array([fire]))
    assert gov.agencies[housing] == 1.0
    gov.staff[housing], gov.quota[housing], gov.off_quota[housing] = 60.0, 40.0, 20.0
    gov.load_trend[housing] = 2.0 * gov.capacity[housing]
    assert organisation.split(gov, housing, sp.new_agency_staff)
    assert gov.agencies[housing] == 1.0 and gov.agencies[fire] == 1.0
    for posts, was in zip((gov.staff, gov.quota, gov.off_quota), (60.0, 40.0, 20.0)):
        assert np.isclose(posts[housing], was / 2) and np.isclose(posts[fire], was / 2)


def bureaus_of_size(staff_per_agency, agencies=1.0, load_ratio=1.0, **overrides):
    """A model whose every bureau has `agencies` agencies of `staff_per_agency` staff and work
    at `load_ratio` times its capacity; no hiring, no new fields: only splits move."""
    settings = {
        "staffing__parkinson_annual": 0.0,
        "staffing__overload_hiring": 0.0,
        "staffing__new_field_agencies_annual": 0.0,
    }
    model = small_model(**(settings | overrides))
    gov, hours = model.government, model.params.government.productivity_hours
    set_agencies(gov, agencies)
    gov.staff[:] = gov.quota[:] = staff_per_agency * agencies
    gov.off_quota[:] = 0.0
    gov.capacity = gov.staff * hours
    gov.load_trend = gov.capacity * load_ratio
    return model


def splits(model, seed=0):
    gov = model.government
    return set(organisation.step(gov, 0.0, 0.0, np.random.default_rng(seed), model.params)["split"])


def test_the_split_chance_grows_with_staff_per_agency_and_with_overload():
    """Same luck, different bureaus: larger agencies split more, overloaded ones more again;
    what counts is work and staff per agency, not the bureau's size."""
    small = splits(bureaus_of_size(20.0, staffing__split_annual=1.0))
    reference = splits(bureaus_of_size(40.0, staffing__split_annual=1.0))
    busy = splits(bureaus_of_size(40.0, load_ratio=2.0, staffing__split_annual=1.0))
    assert small < reference < busy
    two_agencies = splits(bureaus_of_size(40.0, agencies=2.0, staffing__split_annual=1.0))
    assert two_agencies == reference


def test_splits_follow_work_and_empire_building_only_where_the_work_is_not_on_record():
    """With no work, only empire building splits agencies off, and only where the organisation
    department cannot see the work (none on record); without the empire channel, idle bureaus
    never split."""
    idle = dict(load_ratio=0.0, staffing__split_annual=1.0)
    hidden = bureaus_of_size(400.0, **idle)
    assert len(splits(hidden)) > 0.2 * hidden.government.active.sum()
    seen = bureaus_of_size(400.0, **idle)
    seen.government.work_seen[:] = 1.0
    assert splits(seen) == set()
    assert splits(bureaus_of_size(400.0, staffing__empire_split_share=0.0, **idle)) == set()


def test_a_bureau_at_the_reference_size_and_planned_work_splits_about_split_annual_a_year():
    planned = small_model().params.staffing.planned_utilisation
    at_plan = dict(load_ratio=planned, staffing__split_annual=0.6)
    months = [len(splits(bureaus_of_size(40.0, **at_plan), s)) for s in range(3)]
    expected = 0.6 / 12.0 * small_model().government.n_departments
    assert 0.7 * expected < np.mean(months) < 1.3 * expected


def test_a_months_record_names_the_bureaus_that_split_gave_back_a_guest_or_were_founded():
    model = bureaus_of_size(  # agencies large enough that all split, busy enough to unmerge
        600.0, load_ratio=2.0, staffing__split_annual=1.0,
        staffing__new_field_agencies_annual=100.0,
    )  # fmt: skip
    gov = model.government
    fire, housing = bureau_of(gov, "fire"), bureau_of(gov, "housing_construction")
    meteorology = bureau_of(gov, "meteorology")
    organisation.merge(gov, np.array([fire, meteorology]))  # one comes back this month
    active = np.flatnonzero(gov.active)
    agencies = gov.agencies.copy()
    record = organisation.step(gov, 0.0, 0.0, np.random.default_rng(0), model.params)
    assert sorted(record["split"]) == list(active)
    assert list(record["unmerged"]) == [housing]
    founded = record["founded"]
    assert len(founded) > 0 and (gov.dept_level[founded] < cat.COUNTY).all()
    grew = gov.agencies - agencies
    assert (grew[founded] == 2.0).all()  # a split and a new field
    assert gov.active[fire] and gov.staff[fire] > 0
    assert not gov.active[meteorology] and gov.staff[meteorology] == 0.0  # no staff while merged


def test_an_audit_lets_go_the_off_quota_staff_of_the_bureaus_it_visits_and_no_one_else():
    gov = small_model().government
    gov.off_quota[:] = 0.25 * gov.staff
    gov.staff += gov.off_quota
    staff, off = gov.staff.copy(), gov.off_quota.copy()
    visited = gov.active & (np.arange(gov.n_departments) % 3 == 0)
    found = organisation.audit(gov, visited)
    assert np.array_equal(found[visited], off[visited]) and (found[~visited] == 0.0).all()
    assert np.allclose(gov.staff[visited], staff[visited] - off[visited])  # they leave the payroll
    assert (gov.off_quota[visited] == 0.0).all()
    assert np.array_equal(gov.staff[~visited], staff[~visited])
    assert np.array_equal(gov.off_quota[~visited], off[~visited])


def test_a_reform_round_reports_the_posts_it_cut_and_leaves_merged_bureaus_empty():
    model = small_model()
    gov, params = model.government, model.params
    gov.load_trend = gov.staff * params.government.productivity_hours  # no agency is surplus
    organisation.merge(gov, np.flatnonzero(organisation.mergeable(gov)))
    gov.off_quota[:] = np.where(gov.active, 2.0, 0.0)
    gov.staff += gov.off_quota
    before = gov.staff.sum()
    result = organisation.reform_round(gov, 0.2, params)
    assert result["staff_cut"] > 0 and np.isclose(result["staff_cut"], before - gov.staff.sum())
    assert result["abolished"] == 0.0
    merged = ~gov.active
    assert (gov.staff[merged] == 0.0).all() and (gov.quota[merged] == 0.0).all()
    everything = organisation.reform_round(gov, 1.0, params)  # a round that cuts every post
    floor = organisation.staff_floor(gov, params.government)
    assert np.allclose(gov.quota[gov.active], floor[gov.active])  # leaves each agency its floor
    assert np.allclose(gov.staff[gov.active], floor[gov.active] + 2.0)  # and off-quota staff
    assert everything["staff_cut"] > 0


def test_abolition_takes_only_surplus_agencies_and_never_brings_an_abolished_bureau_back():
    model = small_model()
    gov, params = model.government, model.params
    gov.load_trend[:] = 0.0  # no work: one agency is all any bureau needs
    set_agencies(gov, 2, np.flatnonzero(gov.active))
    fire = bureau_of(gov, "fire")
    organisation.merge(gov, np.array([fire]))
    gone = bureau_of(gov, "development_reform")
    gov.abolished[gone] = True
    set_agencies(gov, 0, gone)
    active_before = gov.active.copy()
    count = organisation.abolish_functionless(gov, params)
    assert (gov.agencies[gov.active] == 1.0).all()  # one surplus agency each, no more
    assert (gov.agencies[~active_before] == 0.0).all()  # merged and abolished hold none
    assert gov.abolished[gone] and not gov.abolished[active_before].any()
    assert count == active_before.sum() + 1.0  # housing construction hosted fire's agencies too


def test_a_bureau_hosting_a_merged_one_is_not_abolished_when_their_items_are_gone():
    model = small_model()
    gov, params = model.government, model.params
    gov.load_trend = gov.staff * params.government.productivity_hours
    water, resources = bureau_of(gov, "water", 1), bureau_of(gov, "natural_resources", 1)
    lone = bureau_of(gov, "development_reform")
    organisation.merge(gov, np.array([water]))
    items = gov.items
    host = gov.host[items.owner[: items.n]]
    items.status[: items.n][(host == resources) | (host == lone)] = CUT
    assert gov.had_items[[resources, lone]].all()
    organisation.abolish_functionless(gov, params)
    assert not gov.abolished[resources] and gov.active[resources]  # it still does water's job
    assert gov.abolished[lone]


def hired(
    load=2.0, room=0.0, approval=0.0, fees=0.0, post_cost=1.0, self_interest=None, seen=0.0,
    cap=False, **staffing,
):  # fmt: skip
    """One month of `hire` with work at `load` x each bureau's staff, `room` posts free in every
    establishment, fee income `fees` and the first five active bureaus abolished. Returns the
    government and the growth of staff, of the establishment and of off-quota staff."""
    model = small_model()
    gov, params = model.government, model.params
    sp = replace(params.staffing, quota_approval=approval, **staffing)
    gp = replace(params.government, post_cost=post_cost)
    gov.abolished[np.flatnonzero(gov.active)[:5]] = True
    gov.off_quota[:] = 0.0
    gov.load_trend = gov.staff * gp.productivity_hours * load
    gov.quota = organisation.on_quota(gov) + room
    gov.fees = np.full(gov.n_departments, fees)
    if self_interest is not None:
        gov.self_interest[:] = self_interest
    gov.work_seen[:] = seen
    staff, quota, off = gov.staff.copy(), gov.quota.copy(), gov.off_quota.copy()
    organisation.hire(gov, 0.0, 0.0, replace(params, staffing=sp, government=gp), cap)
    return gov, gov.staff - staff, gov.quota - quota, gov.off_quota - off


def test_a_bureau_free_to_hire_grows_alike_whether_posts_come_from_room_approval_or_fees():
    """What an overloaded bureau takes on does not depend on where the posts come from: room
    in its establishment, approval beyond it, fee income for off-quota staff, or a mix. Approved
    posts raise the establishment just enough to hold the staff on quota; abolished bureaus hire
    nobody."""
    ways = {
        "room": dict(room=1e6),
        "approval": dict(approval=1.0),
        "fees": dict(fees=1e9),
        "room then approval": dict(room=0.1, approval=1.0),
        "room then fees": dict(room=0.1, fees=1e9),
        "approval then fees": dict(approval=0.5, fees=1e9),
    }
    grown = {way: hired(**setting) for way, setting in ways.items()}
    gov, growth, *_ = grown["room"]
    assert (growth[gov.active] > 0.5).all() and (growth[~gov.active] == 0).all()
    for way, (gov, other, *_) in grown.items():
        assert np.allclose(other, growth), way
        assert (gov.staff - gov.off_quota <= gov.quota + 1e-9).all(), way
    for way in ("approval", "room then approval"):
        gov, grew, quota, off = grown[way]
        filled = gov.active & (grew > 0.1)  # took up the room, then asked beyond it
        assert filled.mean() > 0.5 and off.sum() == 0, way
        assert np.allclose((gov.staff - gov.off_quota)[filled], gov.quota[filled]), way
    gov, _, quota, off = grown["fees"]
    assert np.allclose(off, growth) and quota.sum() == 0


def test_with_its_work_gone_and_no_drive_to_grow_a_bureau_shrinks_at_the_attrition_rate():
    gov, growth, *_ = hired(load=0.0, room=1e6, self_interest=0.0)
    before = gov.staff - growth
    attrition = gov.params.staffing.attrition_annual
    assert attrition > 0
    assert np.allclose(growth[gov.active], -attrition / 12.0 * before[gov.active])


def test_without_overload_only_the_drive_hires_and_more_self_interest_drifts_more():
    """At ease, a bureau with the drive to grow but no Parkinson drift only replaces those who
    left (it defends its posts); with the drift it grows, faster the more self-interested."""
    gov, growth, *_ = hired(load=0.5, room=1e6, parkinson_annual=0.0, self_interest=1.0)
    assert np.abs(growth[gov.active]).max() < 1e-9
    rates = {}
    for interest in (2.0, 0.5):
        gov, growth, *_ = hired(load=0.5, room=1e6, self_interest=interest)
        rates[interest] = (growth / (gov.staff - growth))[gov.active]
    assert (rates[0.5] > 0).all() and (rates[2.0] > 2 * rates[0.5]).all()


def test_where_a_record_shows_the_work_gone_the_drive_is_frozen():
    """The organisation department lets the drive replace or add posts only up to what the work
    it can see needs: at half load on a full record nobody is replaced; on self-reports alone
    the same bureaus grow; half a record lets through part of the drive."""
    drift = dict(load=0.5, room=1e6, self_interest=1.0)
    gov, frozen, *_ = hired(seen=1.0, **drift)
    before = gov.staff - frozen
    attrition = gov.params.staffing.attrition_annual
    assert np.allclose(frozen[gov.active], -attrition / 12.0 * before[gov.active])
    _, reported, *_ = hired(seen=0.0, **drift)
    _, half, *_ = hired(seen=0.5, **drift)
    active = gov.active
    assert (reported[active] > 0).all()
    assert np.allclose(half[active], (frozen[active] + reported[active]) / 2)


def test_under_a_payroll_cap_no_bureau_grows_however_overloaded_or_rich():
    gov, growth, quota, off = hired(load=4.0, room=0.0, approval=1.0, fees=1e9, cap=True)
    assert (growth[gov.active] <= 1e-9).all() and (quota == 0).all()
    _, free, *_ = hired(load=4.0, room=0.0, approval=1.0, fees=1e9)
    assert (free[gov.active] > 0.5).all()


def test_fees_pay_for_as_many_off_quota_staff_as_they_cover_and_dearer_posts_mean_fewer():
    """With no room and no approval, a bureau takes on off-quota staff up to what its fee
    income pays for: all it asks when fees are ample, four posts' worth of fees buy four posts,
    or two when posts cost twice as much."""
    gov, asked, *_ = hired(load=4.0, fees=1e9)
    assert (asked[gov.active] > 4.0).sum() > 3 and (asked[gov.active] < 2.0).sum() > 3
    _, _, _, off = hired(load=4.0, fees=4.0)
    assert np.allclose(off, np.minimum(asked, 4.0))
    _, _, _, off = hired(load=4.0, fees=4.0, post_cost=2.0)
    assert np.allclose(off, np.minimum(asked, 2.0))


def test_each_new_field_agency_comes_with_its_posts_at_a_distinct_province_or_city_bureau():
    model = small_model()
    gov, sp = model.government, model.params.staffing
    upper = np.flatnonzero(gov.active & (gov.dept_level < cat.COUNTY))
    agencies, staff, quota = gov.agencies.copy(), gov.staff.copy(), gov.quota.copy()
    founded = organisation.found_agencies(
        gov, len(upper), np.random.default_rng(0), sp.new_agency_staff
    )
    assert sorted(founded) == sorted(upper.tolist())  # every one once, none twice
    assert np.allclose(gov.agencies - agencies, np.isin(np.arange(gov.n_departments), upper))
    assert np.allclose(gov.staff[upper] - staff[upper], sp.new_agency_staff)
    assert np.allclose(gov.quota[upper] - quota[upper], sp.new_agency_staff)
    assert organisation.found_agencies(gov, 0, np.random.default_rng(0), sp.new_agency_staff) == []
