"""M1 demand: the same needs whatever the policy; firms fed up with the burden invest less."""

import copy

import numpy as np

from simulation import catalogue as cat
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
