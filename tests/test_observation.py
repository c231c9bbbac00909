"""What watchers can see (docs/ODD.md 'What watchers can see'): a hidden step comes to light only through an observed
matter whose path is traceable; nothing comes to light where nobody observes."""

import numpy as np

from simulation import catalogue as cat
from simulation.chains import build_chains
from simulation.items import CUT, HIDDEN
from simulation.mechanisms import observation, supervision
from simulation.mechanisms.observation import Evidence
from tests.conftest import small_model

MARRIAGE = cat.MATTER["marriage_registration"]
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


def test_a_hidden_item_is_exposed_only_where_its_path_is_observed():
    gov, unit = one_hidden_item()
    row = np.flatnonzero(gov.items.status[: gov.items.n] == HIDDEN)[0]
    chains = build_chains(gov, NO_DB, False)
    for seen, expected in ((0.0, False), (1e6, True)):
        ev = evidence(gov, seen, 1.0)
        exp = supervision.exposure(
            gov, ev, chains, {"public_item_list": False, "internal_campaigns": False,
                              "reform_office": False}, 0.0, small_model().params.supervision,
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


def test_a_survey_needs_a_third_party_and_complaints_a_channel():
    for scenario, channels in (
        ("internal_reform", set()),
        ("public_pressure", {"survey", "complaints"}),
        ("pressure_and_technology", {"survey", "complaints", "project_codes"}),
    ):
        model = small_model(scenario, steps=30, technology__initial_level=0.5)
        model.run()
        assert set(model.evidence.observed) == channels, scenario
