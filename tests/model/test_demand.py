"""M1 demand: the same needs whatever the policy; firms fed up with the burden invest less."""

import copy

import numpy as np

from simulation import catalogue as cat
from simulation.mechanisms.demand import DRAWS_PER_NEED, expected_monthly_matters
from tests.conftest import small_model

INVESTMENT = cat.MATTER["investment_project"]


def years_of_needs(satisfaction: float, months: int = 24):
    """Two years of needs met by firms of one satisfaction, from the same random streams."""
    model = small_model(population__enterprises=3000)
    model.enterprises.satisfaction[:] = satisfaction
    demand = copy.deepcopy(model.demand)
    needs, dropped = [], 0
    for _ in range(months):
        needs.append(demand.step())
        dropped += demand.investments_dropped
    return needs, dropped


def test_a_dissatisfied_firm_drops_investment_projects_a_satisfied_one_does_not():
    content, none_dropped = years_of_needs(1.0)
    fed_up, dropped = years_of_needs(0.0)
    assert none_dropped == 0 and dropped > 0
    invest = lambda months: sum((n.matter == INVESTMENT).sum() for n in months)  # noqa: E731
    floor = small_model().params.applicants.investment_confidence_floor
    assert np.isclose(invest(fed_up) / invest(content), floor, atol=0.1)
    # everything else is the same stream of needs
    for a, b in zip(fed_up, content):
        assert np.array_equal(a.matter[a.matter != INVESTMENT], b.matter[b.matter != INVESTMENT])


def months_of_needs(model, months: int, **demand):
    """`months` of needs drawn by a fresh M1 demand over the model's applicants."""
    from simulation.mechanisms.demand import Demand

    d = Demand(
        model.citizens, model.enterprises, np.random.default_rng(1), np.random.default_rng(2),
        **demand,
    )  # fmt: skip
    out = []
    for _ in range(months):
        out.append((d.step(), d.investments_dropped))
    return out


def test_larger_firms_bring_more_matters():
    """Two firms each as large as a third of all firms together (the first and the last of the
    list) start about a third of the firms' matters each; the small firms share the rest."""
    model = small_model(population__enterprises=1000)
    firms = model.enterprises
    firms.size[:] = 1.0
    firms.size[[0, -1]] = firms.n - 2
    firms.satisfaction[:] = 1.0  # no project dropped
    needs = [n for n, _ in months_of_needs(model, 12)]
    who = np.concatenate([n.applicant[n.enterprise] for n in needs])
    assert len(who) > 300
    for big in (0, firms.n - 1):
        assert 0.2 < (who == big).mean() < 0.46
    assert 0.2 < ((who > 0) & (who < firms.n - 1)).mean() < 0.46


def test_every_need_is_its_applicants_own():
    """A need carries its applicant's kind and county, a matter of that kind, and its own
    draws; citizens and firms both have needs every month."""
    model = small_model(population__enterprises=600)
    for needs, _ in months_of_needs(model, 6):
        assert needs.enterprise.any() and (~needs.enterprise).any()
        for is_firm, applicants in ((False, model.citizens), (True, model.enterprises)):
            mine = needs.enterprise == is_firm
            who = needs.applicant[mine]
            assert ((0 <= who) & (who < applicants.n)).all()
            assert np.array_equal(needs.county[mine], applicants.county[who])
            kinds = {cat.MATTERS[m].applicant for m in needs.matter[mine]}
            assert kinds == {applicants.kind}
        assert needs.draws.shape == (len(needs), DRAWS_PER_NEED)
        assert ((0 <= needs.draws) & (needs.draws < 1)).all()
        assert len(np.unique(needs.draws[:, 2])) == len(needs)


def test_vacated_firm_slots_act_on_no_need_and_everyone_else_meets_the_same_needs():
    """Common random numbers: with every firm slot vacated (and firms fed up, so projects would
    be dropped) the citizens meet exactly the needs, with the same draws, that they meet when
    every firm is active; no vacated slot starts a matter or counts as dropping a project."""
    busy = small_model(population__enterprises=600)
    busy.enterprises.satisfaction[:] = 0.0
    empty = copy.deepcopy(busy)
    empty.enterprises.active[:] = False
    dropped_by_busy = 0
    for (a, dropped_a), (b, dropped_b) in zip(months_of_needs(busy, 6), months_of_needs(empty, 6)):
        assert a.enterprise.any() and not b.enterprise.any()
        assert dropped_b == 0
        dropped_by_busy += dropped_a
        citizens = ~a.enterprise
        for field in ("applicant", "matter", "county", "draws"):
            assert np.array_equal(getattr(a, field)[citizens], getattr(b, field))
    assert dropped_by_busy > 0  # the active firms, fed up, did drop projects


def test_the_demand_that_staffs_the_bureaus_is_the_demand_applicants_bring():
    """`expected_monthly_matters` (which sizes staff and back-office work, and tells watchers how
    many matters the province brings) agrees with the needs M1 draws month by month and matter
    by matter; county by county it is the represented province's, where applicants live in every
    county alike: the sample's spread over counties is noise, and a county the sample left
    without a firm still expects the province's share of firm matters."""
    model = small_model(population__citizens=3000, population__enterprises=1000)
    firms, K, M = model.enterprises, model.government.n_counties, len(cat.MATTERS)
    firms.satisfaction[:] = 1.0  # no project dropped
    expected = expected_monthly_matters(model.citizens, firms, K)
    months = 24
    drawn = sum(
        np.bincount(n.county * M + n.matter, minlength=K * M) for n, _ in months_of_needs(model, months)
    ).reshape(K, M) / months  # fmt: skip
    assert np.isclose(drawn.sum(), expected.sum(), rtol=0.04)
    assert np.allclose(drawn.sum(axis=0), expected.sum(axis=0), rtol=0.25)
    assert np.allclose(expected, expected[0])  # every county alike
    firm_matters = [i for i, m in enumerate(cat.MATTERS) if m.applicant == "enterprise"]
    firms.county[:] = 0  # a sample that put every firm in county 0
    alone = expected_monthly_matters(model.citizens, firms, K)
    assert np.allclose(alone, expected) and (alone[1:, firm_matters] > 0).all()


def test_only_the_firms_fed_up_with_the_burden_drop_projects_and_only_vacated_slots_are_silent():
    """Half the firms are fed up, half content: only the fed-up ones drop investment projects;
    a half-satisfied firm drops fewer than a fed-up one. Half the slots vacated: only those
    start no matter."""
    model = small_model(population__enterprises=3000)
    firms = model.enterprises
    fed_up = np.arange(firms.n) % 2 == 0
    firms.satisfaction[:] = np.where(fed_up, 0.0, 1.0)
    kept = np.concatenate([n.applicant[n.enterprise & (n.matter == INVESTMENT)]
                           for n, _ in months_of_needs(model, 24, invest_floor=0.5)])  # fmt: skip
    content_share = (~fed_up[kept]).mean()
    assert 0.6 < content_share < 0.74  # two content projects go ahead for one fed-up one
    dropped = {}
    for satisfaction in (0.0, 0.5, 1.0):
        firms.satisfaction[:] = satisfaction
        dropped[satisfaction] = sum(d for _, d in months_of_needs(model, 24, invest_floor=0.5))
    assert dropped[0.0] > dropped[0.5] > dropped[1.0] == 0
    firms.active[:] = ~fed_up
    for needs, _ in months_of_needs(model, 6, invest_floor=0.5):
        assert needs.enterprise.any() and firms.active[needs.applicant[needs.enterprise]].all()
