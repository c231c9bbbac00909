"""M2 trips (and M11 contacts): each rule of the trip count, one at a time."""

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.chains import build_chains
from simulation.mechanisms.devolution import devolve
from simulation.mechanisms.trips import count_trips
from tests.conftest import needs_for, small_model

NO_DB = np.zeros(len(cat.DATABASES), bool)
ALL_DB = np.ones(len(cat.DATABASES), bool)


def trips(model, matter, online=False, accept_later=False, db=NO_DB, platform=False, draws=0.99):
    chains = build_chains(model.government, db, platform)
    needs = needs_for(matter, draws=draws)
    return count_trips(needs, chains, np.array([online]), accept_later, model.params)


def test_a_shared_database_removes_the_certificate_trip():
    model = small_model()
    before = trips(model, "residence_and_identity", platform=True).trips[0]
    gov = model.government
    gov.shares_data[gov.dept_domain == cat.DOMAIN["housing_construction"]] = True
    after = trips(model, "residence_and_identity", db=ALL_DB, platform=True).trips[0]
    assert before - after == 2  # no more going to the issuer and back
    assert trips(model, "residence_and_identity", db=NO_DB, platform=True).trips[0] == before


def test_without_a_window_each_bureau_is_a_trip():
    model = small_model(applicants__certificate_missing_share=0.0)  # applicant holds every paper
    out = trips(model, "open_a_restaurant", draws=[0.99, 0.99, 0.5, 0.5, 0.0, 0.99, 0.0])
    assert out.trips[0] == 6  # six bureaus, no omission


def test_one_window_makes_one_submission():
    model = small_model()
    model.government.in_window[:] = True
    out = trips(model, "open_a_restaurant", draws=[0.99, 0.99, 0.5, 0.5, 0.99, 0.99, 0.0])
    assert out.trips[0] == 1  # certificates are now chased by staff, not the applicant


def test_online_items_cost_no_trip_for_able_applicants():
    model = small_model()
    items = model.government.items
    items.online[: items.n] = True
    gov = model.government
    gov.shares_data[:] = True
    online = trips(model, "residence_and_identity", online=True, db=ALL_DB, platform=True)
    offline = trips(model, "residence_and_identity", online=False, db=ALL_DB, platform=True)
    assert online.trips[0] == 0 and offline.trips[0] >= 1
    assert online.face_to_face[0] < offline.face_to_face[0]  # M11: fewer contacts online


def test_omission_costs_a_repeat_trip_unless_accepted_later():
    model = small_model()
    omitted = [0.0, 0.0, 0.5, 0.5, 0.0, 0.99, 0.0]  # omission happens, and it is non-essential
    base = trips(model, "marriage_registration", draws=[0.99, 0.0, 0.5, 0.5, 0.0, 0.99, 0.0]).trips[
        0
    ]
    repeat = trips(model, "marriage_registration", draws=omitted).trips[0]
    excused = trips(model, "marriage_registration", draws=omitted, accept_later=True).trips[0]
    assert repeat == base + 1
    assert excused == base


def test_hidden_items_add_trips_outside_the_window():
    model = small_model()
    model.government.in_window[:] = True
    before = trips(model, "marriage_registration").trips[0]
    gov = model.government
    bureau = gov.dept(cat.DOMAIN["civil_affairs"], gov.hierarchy[0, 2])
    # a cut item comes back hidden, e.g. as an intermediary service
    gov.items.add(
        owner=[bureau], matter=[cat.MATTER["marriage_registration"]], level=[2], status=[1]
    )
    assert trips(model, "marriage_registration").trips[0] == before + 1


def test_devolution_shortens_travel():
    model = small_model()
    far = trips(model, "investment_project").travel_hours[0]
    upper = model.government.dept_level < cat.COUNTY
    devolve(model.government, upper, share=1.0, staff_follow=0.5)
    near = trips(model, "investment_project").travel_hours[0]
    assert near < far


def test_realised_means_at_most_one_trip():
    model = small_model()
    model.government.in_window[:] = True
    out = trips(model, "marriage_registration", draws=[0.99, 0.99, 0.5, 0.5, 0.99, 0.99, 0.0])
    assert out.trips[0] == 1 and out.realised[0]


def test_every_matter_started_is_done_or_pending():
    df = small_model("one_window_no_data", steps=12, population__citizens=1500).run()
    assert (df["matters_done"] + df["matters_pending"] == df["matters"].cumsum()).all()
    assert df["matters_done"].iloc[-1] > 0


@pytest.mark.parametrize("scenario, months", [("status_quo", 1), ("pressure_and_technology", 30)])
@pytest.mark.parametrize("online", [False, True])
def test_the_journey_adds_up_to_the_trips_m2_counts_for_every_matter(scenario, months, online):
    """The dashboard's trip-by-trip account and M2 apply the same rules: for a matter with nothing
    omitted and every certificate still to fetch, their trips agree in every county."""
    model = small_model(scenario, steps=months, applicants__certificate_missing_share=1.0)
    model.run()
    chains = model.approval_chains()
    for matter in cat.MATTERS:
        for county in range(model.government.n_counties):
            legs = model.journey(county, cat.MATTER[matter.name], online)
            shown = sum(leg["trips"] + leg.get("informal", 0) for leg in legs)
            needs = needs_for(
                matter.name, county=county, draws=[0.99, 0.99, 0.5, 0.5, 0.0, 0.99, 0.0]
            )
            counted = count_trips(
                needs, chains, np.array([online]), model.institutions["accept_later"], model.params
            )
            assert counted.physical[0] == shown, (matter.name, county)
