"""What watchers can see (docs/ODD.md 'What watchers can see'): a hidden step comes to light only through an observed
matter whose path is traceable; nothing comes to light where nobody observes."""

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.chains import build_chains
from simulation.items import CUT, HIDDEN
from simulation.mechanisms import observation, supervision
from simulation.mechanisms.observation import Evidence
from simulation.parameters import Institutions
from tests.conftest import small_model

MARRIAGE = cat.MATTER["marriage_registration"]
INVESTMENT = cat.MATTER["investment_project"]
NO_DB = np.zeros(len(cat.DATABASES), bool)


def one_hidden_item():
    """A small government with a single hidden item, on the marriage chain of county 0's
    civil-affairs bureau. Returns (government, its unit)."""
    gov = small_model(government__cities=1, government__counties_per_city=2).government
    items = gov.items
    status = items.status[: items.n]
    status[:] = CUT
    row = np.flatnonzero(
        (items.matter[: items.n] == MARRIAGE)
        & (gov.dept_unit[items.owner[: items.n]] == gov.hierarchy[0, cat.COUNTY])
    )[0]
    status[row] = HIDDEN
    return gov, gov.hierarchy[0, cat.COUNTY]


def evidence(gov, observed: float, trace: float, matter: int = MARRIAGE, county: int = 0):
    """`observed` represented observations of one path, every path with traceability `trace`."""
    paths = np.zeros((gov.n_counties, len(cat.MATTERS)))
    paths[county, matter] = observed
    return Evidence({"survey": paths}, np.full(paths.shape, trace))


def chance(gov, unit, ev) -> float:
    return float(observation.chance_by_unit(gov, ev, ev.traceability)[unit, MARRIAGE])


def test_nothing_comes_to_light_where_nobody_observes():
    gov, unit = one_hidden_item()
    assert chance(gov, unit, evidence(gov, 0.0, 0.9)) == 0.0
    assert chance(gov, unit, Evidence({}, np.full((gov.n_counties, len(cat.MATTERS)), 0.9))) == 0
    # observations of another matter, or of another county's path, show nothing of this item
    other = cat.MATTER["birth_registration"]
    assert chance(gov, unit, evidence(gov, 50.0, 0.9, matter=other)) == 0.0
    assert chance(gov, unit, evidence(gov, 50.0, 0.9, county=1)) == 0.0


def test_exposure_rises_with_observed_traffic_and_with_traceability():
    gov, unit = one_hidden_item()
    by_traffic = [chance(gov, unit, evidence(gov, n, 0.3)) for n in (0.1, 1.0, 5.0)]
    assert by_traffic[0] < by_traffic[1] < by_traffic[2]
    by_trace = [chance(gov, unit, evidence(gov, 5.0, t)) for t in (0.0, 0.1, 0.6)]
    assert by_trace[0] == 0.0 and by_trace[0] < by_trace[1] < by_trace[2]
    # more looks at the same records do not make the records say more than they hold
    assert chance(gov, unit, evidence(gov, 1e6, 0.3)) <= 0.3 + 1e-9
    # but another channel's files are independent evidence
    one = evidence(gov, 5.0, 0.3)
    two = Evidence(
        {"survey": one.observed["survey"], "complaints": one.observed["survey"]}, one.traceability
    )
    assert chance(gov, unit, one) < chance(gov, unit, two) < 1


def test_a_hidden_item_is_exposed_only_where_its_path_is_observed():
    gov, unit = one_hidden_item()
    row = np.flatnonzero(gov.items.status[: gov.items.n] == HIDDEN)[0]
    chains = build_chains(gov, NO_DB, False)
    for seen, expected in ((0.0, False), (1e6, True)):
        ev = evidence(gov, seen, 1.0)
        exp = supervision.exposure(
            gov, ev, chains, Institutions(), 0.0, small_model().params.supervision,
        )  # fmt: skip
        gov.items.status[row] = HIDDEN
        exposed = supervision.expose_items(gov, exp, 1, np.random.default_rng(0))
        assert (row in exposed) == expected


