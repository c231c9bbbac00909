"""M9 supervision and pressure: who can detect what, and what pressure makes bureaus do."""

import numpy as np

from simulation.mechanisms import pressure, supervision
from tests.conftest import small_model


def chances(name):
    model = small_model(name)
    model.step()
    return model.detection()


def test_self_evaluation_cannot_see_hidden_items():
    _, hidden_self = chances("internal_reform")
    _, hidden_public = chances("public_pressure")
    assert hidden_public.mean() > 5 * hidden_self.mean()


def test_a_public_list_exposes_open_items():
    open_self, _ = chances("internal_reform")
    open_list, _ = chances("public_pressure")
    assert open_list.mean() > 10 * open_self.mean()


def test_nobody_watching_detects_nothing_open():
    open_sq, _ = chances("status_quo")
    assert open_sq.max() == 0.0


def test_pressure_above_resistance_moves_bureaus_into_the_window():
    model = small_model("one_window_no_data")
    gov = model.government
    model.institutions = dict(model.params["scenario"]["institutions"])
    gov.pressure[:] = 0.0
    pressure.respond(
        gov, model.technology, model.institutions, np.random.default_rng(0), model.params, 1
    )
    assert gov.in_window.sum() == 0
    gov.pressure[:] = 50.0
    pressure.respond(
        gov, model.technology, model.institutions, np.random.default_rng(0), model.params, 1
    )
    assert gov.in_window[gov.active].mean() > 0.9


def test_pressure_without_technology_raises_staff_workload():
    window = small_model("one_window_no_data", steps=24, population__citizens=2000).run()
    public = small_model("public_pressure", steps=24, population__citizens=2000).run()
    assert window["chase_hours"].iloc[-6:].mean() > 0
    assert public["chase_hours"].sum() == 0
    assert (
        window["workload_per_staff"].iloc[-6:].mean()
        > public["workload_per_staff"].iloc[-6:].mean()
    )


def test_target_shortfall_is_read_from_reports():
    model = small_model()
    gov = model.government
    honest = supervision.target_shortfall(gov, np.full(gov.n_counties, 0.5), 0.9, 0.0)
    inflated = supervision.target_shortfall(gov, np.full(gov.n_counties, 0.5), 0.9, 0.15)
    assert np.allclose(honest, 0.4) and np.allclose(inflated, 0.25)
