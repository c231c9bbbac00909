"""The side bar's controls, as Mesa's SolaraViz lays them out (Controls, Model Parameters,
Information), in the page's language.

SolaraViz writes its buttons, cards and sliders in English only, so the page draws the same
controls itself. They drive the model the way SolaraViz does: a step calls `model.step()` and
bumps Mesa's per-session `update_counter` (which redraws the views), Reset builds a new
ClassroomModel from the parameters, and Play steps in a thread until paused. Parameters are
given in Mesa's `model_params` format; a choice shows a translated name but keeps its value, so
the model sees the same settings in every language.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

import solara
import solara.lab
from mesa.visualization.utils import force_update

from simulation.dashboard.classroom import AS_SCENARIO, OFF, ON
from simulation.dashboard.components import scenario_label
from simulation.i18n import t as translate

SWITCH_NAMES = {AS_SCENARIO: "as scenario", ON: "on", OFF: "off"}


def choice_name(key: str, value: Any, lang: str) -> str:
    """What a choice is called on the page: a scenario by its name in the catalogue (its file
    name in English, or where the catalogue has none), a switch position by its word."""
    if key == "scenario_name":
        return scenario_label(str(value), lang)
    return translate(lang)(SWITCH_NAMES.get(value, str(value)))


def localised(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """`params` with every label in `lang`."""
    _ = translate(lang)
    return {key: {**spec, "label": _(spec.get("label", key))} for key, spec in params.items()}


@solara.component
def Controls(
    model: solara.Reactive,
    params: dict[str, Any],
    lang: str,
    title: str,
    play_interval: int,
    tick: int,
) -> None:
    """The app bar and the side bar's cards; `params` gives each control its starting value.
    `tick` (the page's update counter) redraws the Information card after each month."""
    _ = translate(lang)
    initial = solara.use_memo(lambda: {k: spec["value"] for k, spec in params.items()}, [])
    settings = solara.use_reactive(initial)
    interval = solara.use_reactive(play_interval)
    months_per_redraw = solara.use_reactive(1)
    # one Div, not two siblings: in the page's column each sibling adds a gap above the views
    with solara.Div():
        with solara.AppBar():
            solara.AppBarTitle(_(title))
            solara.lab.ThemeToggle()
        with solara.Sidebar(), solara.Column():
            with solara.Card(_("Controls")):
                # SolaraViz's ranges
                solara.SliderInt(_("Play Interval (ms)"), value=interval, min=1, max=500, step=10)
                solara.SliderInt(
                    _("Render Interval (steps)"), value=months_per_redraw, min=1, max=100, step=2
                )
                Runner(model, settings, interval, months_per_redraw, lang)
            with solara.Card(_("Model Parameters")):
                Inputs(localised(params, lang), settings, lang)
            with solara.Card(_("Information")):
                Information(model.value, tick, lang)


@solara.component
def Information(model: Any, tick: int, lang: str) -> None:
    """Every simulated month, warm-up included (SolaraViz's Information card)."""
    solara.Text(translate(lang)("Time: {time}").format(time=int(model.time)))


@solara.component
def Runner(
    model: solara.Reactive,
    settings: solara.Reactive,
    interval: solara.Reactive,
    months_per_redraw: solara.Reactive,
    lang: str,
) -> None:
    """Reset, Play/Pause and Step (Mesa's ModelController, without its threaded redraw)."""
    _ = translate(lang)
    playing = solara.use_reactive(False)
    running = solara.use_reactive(True)
    error = solara.use_reactive(None)

    def advance() -> None:
        for _month in range(months_per_redraw.value):
            model.value.step()
            running.value = model.value.running
            if not running.value:
                break
        force_update()

    def play() -> None:
        try:
            while running.value and playing.value:
                time.sleep(interval.value / 1000)
                if playing.value:  # a pause during the sleep stops before the next month
                    advance()
        except Exception as e:  # shown in the side bar, as SolaraViz does
            error.value = _("error in step: {error}").format(error=e)
            traceback.print_exc()

    solara.lab.use_task(play, dependencies=[playing.value, running.value], prefer_threaded=True)

    def step() -> None:
        try:
            advance()
        except Exception as e:
            error.value = _("error in step: {error}").format(error=e)
            traceback.print_exc()

    def reset() -> None:
        error.set(None)
        playing.value = False
        running.value = True
        model.value = type(model.value)(**settings.value)

    with solara.Row(justify="space-between"):
        solara.Button(label=_("Reset"), color="primary", on_click=reset)
        solara.Button(
            label="❚❚" if playing.value else "▶",
            color="primary",
            on_click=lambda: playing.set(not playing.value),
            disabled=not running.value,
        )
        solara.Button(
            label=_("Step"),
            color="primary",
            on_click=step,
            disabled=playing.value or not running.value,
        )
    if error.value:
        solara.Error(label=error.value)


@solara.component
def Inputs(params: dict[str, Any], settings: solara.Reactive, lang: str) -> None:
    """One slider or menu per parameter; a change takes effect on Reset."""

    def setter(key: str):
        return lambda value: settings.set({**settings.value, key: value})

    for key, spec in params.items():
        kind, value = spec["type"], settings.value[key]
        if kind in ("SliderInt", "SliderFloat"):
            slider = solara.SliderInt if kind == "SliderInt" else solara.SliderFloat
            slider(
                spec["label"],
                value=value,
                on_value=setter(key),
                min=spec["min"],
                max=spec["max"],
                step=spec["step"],
            )
        elif kind == "Select":
            items = [{"text": choice_name(key, v, lang), "value": v} for v in spec["values"]]
            solara.v.Select(label=spec["label"], items=items, v_model=value, on_v_model=setter(key))
        else:
            raise ValueError(f"{key}: no control of type {kind!r}")
