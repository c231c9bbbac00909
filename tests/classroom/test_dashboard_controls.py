"""The dashboard's controls declare the table key each sets; their kind, defaults and bounds are
read from the parameter table (a class may narrow a range or start elsewhere, never widen it)."""

from __future__ import annotations

import pytest

from simulation.config import lookup
from simulation.dashboard.classroom import build_config
from simulation.dashboard.model_params import (
    AS_SCENARIO,
    CONTROLS,
    MODEL_PARAMS,
    SWITCHES,
    TABLE_KEYS,
    Control,
    spec,
)
from simulation.parameters import ENTRIES, Institutions


def test_every_control_sets_a_key_of_the_table():
    assert all(c.key in ENTRIES for c in CONTROLS.values())
    assert set(SWITCHES.values()) <= set(Institutions.__dataclass_fields__)
    assert set(CONTROLS) == {"scenario_name", *SWITCHES, *TABLE_KEYS}


@pytest.mark.parametrize("name", sorted(TABLE_KEYS))
def test_a_slider_has_the_tables_default_and_stays_within_its_bound(name):
    control, shown, entry = CONTROLS[name], MODEL_PARAMS[name], ENTRIES[TABLE_KEYS[name]]
    assert shown["value"] == (entry.default if control.start is None else control.start)
    assert entry.bound.admits(shown["min"]) and entry.bound.admits(shown["max"])
    assert shown["type"] == ("SliderInt" if isinstance(entry.default, int) else "SliderFloat")


@pytest.mark.parametrize("name", sorted(SWITCHES))
def test_a_switch_starts_as_the_scenario_says(name):
    assert MODEL_PARAMS[name]["value"] == AS_SCENARIO


@pytest.mark.parametrize("name", sorted(TABLE_KEYS))
def test_each_slider_reaches_the_key_it_names(name):
    low, high = MODEL_PARAMS[name]["min"], MODEL_PARAMS[name]["max"]
    config = build_config({name: high if high != MODEL_PARAMS[name]["value"] else low})
    assert lookup(config, TABLE_KEYS[name]) in (low, high)


def test_a_control_that_widens_the_tables_range_is_refused():
    with pytest.raises(ValueError, match="technology.initial_level"):
        spec(Control("technology.initial_level", "level", step=0.1, high=2.0))
