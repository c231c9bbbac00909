"""The four kinds of agents are Mesa agents the model registers, and Mesa's tools work on it."""

import mesa

from simulation import Citizen, Department, Enterprise, ReformModel, SupervisingBody
from tests.conftest import small_model


def test_all_four_kinds_are_registered_mesa_agents():
    model = small_model("pressure_and_technology")
    model.step()
    for kind in (Citizen, Enterprise, Department, SupervisingBody):
        assert issubclass(kind, mesa.Agent)
        assert len(model.agents_by_type[kind]) > 0
    assert len(model.agents_by_type[Citizen]) == 600
    roles = {body.role for body in model.agents_by_type[SupervisingBody]}
    assert roles == {"government", "reform_office", "third_party", "complaint_channel"}


def test_agent_views_read_the_model_state():
    model = small_model("pressure_and_technology", steps=6)
    model.run()
    citizen = model.agents_by_type[Citizen][0]
    assert 0 <= citizen.digital_ability <= 1 and citizen.county >= 0
    legs = citizen.journey("housing_fund_loan")
    assert legs and all({"where", "trips", "why"} <= set(leg) for leg in legs)
    bureaus = model.agents_by_type[Department]
    assert sum(b.staff for b in bureaus) > 0
    assert bureaus.select(lambda b: b.in_window)  # AgentSet queries work on the views


def test_status_quo_has_no_supervisors():
    model = small_model("status_quo")
    model.step()
    assert (
        SupervisingBody not in model.agents_by_type
        or len(model.agents_by_type[SupervisingBody]) == 0
    )


def test_mesa_batch_run_drives_the_model():
    results = mesa.batch_run(
        ReformModel,
        parameters={
            "steps": 3,
            "warmup": 0,
            "population__citizens": [200, 300],
            "population__enterprises": 20,
        },
        rng=[1],
        number_processes=1,
        max_steps=3,
        display_progress=False,
    )
    assert len({r["population__citizens"] for r in results}) == 2


def test_mesa_batch_run_iterations_are_distinct_replicates_each_reproducible():
    """Mesa passes rng=None for every iteration: the model then draws fresh entropy, as Mesa
    models do, and records the seed it used; that seed (or an explicit rng) reproduces the run."""
    setting = {"steps": 6, "warmup": 0, "population__citizens": 300, "population__enterprises": 30}
    results = mesa.batch_run(
        ReformModel,
        parameters=setting,
        iterations=3,
        number_processes=1,
        max_steps=6,
        display_progress=False,
    )
    last = [r for r in results if r["Step"] == 6]
    assert len({(r["matters_done"], r["staff"]) for r in last}) == 3  # not three copies
    model = ReformModel(**setting)
    seed = model.params.seed
    model.run()
    again = ReformModel(**setting, seed=seed)
    again.run()
    assert again.metrics == model.metrics
    fixed = [ReformModel(**setting, rng=42) for _ in range(2)]
    for m in fixed:
        m.run()
    assert fixed[0].metrics == fixed[1].metrics
