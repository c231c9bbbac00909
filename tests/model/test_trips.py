"""M2 trips (and M11 contacts): each rule of the trip count, one at a time."""

from dataclasses import replace

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.agents import Citizen, Enterprise
from simulation.chains import build_chains
from simulation.items import HIDDEN, OPEN
from simulation.mechanisms.devolution import devolve
from simulation.mechanisms.trips import FIRM_ABILITY, CompletionQueue, count_trips, uses_platform
from simulation.parameters import ApplicantParams
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


@pytest.mark.heavy
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
                needs, chains, np.array([online]), model.institutions.accept_later, model.params
            )
            assert counted.physical[0] == shown, (matter.name, county)


def test_a_matter_finishes_in_the_month_its_days_run_out_and_none_is_lost():
    queue = CompletionQueue()
    assert queue.step(np.array([0.0, 10.0, 29.9])) == 3  # done within the month
    assert queue.step(np.array([30.0, 59.0, 95.0])) == 0  # next month; three months on
    assert queue.pending == 3
    assert queue.step(np.array([])) == 2
    assert queue.step(np.array([])) == 0
    assert queue.step(np.array([])) == 1 and queue.pending == 0
    # a matter that would take longer than the queue looks ahead still finishes, once
    assert queue.step(np.array([1e5, 1e5])) == 0
    finished = [queue.step(np.array([])) for _ in range(60)]
    assert sum(finished) == 2 and queue.pending == 0
    assert finished.index(2) == len(queue.due) - 2  # at the end of the horizon, both together
    assert (queue.started, queue.done) == (8, 8)


def test_the_platform_serves_the_digitally_able_and_technology_lowers_the_bar():
    ability = np.linspace(0.0, 1.0, 101)
    ap = ApplicantParams(online_threshold_at_zero_tech=0.95)
    assert not uses_platform(ability, 1.0, False, ap).any()  # no platform, nobody online
    users = [uses_platform(ability, tech, True, ap) for tech in (0.0, 0.5, 1.0)]
    assert users[0].sum() < users[1].sum() < users[2].sum()
    for able in users:  # whoever can, anyone abler can too
        assert (np.diff(able.astype(int)) >= 0).all()
    # without technology only those at the bar; even at full technology not everyone
    assert users[0].tolist() == (ability >= 0.95).tolist()
    assert not users[2][0] and users[2][50]
    # the less of the bar technology removes, the fewer go online at full technology
    fewer = uses_platform(ability, 1.0, True, replace(ap, online_bar_tech_cut=0.5))
    assert fewer.sum() < users[2].sum() and (ability[fewer] >= 0.95 * 0.5).all()


def test_an_applicant_agent_and_the_months_matters_follow_the_one_online_rule():
    """The agent's journey (dashboard) and the model's matters read the same rule: a citizen
    by its own ability, a firm as able as the model's firms."""
    model = small_model("technology_only", steps=24)
    model.run()
    ap, tech = model.params.applicants, model.technology
    for agent in model.agents_by_type[Citizen]:
        expected = uses_platform(np.array([agent.digital_ability]), tech.level, True, ap)[0]
        assert agent.uses_platform() == expected
    firm = next(iter(model.agents_by_type[Enterprise]))
    assert firm.uses_platform() == uses_platform(np.array([FIRM_ABILITY]), tech.level, True, ap)[0]


# draws of a need: omission, non-essential, satisfaction, complaint, certificates, pre-visit, invest
CLEAN = [0.99, 0.99, 0.99, 0.99, 0.0, 0.99, 0.99]  # nothing omitted, certificates held if may be
OMITTED = [0.0, 0.99, 0.99, 0.99, 0.0, 0.99, 0.99]


def civil_bureau(model):
    gov = model.government
    return gov.dept(cat.DOMAIN["civil_affairs"], gov.hierarchy[0, cat.COUNTY])


def test_every_extra_trip_costs_travel_and_a_contact_and_only_hidden_steps_escape_the_records():
    """Marriage registration at one bureau, the applicant holding the certificate: one trip.
    An omission, a certificate to fetch, a hidden step: each adds trips, hours on the road,
    face-to-face contacts and days; the bureaus' records count all but the hidden step."""
    holder = small_model(applicants__certificate_missing_share=0.0)
    base = trips(holder, "marriage_registration", draws=CLEAN)
    assert base.trips[0] == base.recorded[0] == base.face_to_face[0] == 1
    assert base.travel_hours[0] > 0 and base.days[0] > 0
    repeat = trips(holder, "marriage_registration", draws=OMITTED)
    fetcher = small_model(applicants__certificate_missing_share=1.0)
    fetched = trips(fetcher, "marriage_registration", draws=CLEAN)
    fetcher.government.items.add(
        owner=[civil_bureau(fetcher)], matter=[cat.MATTER["marriage_registration"]], level=[2],
        status=[HIDDEN],
    )  # fmt: skip
    hidden = trips(fetcher, "marriage_registration", draws=CLEAN)
    for fewer, more in ((base, repeat), (base, fetched), (fetched, hidden)):
        assert more.trips[0] > fewer.trips[0]
        assert more.travel_hours[0] > fewer.travel_hours[0]
        assert more.face_to_face[0] > fewer.face_to_face[0]
        assert more.days[0] > fewer.days[0]
    assert repeat.recorded[0] == repeat.trips[0] and fetched.recorded[0] == fetched.trips[0]
    assert hidden.recorded[0] == fetched.recorded[0]  # nobody records the hidden step


