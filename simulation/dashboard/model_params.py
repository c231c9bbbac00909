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
from typing import Any

from simulation import scenarios
from simulation.config import ConfigError, check_value
from simulation.i18n import Said

AS_SCENARIO, ON, OFF = "as scenario", "on", "off"
SWITCH_VALUES = [AS_SCENARIO, ON, OFF]
# dashboard switch -> scenario institution it overrides
SWITCHES = {
    "complaints": "complaint_channel",
    "third_party_evaluation": "third_party_evaluation",
    "political_target": "reform_office",
    "one_window": "one_window",
    "data_sharing": "platform",
}
# model control -> the parameter-table key it sets (its bound applies too)
TABLE_KEYS = {
    "technology_level": "technology.initial_level",
    "campaign_interval": "campaigns.interval_months",
    "citizens": "population.citizens",
    "seed": "seed",
}
MAX_CITIZENS = 10_000  # the largest model a session may build (and its twin): about 15 MB


def _switch(label: str) -> dict[str, Any]:
    return {"type": "Select", "value": AS_SCENARIO, "label": label, "values": SWITCH_VALUES}


# The model's controls; Reset rebuilds the model with their values. The labels are English
# messages of the catalogue: controls.py shows them in the page's language.
MODEL_PARAMS: dict[str, Any] = {
    "scenario_name": {
        "type": "Select",
        "value": "pressure_and_technology",
        "label": "scenario",
        "values": scenarios.available(),
    },
    "complaints": _switch("complaint channel"),
    "third_party_evaluation": _switch("third-party evaluation"),
    "political_target": _switch("political target (reform office)"),
    "one_window": _switch("one window"),
    "data_sharing": _switch("data sharing (platform)"),
    "technology_level": {
        "type": "SliderFloat",
        "value": 0.05,
        "label": "technology level at start",
        "min": 0.0,
        "max": 0.9,
        "step": 0.05,
    },
    "campaign_interval": {
        "type": "SliderInt",
        "value": 60,
        "label": "campaign interval (months)",
        "min": 6,
        "max": 120,
        "step": 6,
    },
    "citizens": {
        "type": "SliderInt",
        "value": 2000,
        "label": "citizens (firms: a tenth)",
        "min": 500,
        "max": MAX_CITIZENS,
        "step": 500,
    },
    "seed": {"type": "SliderInt", "value": 0, "label": "seed", "min": 0, "max": 99, "step": 1},
}
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
