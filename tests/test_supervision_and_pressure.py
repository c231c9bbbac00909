"""M9 supervision and pressure: what each watcher can bring to light, and what pressure makes
bureaus do."""

from dataclasses import asdict

import numpy as np

from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms import pressure, supervision
from simulation.mechanisms.supervision import Target
from tests.conftest import small_model


def watched(scenario: str, months: int = 24, **overrides):
    """A model run `months` past the launch, with one hidden item and one unapproved open item
    in every bureau that holds items, and the exposure it faces then."""
    model = small_model(scenario, steps=months, population__citizens=2000, **overrides)
    model.run()
    return model, model.exposure


def test_self_evaluation_sees_no_hidden_item_and_outside_watchers_see_some():
    _, internal = watched("internal_reform")
    _, public = watched("public_pressure")
    assert internal.hidden.max() == 0.0
    assert public.hidden.mean() > 0.0


def test_a_public_list_makes_unapproved_open_items_plain_to_every_observer():
    _, listed = watched("public_pressure")
    _, unlisted = watched("public_pressure", **{"scenario__institutions__public_item_list": False})
    assert listed.unlisted.mean() > 0.3 and unlisted.unlisted.max() == 0.0


def test_the_governments_own_reading_notices_unapproved_items_only_while_a_campaign_holds_its_attention():
    model, _ = watched("internal_reform", months=1)  # a round ran at the launch
    fresh = model.expose().internal
    for _ in range(48):
        model.campaigns.fade()
    assert fresh > 10 * model.expose().internal > 0
    model, _ = watched("status_quo")
    assert model.exposure.internal == 0.0


def test_exposed_items_are_cut_and_press_their_bureau():
    model, _ = watched("public_pressure", months=2)
    gov = model.government
    items = gov.items
    live = np.flatnonzero(items.status[: items.n] == OPEN)[:40]
    items.status[live[:20]] = HIDDEN
    items.registered[live] = False
    pressed = np.unique(gov.host[items.owner[live]])
    before = gov.pressure.copy()
    model.exposure = supervision.Exposure(
        np.ones_like(model.exposure.hidden), np.ones_like(model.exposure.unlisted), 0.0,
        np.zeros(gov.n_departments),
    )  # fmt: skip
    model.watch()
    assert (items.status[live] == CUT).all()
    assert (gov.exposed[pressed] > 0).all()
    memory = model.params.departments.pressure_memory
    assert (gov.pressure[pressed] > memory * before[pressed]).all()


def test_pressure_above_resistance_moves_bureaus_into_the_window():
    model = small_model("one_window_no_data")
    gov = model.government
    model.institutions = asdict(model.params.scenario.institutions)
    none = Target(np.zeros(gov.n_departments), False)

    def respond(level: float) -> None:
        gov.pressure[:] = level
        pressure.respond(
            gov, model.technology, model.institutions, blind(model), none,
            np.random.default_rng(0), model.params, 1,
        )  # fmt: skip

    respond(0.0)
    assert gov.in_window.sum() == 0
    respond(50.0)
    assert gov.in_window[gov.active].mean() > 0.9


def blind(model) -> supervision.Exposure:
    from simulation import catalogue as cat

    shape = (model.government.n_units, len(cat.MATTERS))
    return supervision.Exposure(
        np.zeros(shape), np.zeros(shape), 0.0, np.zeros(model.government.n_departments)
    )


def test_one_window_without_shared_data_moves_the_running_to_staff():
    """The same window with the platform and shared databases (and nothing else changed)
    leaves staff with less chasing and less work per post."""
    window = small_model("one_window_no_data", steps=48, population__citizens=2000).run()
    with_data = small_model(
        "one_window_no_data", steps=48, population__citizens=2000,
        scenario__institutions__platform=True, scenario__institutions__technology_growth=0.08,
    ).run()  # fmt: skip
    late = slice(-12, None)
    assert (
        window["chase_hours"].iloc[late].mean() > 1.5 * with_data["chase_hours"].iloc[late].mean()
    )
    assert (
        window["staff_utilisation"].iloc[late].mean()
        > with_data["staff_utilisation"].iloc[late].mean()
    )


def test_tracked_delays_press_the_bureau_that_causes_them():
    """With project codes a bureau's own delay is attributable: the signal follows its queue,
    and without tracking nobody can tell whose delay it is."""
    model = small_model("pressure_and_technology")
    model.step()
    for channel in ("third_party_evaluation", "complaint_channel"):  # keep the signal exact
        model.institutions[channel] = False
    gov = model.government
    gov.waiting_days[:] = 0.0
    slow = np.flatnonzero(gov.active)[:5]
    model.exposure = blind(model)
    signals = {}
    for level, delay in ((1.0, 40.0), (1.0, 0.0), (0.0, 40.0)):
        model.technology.level = level
        gov.waiting_days[slow] = delay
        model.watch()
        signals[level, delay] = model.signal.copy()
    from_delay = signals[1.0, 40.0] - signals[1.0, 0.0]
    assert (from_delay[slow] > 0).all()
    assert np.allclose(np.delete(from_delay, slow), 0.0)
    assert np.allclose(signals[0.0, 40.0], signals[1.0, 0.0])
