"""M6 staff and agency regrowth: Parkinson drift, overload hiring, splits after mergers."""

import numpy as np

from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms import workload
from tests.conftest import small_model


def grow(model, months, load_factor, restraint=1.0):
    gov, rng = model.government, np.random.default_rng(0)
    for _ in range(months):
        load = gov.staff * 120.0 * load_factor
        workload.step(gov, load, 120.0)
        organisation.step(gov, np.full(gov.n_departments, restraint), rng, model.params)


def test_staff_drift_without_change_in_work_is_parkinsons():
    model = small_model(
        staffing__split_annual=0.0,
        staffing__new_field_agencies_annual=0.0,
        departments__self_interest_sd=0.0,
    )
    before = model.government.staff.sum()
    grow(model, 12, load_factor=0.5)
    growth = model.government.staff.sum() / before - 1
    assert np.isclose(
        growth, (1 + model.params["staffing"]["parkinson_annual"] / 12) ** 12 - 1, rtol=0.05
    )


def test_deterrence_restrains_empire_building_but_not_hiring_for_work():
    free, watched = small_model(), small_model()
    grow(free, 24, load_factor=0.5, restraint=1.0)
    grow(watched, 24, load_factor=0.5, restraint=0.05)
    assert watched.government.staff.sum() < free.government.staff.sum()
    busy = small_model()
    grow(busy, 24, load_factor=1.5, restraint=0.05)
    assert busy.government.staff.sum() > watched.government.staff.sum()


def test_overload_hires_staff():
    calm, busy = small_model(), small_model()
    grow(calm, 12, 0.8)
    grow(busy, 12, 1.5)
    assert busy.government.staff.sum() > 1.1 * calm.government.staff.sum()


def test_merger_then_overload_splits_again():
    model = small_model(staffing__split_annual=0.6)
    gov = model.government
    merged = organisation.merge(gov, np.flatnonzero(organisation.mergeable(gov)))
    assert merged
    after_merge = gov.agencies[gov.active].sum()
    grow(model, 24, load_factor=1.6)
    assert (~gov.active).sum() < len(merged)  # some merged bureaus came back as agencies
    assert gov.agencies[gov.active].sum() > after_merge


def test_staff_never_below_floor():
    model = small_model()
    gov = model.government
    gov.staff[:] = 0.0
    grow(model, 1, 0.0)
    floor = organisation.staff_floor(gov, model.params)
    assert (gov.staff[gov.active] >= floor[gov.active] - 1e-9).all()
