"""M8 complaints and satisfaction."""

import numpy as np

from simulation.mechanisms import complaints_and_satisfaction as satisfaction
from tests.conftest import small_model


def test_extra_trips_and_waiting_lower_satisfaction():
    ap = small_model().params["applicants"]
    p = satisfaction.satisfaction_probability(
        np.array([1, 3, 1]), np.array([1.0, 1.0, 1.0]), np.array([0, 0, 60]), ap
    )
    assert p[0] > p[1] and p[0] > p[2]


def test_the_promise_resets_expectations_and_broken_promises_become_complaints():
    with_channel = small_model("public_pressure", steps=6)
    with_channel.run()
    assert with_channel.citizens.expectation.max() <= 1.0
    df = with_channel.timeseries()
    assert df["complaints"].sum() > 0


def test_no_channel_no_complaints():
    model = small_model("internal_reform", steps=6)
    df = model.run()
    assert df["complaints"].sum() == 0


def test_complaints_land_on_the_bureaus_that_caused_the_trips():
    model = small_model("public_pressure", steps=3)
    model.run()
    gov = model.government
    assert gov.complaints.sum() > 0
    assert gov.complaints[~gov.active].sum() == 0
