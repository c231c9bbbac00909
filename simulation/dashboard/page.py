"""The page: a ClassroomModel with Mesa's SolaraViz controls and the views, one model per browser
session, in English or Chinese (`?lang=zh` and the switch in the side bar).

The model lives in component state (`use_memo` + `use_reactive` inside `Page`), never at module
level: Solara renders `Page` once per browser session, so each student steps and resets their
own model.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization.utils import update_counter

from simulation.dashboard import presets
from simulation.dashboard.classroom import (
    AS_SCENARIO,
    DEFAULTS,
    SWITCH_VALUES,
    ClassroomModel,
    scenario_names,
)
from simulation.dashboard.components import (
    Fonts,
    LanguageSwitch,
    MainArea,
    MonthBanner,
    PresetNote,
    ProjectorArea,
)
from simulation.dashboard.controls import Controls


def _switch(label: str) -> dict[str, Any]:
    return {"type": "Select", "value": AS_SCENARIO, "label": label, "values": SWITCH_VALUES}


# The controls, in Mesa's model_params format; Reset rebuilds the model with their values. The
# labels are English messages of the catalogue: controls.py shows them in the page's language.
MODEL_PARAMS: dict[str, Any] = {
    "scenario_name": {
        "type": "Select",
        "value": DEFAULTS["scenario_name"],
        "label": "scenario",
        "values": scenario_names(),
    },
    "complaints": _switch("complaint channel"),
    "third_party_evaluation": _switch("third-party evaluation"),
    "political_target": _switch("political target (reform office)"),
    "one_window": _switch("one window"),
    "data_sharing": _switch("data sharing (platform)"),
    "technology_level": {
        "type": "SliderFloat",
        "value": DEFAULTS["technology_level"],
        "label": "technology level at start",
        "min": 0.0,
        "max": 0.9,
        "step": 0.05,
    },
    "campaign_interval": {
        "type": "SliderInt",
        "value": DEFAULTS["campaign_interval"],
        "label": "campaign interval (months)",
        "min": 6,
        "max": 120,
        "step": 6,
    },
    "citizens": {
        "type": "SliderInt",
        "value": DEFAULTS["citizens"],
        "label": "citizens (firms: a tenth)",
        "min": 500,
        "max": 10_000,
        "step": 500,
    },
    "seed": {
        "type": "SliderInt",
        "value": DEFAULTS["seed"],
        "label": "seed",
        "min": 0,
        "max": 99,
        "step": 1,
    },
}


@solara.component
def Page() -> None:
    # `?preset=<name>` opens an exercise of the lesson plan (presets.py); `?view=projector`
    # shows the month, four numbers and two charts large, for a projector
    search = solara.use_router().search
    lang = solara.use_reactive(presets.language(search))  # `?lang=zh`; the switch changes it
    preset, note = presets.from_query(search, lang.value)
    projector = presets.view(search) == "projector"
    settings = presets.settings_of(preset)
    first = solara.use_memo(lambda: ClassroomModel(**settings), [])
    model = solara.use_reactive(first)
    tick = update_counter.value  # bumped by the controls after each month; see components.py
    # no gap between the children: the side bar and the app bar leave empty placeholders here,
    # and each gap would widen a blank band above the views
    with solara.Column(gap="0px"):
        Fonts()
        with solara.Sidebar():  # given before the controls, so the month counter tops it
            LanguageSwitch(lang)
            MonthBanner(model.value, tick, lang.value)
            if preset or note:
                PresetNote(preset, note, lang.value)
        # Reset, Play, Step and the parameters; the views are MainArea's
        Controls(
            model,
            presets.controls(MODEL_PARAMS, settings),
            lang.value,
            "reform-dynamics: classroom",
            play_interval=300,
            tick=tick,
        )
        if projector:
            ProjectorArea(model.value, tick, lang.value)
        else:
            MainArea(model.value, tick, lang.value)
