"""M4 data sharing: silos open only with a database and a bureau that agrees."""

from dataclasses import asdict

import numpy as np

from simulation import catalogue as cat
from simulation.mechanisms import data_sharing
from tests.conftest import small_model


def test_silos_open_only_when_pressed_and_technology_allows():
    model = small_model()
    gov = model.government
    everyone = np.ones(gov.n_departments, bool)
    gov.pressure[:] = 10.0
    none_ready = np.zeros(len(cat.DATABASES), bool)
    assert len(data_sharing.open_silos(gov, everyone, none_ready, np.ones(gov.n_departments))) == 0
    all_ready = np.ones(len(cat.DATABASES), bool)
    opened = data_sharing.open_silos(gov, everyone, all_ready, np.ones(gov.n_departments))
    assert len(opened) == gov.active.sum()


def test_information_advantage_holds_silos_shut():
    model = small_model()
    gov = model.government
    gov.pressure[:] = 1.0
    all_ready = np.ones(len(cat.DATABASES), bool)
    strong = np.full(gov.n_departments, 2.0)
    assert (
        len(data_sharing.open_silos(gov, np.ones(gov.n_departments, bool), all_ready, strong)) == 0
    )


def test_technology_alone_does_not_make_bureaus_share():
    """A platform with no pressure at all: bureaus keep their silos."""
    inst = dict.fromkeys(asdict(small_model().params.scenario.institutions), False)
    inst.update(platform=True, technology_growth=0.1)
    model = small_model(scenario__institutions=inst, steps=24)
    model.run()
    assert model.government.shares_data.sum() == 0
    assert model.technology.level > 0.3


def test_coverage_follows_the_adoption_curve():
    model = small_model("pressure_and_technology", steps=36)
    df = model.run()
    coverage = df["data_sharing_coverage"].to_numpy()
    assert coverage[0] < 0.5 < coverage[-1]
    assert np.all(np.diff(coverage) >= -1e-9)  # silos do not close again


def test_coverage_counts_county_issuers_whose_own_or_host_silo_a_running_database_serves():
    """Coverage is the share of county bureaus issuing certificates whose silo is open to a
    running database: province and city bureaus and bureaus issuing nothing do not count, a
    silo without its database serves nobody, and a merged bureau is served through its host."""
    gov = small_model().government
    issuers = np.unique(
        [cat.DOMAIN[c] for m in cat.MATTERS for s in m.steps for c in s.certificates]
    )
    counted = np.isin(gov.dept_domain, issuers) & (gov.dept_level == cat.COUNTY)
    all_ready = np.ones(len(cat.DATABASES), bool)
    none_ready = np.zeros(len(cat.DATABASES), bool)
    gov.shares_data[~counted] = True
    assert data_sharing.coverage(gov, all_ready) == 0.0
    gov.shares_data[:] = True
    assert data_sharing.coverage(gov, all_ready) == 1.0
    assert data_sharing.coverage(gov, none_ready) == 0.0
    population = cat.DATABASE["population"]
    db = np.array([cat.database_of(d) for d in range(len(cat.DOMAINS))])
    only = none_ready.copy()
    only[population] = True
    served = counted & (db[gov.dept_domain] == population)
    assert 0 < served.sum() < counted.sum()
    assert np.isclose(data_sharing.coverage(gov, only), served.sum() / counted.sum())
    gov.shares_data[:] = False
    first, second = np.flatnonzero(counted)[:2]
    gov.shares_data[second] = True
    gov.host[first] = second  # merged into a bureau whose silo is open
    assert np.isclose(data_sharing.coverage(gov, all_ready), 2 / counted.sum())