def test_technology_raises_traceability_through_online_filing_e_licences_and_project_codes():
    model = small_model("pressure_and_technology")
    gov, sp = model.government, model.params.supervision
    paper = observation.traceability(build_chains(gov, NO_DB, False), False, sp)
    assert np.allclose(paper, sp.traceability_paper)
    gov.items.online[: gov.items.n] = True  # every open item filed online, certificates on paper
    online = observation.traceability(build_chains(gov, NO_DB, True), False, sp)
    assert (online >= paper).all() and online.mean() > paper.mean()
    assert online.max() <= sp.traceability_digital + 1e-12
    gov.shares_data[:] = True  # and every certificate served by a database: all on record
    every_db = np.ones(len(cat.DATABASES), bool)
    logged = observation.traceability(build_chains(gov, every_db, True), False, sp)
    assert logged.mean() > online.mean()
    assert np.allclose(logged, sp.traceability_digital)
    gov.items.online[: gov.items.n] = False
    gov.shares_data[:] = False
    coded = observation.traceability(build_chains(gov, NO_DB, False), True, sp)
    investment = cat.MATTER["investment_project"]
    assert np.allclose(coded[:, investment], sp.traceability_digital)
    assert np.allclose(np.delete(coded, investment, axis=1), sp.traceability_paper)


def test_observations_are_counted_in_represented_matters_not_simulated_ones():
    """The same province simulated with 5 times the applicants sees about the same evidence."""
    seen = []
    for citizens in (1000, 5000):
        model = small_model("public_pressure", population__citizens=citizens, steps=6)
        model.run()
        seen.append(sum(n.sum() for n in model.evidence.observed.values()))
    assert 0.7 < seen[1] / seen[0] < 1.4


@pytest.mark.heavy
def test_a_survey_needs_a_third_party_and_complaints_a_channel():
    for scenario, channels in (
        ("internal_reform", set()),
        ("public_pressure", {"survey", "complaints"}),
        ("pressure_and_technology", {"survey", "complaints", "project_codes"}),
    ):
        model = small_model(scenario, steps=30, technology__initial_level=0.5)
        model.run()
        assert set(model.evidence.observed) == channels, scenario


SUPERVISION = cache(lambda: small_model().params.supervision)
INSTITUTIONS = Institutions(third_party_evaluation=True, complaint_channel=True)


def observed(months, inst=None, tracking=True, memory=0.5, matters=None, complaints=None):
    """Evidence after `months` months of the same observable matters (represented counts on a
    2-county x all-matter grid: county 0 has twice county 1's traffic) and complaints."""
    sp = replace(SUPERVISION(), evidence_memory=memory)
    M = len(cat.MATTERS)
    if matters is None:
        matters = np.vstack([np.full(M, 20.0), np.full(M, 10.0)])
    if complaints is None:
        complaints = np.zeros((2, M))
        complaints[0, MARRIAGE] = 3.0
    ev = Evidence()
    trace = np.full((2, M), 0.4)
    for month in range(months):
        ev = observation.observe(
            ev, inst or INSTITUTIONS, tracking, matters if month < 1 else matters * 0,
            complaints if month < 1 else complaints * 0, trace, sp,
        )  # fmt: skip
    return ev, sp


