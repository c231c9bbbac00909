"""The controls a browser can set, and the values the server admits for each.

Vuetify bounds a slider and a menu only in the browser: a websocket message can set any
`v_model` (one rewritten frame asked for 400,000 citizens). So every value a control sends is
checked here, on the server, before it is used: against the control's own range and, for a
control that sets a parameter of the table, against that parameter's bound. The controls are
given in Mesa's `model_params` format; each model control names the table key it sets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulation.config import ConfigError, check_value
from simulation.i18n import Said
from simulation.parameters import ENTRIES
from simulation.scenarios import available

AS_SCENARIO, ON, OFF = "as scenario", "on", "off"
SWITCH_VALUES = [AS_SCENARIO, ON, OFF]
MAX_CITIZENS = 10_000  # the largest model a session may build (and its twin): about 15 MB


@dataclass(frozen=True)
class Control:
    """A control of the side bar, declared by the table key it sets; its kind, its default and
    its bounds are the table's. A class may narrow the range (`low`, `high`) and start elsewhere
    (`start`); it may never widen it. `label` is an English message of the catalogue."""

    key: str  # dotted key of the parameter table, e.g. "technology.initial_level"
    label: str
    step: float = 1
    low: float | None = None
    high: float | None = None
    start: Any = None


# control -> the table key it sets. An institution is a switch over the picked scenario's value;
# a number is a slider within the table's bound; the scenario is picked among the files.
CONTROLS: dict[str, Control] = {
    "scenario_name": Control("scenario.name", "scenario", start="pressure_and_technology"),
    "complaints": Control("scenario.institutions.complaint_channel", "complaint channel"),
    "third_party_evaluation": Control(
        "scenario.institutions.third_party_evaluation", "third-party evaluation"
    ),
    "political_target": Control(
        "scenario.institutions.reform_office", "political target (reform office)"
    ),
    "one_window": Control("scenario.institutions.one_window", "one window"),
    "data_sharing": Control("scenario.institutions.platform", "data sharing (platform)"),
    "technology_level": Control(
        "technology.initial_level", "technology level at start", step=0.05, high=0.9
    ),
    "campaign_interval": Control(
        "campaigns.interval_months", "campaign interval (months)", step=6, low=6, high=120
    ),
    "citizens": Control(
        "population.citizens", "citizens (firms: a tenth)", 500, 500, MAX_CITIZENS, start=2000
    ),
    "seed": Control("seed", "seed", high=99),
}
INSTITUTION = "scenario.institutions."
# dashboard switch -> scenario institution it overrides
SWITCHES = {
    name: c.key.removeprefix(INSTITUTION)
    for name, c in CONTROLS.items()
    if c.key.startswith(INSTITUTION)
}
# model control -> the parameter-table key it sets (its bound applies too)
TABLE_KEYS = {
    name: c.key
    for name, c in CONTROLS.items()
    if name not in SWITCHES and isinstance(ENTRIES[c.key].default, int | float)
}


def spec(control: Control) -> dict[str, Any]:
    """The control in Mesa's `model_params` format, from the table's entry for its key."""
    entry, label = ENTRIES[control.key], control.label
    if control.key == "scenario.name":
        return {"type": "Select", "value": control.start, "label": label, "values": available()}
    if isinstance(entry.default, bool):
        return {"type": "Select", "value": AS_SCENARIO, "label": label, "values": SWITCH_VALUES}
    kind, bound = type(entry.default), entry.bound
    low = bound.low if control.low is None else control.low
    high = bound.high if control.high is None else control.high
    value = entry.default if control.start is None else control.start
    if not (bound.admits(low) and bound.admits(high) and low <= value <= high):
        # a class may narrow the table's range, never widen it
        raise ValueError(f"{control.key}: the control's range is not within {bound.text()}")
    return {
        "type": "SliderInt" if kind is int else "SliderFloat",
        "value": value,
        "label": label,
        "min": kind(low),
        "max": kind(high),
        "step": kind(control.step),
    }


# The model's controls; Reset rebuilds the model with their values. The labels are English
# messages of the catalogue: controls.py shows them in the page's language.
MODEL_PARAMS: dict[str, Any] = {name: spec(c) for name, c in CONTROLS.items()}
# How the model is run (SolaraViz's ranges): these bound the work one click can ask for.
RUNNER_PARAMS: dict[str, Any] = {
    "play_interval": {
        "type": "SliderInt",
        "value": 300,
        "label": "Play Interval (ms)",
        "min": 1,
        "max": 500,
        "step": 10,
    },
    "months_per_redraw": {
        "type": "SliderInt",
        "value": 1,
        "label": "Render Interval (steps)",
        "min": 1,
        "max": 100,
        "step": 2,
    },
}
DEFAULTS: dict[str, Any] = {key: spec["value"] for key, spec in MODEL_PARAMS.items()}


class ControlError(ValueError):
    """A value the server refuses for a control. `message` is a message of the catalogue with
    named placeholders, `values` fill them: the page shows it as one line in its language."""

    def __init__(self, control: str, message: str, **values: Any):
        self.control, self.message, self.values = control, message, values
        super().__init__(message.format(control=control, **values))

    def said(self, label: str | None = None) -> Said:
        """The refusal as a record, naming the control by `label` (its name on the page)."""
        return Said(self.message, {"control": label or self.control, **self.values})


def checked(key: str, value: Any, specs: Mapping[str, Any] = MODEL_PARAMS) -> Any:
    """`value` as control `key` may hold it, or ControlError: the control's own range, then the
    parameter table's bound for a control that sets one."""
    if key not in specs:
        raise ControlError(str(key)[:40], "{control}: no such control")
    spec = specs[key]
    if spec["type"] == "Select":
        if not _hashable(value) or value not in spec["values"]:
            message = "{control}: not one of its choices (got {value})"
            raise ControlError(key, message, value=_shown(value))
        return value
    whole = spec["type"] == "SliderInt"
    number = _number(value, whole)
    if number is None or not spec["min"] <= number <= spec["max"]:
        message = (
            "{control}: must be a whole number from {low} to {high} (got {value})"
            if whole
            else "{control}: must be a number from {low} to {high} (got {value})"
        )
        raise ControlError(key, message, low=spec["min"], high=spec["max"], value=_shown(value))
    if key in TABLE_KEYS:
        try:
            check_value(TABLE_KEYS[key], number)
        except ConfigError as err:  # a control's range wider than the table allows
            raise ControlError(key, "{control}: {why}", why=str(err)) from None
    return number


def checked_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Every model control's value, the defaults where `settings` gives none, each checked."""
    unknown = [key for key in settings if key not in MODEL_PARAMS]
    if unknown:
        raise ControlError(str(unknown[0])[:40], "{control}: no such control")
    return {key: checked(key, settings.get(key, default)) for key, default in DEFAULTS.items()}


def _number(value: Any, whole: bool) -> int | float | None:
    """A finite number (an integral float for a whole one), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if whole:
        if isinstance(value, float) and not value.is_integer():
            return None
        return int(value)
    return float(value)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"