def test_an_applicant_who_does_everything_online_goes_nowhere_and_meets_nobody():
    """Every item online and every certificate served by a database: an able applicant makes no
    trip, even with a window open and a material forgotten (fixed online), travels no hour and
    meets no official; one who cannot use the platform makes the one window trip."""
    model = small_model()
    gov = model.government
    gov.items.online[: gov.items.n] = True
    gov.shares_data[:] = True
    for window in (False, True):
        gov.in_window[:] = window
        for draws in (CLEAN, OMITTED):
            online = trips(model, "marriage_registration", True, db=ALL_DB, platform=True,
                           draws=draws)  # fmt: skip
            assert online.physical[0] == 0 and online.travel_hours[0] == 0
            assert online.face_to_face[0] == 0
    offline = trips(model, "marriage_registration", False, db=ALL_DB, platform=True, draws=CLEAN)
    assert offline.trips[0] == offline.face_to_face[0] == 1 and offline.travel_hours[0] > 0


def test_a_window_routes_a_chains_items_in_parallel():
    """One more item at the same bureau adds processing days, fewer at a window (a single-bureau
    window here) than bureau by bureau."""
    added = {}
    for window in (False, True):
        model = small_model()
        model.government.in_window[:] = window
        before = trips(model, "marriage_registration", draws=CLEAN)
        model.government.items.add(
            owner=[civil_bureau(model)], matter=[cat.MATTER["marriage_registration"]],
            level=[2], status=[OPEN], materials=[1],
        )  # fmt: skip
        after = trips(model, "marriage_registration", draws=CLEAN)
        assert after.physical[0] == before.physical[0]
        added[window] = after.days[0] - before.days[0]
    assert 0 < added[True] < added[False]


def test_informal_pre_visits_are_still_made_but_neither_counted_nor_recorded():
    """At counters that take applicants informally first, the repeat trip and the return with a
    fetched certificate happen off the books: the applicant goes as often and waits as long, the
    count and the records say less. Online, a fetched paper is uploaded: no return visit."""
    model = small_model(applicants__certificate_missing_share=1.0)
    plain = trips(model, "marriage_registration", draws=OMITTED)
    model.government.pre_visits[:] = 1.0
    informal = trips(model, "marriage_registration", draws=OMITTED)
    assert informal.informal[0] == 2  # the repeat trip and the return with the certificate
    assert informal.physical[0] == plain.physical[0] and informal.days[0] == plain.days[0]
    assert informal.trips[0] == plain.trips[0] - 2
    assert informal.recorded[0] == informal.trips[0]
    gov = model.government
    gov.items.online[: gov.items.n] = True
    online = trips(model, "marriage_registration", True, platform=True, draws=OMITTED)
    assert online.informal[0] == 1  # the repeat trip only
    # the pre-visit draw decides: on a chain of three bureaus, one taking pre-visits, an applicant
    # with a high pre-visit draw goes by the books, one with a low draw does not
    gov.pre_visits[:] = False
    gov.items.online[: gov.items.n] = False
    birth = cat.MATTER["birth_registration"]
    chains = build_chains(gov, NO_DB, False)
    d, level = np.argwhere(chains.open_items[0, birth] > 0)[0]
    gov.pre_visits[chains.handler[0, d, level]] = True
    by_draw = [
        trips(model, "birth_registration", draws=OMITTED[:5] + [pre, 1 - pre]).informal[0]
        for pre in (0.99, 0.0)
    ]
    assert by_draw[0] == 0 < by_draw[1]


def test_each_chance_of_a_need_reads_its_own_draw():
    """A need's draws are fixed whatever the policy (common random numbers): the certificate
    draw alone decides whether a certificate is missing, the non-essential draw alone whether
    'accept now, complete later' excuses an omission."""
    half = small_model(applicants__certificate_missing_share=0.5)  # marriage: one certificate
    held = trips(half, "marriage_registration", draws=[0.99, 0.99, 0.99, 0.99, 0.0, 0.99, 0.99])
    missing = trips(half, "marriage_registration", draws=[0.99, 0.0, 0.0, 0.0, 0.6, 0.0, 0.0])
    assert missing.trips[0] == held.trips[0] + 2
    model = small_model()
    excusable = [0.0, 0.0, 0.99, 0.99, 0.0, 0.99, 0.99]
    assert (
        trips(model, "marriage_registration", draws=excusable, accept_later=True).trips[0]
        == trips(model, "marriage_registration", draws=CLEAN).trips[0]
    )