def test_each_watcher_sees_the_matters_its_channel_reaches():
    """The survey spreads its quarterly sample over the paths by their traffic, a third a month;
    the hotline follows up the complaints where they arose; project codes record every investment
    project, and nothing else. The month's traceability travels with the evidence."""
    ev, sp = observed(1)
    survey, complaints, codes = (ev.observed[c] for c in observation.CHANNELS)
    assert np.isclose(survey.sum() * 3, sp.survey_sample)
    assert np.allclose(survey[0], 2 * survey[1]) and (survey > 0).all()
    assert complaints[0, MARRIAGE] > 0 and np.count_nonzero(complaints) == 1
    assert codes[:, INVESTMENT].tolist() == [20.0, 10.0] and np.count_nonzero(codes) == 2
    assert np.allclose(ev.traceability, 0.4)
    # the hotline follows up complaints in proportion: more complaints, more of them followed up
    more = np.zeros((2, len(cat.MATTERS)))
    more[0, MARRIAGE] = 6.0
    assert (
        observed(1, complaints=more)[0].observed["complaints"][0, MARRIAGE]
        > complaints[0, MARRIAGE]
    )
    # a survey of a quiet month observes nothing and divides by nothing
    quiet, _ = observed(1, matters=np.zeros((2, len(cat.MATTERS))))
    assert (quiet.observed["survey"] == 0).all()
    # the sample is spread over the paths however little traffic they carry
    few, _ = observed(
        1, matters=np.vstack([np.full(len(cat.MATTERS), 0.002), np.full(len(cat.MATTERS), 0.001)])
    )
    assert np.allclose(few.observed["survey"], survey)


def test_a_watcher_needs_its_institution_and_project_codes_need_a_watcher_to_read_them():
    none = Institutions()
    assert observed(1, none)[0].observed == {}
    assert set(observed(1, replace(none, complaint_channel=True))[0].observed) == {"complaints"}
    office = replace(none, reform_office=True)
    assert set(observed(1, office)[0].observed) == {"project_codes"}
    assert observed(1, office, tracking=False)[0].observed == {}
    survey = replace(none, third_party_evaluation=True)
    assert set(observed(1, survey)[0].observed) == {"survey", "project_codes"}
    assert set(observed(1, survey, tracking=False)[0].observed) == {"survey"}


def test_evidence_fades_over_quiet_months_and_is_kept_longer_with_more_memory():
    """Files stay open a few months: after one month of observations and then quiet months, the
    evidence held shrinks month by month but does not vanish at once; a longer memory keeps
    more of it; no memory keeps none."""
    for channel in observation.CHANNELS:
        held = [observed(months)[0].observed[channel].sum() for months in (1, 2, 3)]
        assert held[0] > held[1] > held[2] > 0, channel
        assert observed(3, memory=0.9)[0].observed[channel].sum() > held[2]
        assert observed(2, memory=0.0)[0].observed[channel].sum() == 0
    # evidence of the months before adds to this month's
    ev, sp = observed(1)
    again = observation.observe(
        ev, INSTITUTIONS, True, np.vstack([np.full(len(cat.MATTERS), 20.0), np.full(len(cat.MATTERS), 10.0)]),
        np.zeros((2, len(cat.MATTERS))), ev.traceability, sp,
    )  # fmt: skip
    assert again.observed["survey"].sum() > ev.observed["survey"].sum()
    assert 0 < again.observed["complaints"].sum() < ev.observed["complaints"].sum()


def one_open_item(matters=(MARRIAGE,)):
    """A small government whose only live items are open items of county 0's civil-affairs
    bureau, one on the chain of each of `matters`. Returns (government, chains, bureau)."""
    gov = small_model(government__cities=1, government__counties_per_city=2).government
    items = gov.items
    status = items.status[: items.n]
    status[:] = CUT
    bureau = gov.dept(cat.DOMAIN["civil_affairs"], gov.hierarchy[0, cat.COUNTY])
    items.add(
        owner=[bureau] * len(matters), matter=list(matters), level=[cat.COUNTY] * len(matters)
    )
    return gov, build_chains(gov, NO_DB, False), bureau


