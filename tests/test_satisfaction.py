"""M8 complaints and satisfaction."""

import numpy as np

from simulation import catalogue as cat
from simulation.items import HIDDEN, OPEN
from simulation.mechanisms import complaints_and_satisfaction as satisfaction
from tests.conftest import needs_for, small_model


def test_extra_trips_and_waiting_lower_satisfaction():
    ap = small_model().params.applicants
    p = satisfaction.satisfaction_probability(
        np.array([1, 3, 1]), np.array([1.0, 1.0, 1.0]), np.array([0, 0, 60]), ap
    )
    assert p[0] > p[1] and p[0] > p[2]


def test_the_promise_lowers_expectations_and_broken_promises_become_complaints():
    """The same applicants with and without the public promise: only with it do they expect one
    trip, and more of them complain at the same trips."""
    promised = small_model("public_pressure", steps=6)
    plain = small_model(
        "public_pressure", steps=6, scenario__institutions__at_most_once_promise=False
    )
    promised_df, plain_df = promised.run(), plain.run()
    assert promised.citizens.expectation.mean() < plain.citizens.expectation.mean() - 0.5
    assert promised_df["complaints"].sum() > plain_df["complaints"].sum() > 0


def test_no_channel_no_complaints():
    model = small_model("internal_reform", steps=6)
    df = model.run()
    assert df["complaints"].sum() == 0


def test_complaints_land_on_the_bureaus_whose_steps_cost_the_extra_trips():
    """A complaint about a matter is spread over its chain by each bureau's part of the burden:
    a bureau with a hidden step on the chain takes more of it than with a plain open item."""
    model = small_model("public_pressure", steps=2)
    model.run()
    gov = model.government
    items = gov.items
    restaurant = cat.MATTER["open_a_restaurant"]  # six bureaus share its chain
    row = next(
        r for r in np.flatnonzero(items.status[: items.n] == OPEN)
        if items.matter[r] == restaurant and items.certificate[r] < 0
    )  # fmt: skip
    bureau = gov.host[items.owner[row]]
    county = int(np.flatnonzero(gov.cover[gov.dept_unit[items.owner[row]]])[0])
    needs = needs_for("open_a_restaurant", county=county, n=10)
    complained = np.ones(len(needs), bool)
    before = satisfaction.attribute_complaints(gov, model.approval_chains(), needs, complained)
    assert np.isclose(before.sum(), 10) and before[~gov.active].sum() == 0
    assert 0 < before[bureau] < 10  # it shares the chain with others
    items.status[row] = HIDDEN  # the item becomes a hidden step: a trip nobody can avoid
    after = satisfaction.attribute_complaints(gov, model.approval_chains(), needs, complained)
    assert after[bureau] > before[bureau]