def test_a_bureaus_practice_comes_to_light_only_through_observed_traceable_paths_it_is_on():
    gov, chains, bureau = one_open_item()
    by_bureau = lambda ev: observation.chance_by_bureau(gov, chains, ev)  # noqa: E731
    assert not by_bureau(evidence(gov, 0.0, 0.9)).any()
    assert not by_bureau(evidence(gov, 50.0, 0.9, matter=cat.MATTER["birth_registration"])).any()
    assert not by_bureau(evidence(gov, 50.0, 0.9, county=1)).any()
    seen = by_bureau(evidence(gov, 5.0, 0.3))
    assert seen[bureau] > 0 and np.count_nonzero(seen) == 1 and len(seen) == gov.n_departments
    by_traffic = [by_bureau(evidence(gov, n, 0.3))[bureau] for n in (0.1, 1.0, 5.0)]
    assert by_traffic[0] < by_traffic[1] < by_traffic[2] <= 0.3
    by_trace = [by_bureau(evidence(gov, 5.0, t))[bureau] for t in (0.0, 0.1, 0.6)]
    assert by_trace[0] == 0.0 < by_trace[1] < by_trace[2] <= 0.6
    # independent channels: the hotline's files add to the survey's
    one = evidence(gov, 5.0, 0.3)
    two = Evidence(
        {"survey": one.observed["survey"], "complaints": one.observed["survey"]}, one.traceability
    )
    assert by_bureau(one)[bureau] < by_bureau(two)[bureau] < 1
    # a bureau merged away keeps its place, with no chance of its own
    last = gov.n_departments - 1
    gov.host[gov.host == last] = last - 1
    merged = build_chains(gov, NO_DB, False)
    chance = observation.chance_by_bureau(gov, merged, one)
    assert len(chance) == gov.n_departments and chance[last] == 0 and chance[bureau] > 0


def test_only_the_traceable_paths_a_bureau_is_on_expose_its_practice():
    """A bureau on two paths, one on record and one on paper with nothing traceable: watching
    the paper path shows nothing, watching the logged one does, and watching both shows less
    than the logged one alone would with as many looks."""
    birth = cat.MATTER["birth_registration"]
    gov, chains, bureau = one_open_item((MARRIAGE, birth))
    trace = np.zeros((gov.n_counties, len(cat.MATTERS)))
    trace[0, MARRIAGE] = 0.6

    def seen(marriage, births):
        paths = np.zeros(trace.shape)
        paths[0, MARRIAGE], paths[0, birth] = marriage, births
        return observation.chance_by_bureau(gov, chains, Evidence({"survey": paths}, trace))[bureau]

    assert seen(0.0, 4.0) == 0.0 and seen(4.0, 0.0) > 0
    assert 0 < seen(2.0, 2.0) < seen(4.0, 0.0)


def test_a_path_is_as_traceable_as_its_own_steps_on_record_and_an_empty_path_is_paper():
    """County 0's marriage path has one step, filed online: fully on record, even though the
    birth path next to it asks for a paper certificate and stays on paper. Paths with no step
    at all read as paper."""
    birth = cat.MATTER["birth_registration"]
    gov, _, bureau = one_open_item((MARRIAGE,))
    gov.items.online[gov.items.n - 1] = True
    gov.items.add(
        owner=[bureau], matter=[birth], level=[cat.COUNTY],
        certificate=[cat.DOMAIN["public_security"]],
    )  # fmt: skip
    chains = build_chains(gov, NO_DB, False)
    assert chains.unshared[0, birth].sum() > 0
    sp = small_model().params.supervision
    trace = observation.traceability(chains, False, sp)
    assert np.isclose(trace[0, MARRIAGE], sp.traceability_digital)
    assert np.isclose(trace[0, birth], sp.traceability_paper)
    empty = np.ones(trace.shape, bool)
    empty[0, [MARRIAGE, birth]] = False
    assert np.allclose(trace[empty], sp.traceability_paper)


def test_a_monthly_chance_held_for_a_year_is_the_chance_it_happens_in_some_month():
    monthly = np.array([0.0, 0.01, 0.1, 0.5, 1.0])
    year = observation.yearly(monthly)
    assert year[0] == 0.0 and np.isclose(year[-1], 1.0)
    assert (np.diff(year) > 0).all() and (year[1:-1] > monthly[1:-1]).all()
    assert np.allclose(year, 1 - (1 - monthly) ** 12)  # twelve independent months
