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

import logging
import time
from collections.abc import Callable
from typing import Any

import solara
import solara.lab
from mesa.visualization.utils import force_update

from simulation.dashboard import sessions
from simulation.dashboard.components import Slider, scenario_label
from simulation.dashboard.language import use_words
from simulation.dashboard.model_params import (
    AS_SCENARIO,
    MODEL_PARAMS,
    OFF,
    ON,
    RUNNER_PARAMS,
    ControlError,
    checked,
)
from simulation.i18n import Words

SWITCH_NAMES = {AS_SCENARIO: "as scenario", ON: "on", OFF: "off"}
log = logging.getLogger("reform-class")


def choice_name(key: str, value: Any, words: Words) -> str:
    """What a choice is called on the page: a scenario by its name in the catalogue (its file
    name in English, or where the catalogue has none), a switch position by its word."""
    if key == "scenario_name":
        return scenario_label(str(value), words)
    return words(SWITCH_NAMES.get(value, str(value)))


def localised(params: dict[str, Any], words: Words) -> dict[str, Any]:
    """`params` with every label in the page's language."""
    return {key: {**spec, "label": words(spec.get("label", key))} for key, spec in params.items()}


def refusal(error: Exception, words: Words, what: str) -> str:
    """One line in the page's language for an error of a handler (`what`: step, reset, ...);
    never a traceback. A refused control is named by its label on the page."""
    _ = words
    if isinstance(error, ControlError):
        spec = {**RUNNER_PARAMS, **MODEL_PARAMS}.get(error.control, {})
        return _.say(error.said(_(spec.get("label", error.control))))
    detail = " ".join(str(error).split())[:200] or type(error).__name__
    return _("error in {what}: {error}").format(what=_(what), error=detail)


def guarded(handler: Callable[..., None], error: solara.Reactive, words: Words, what: str):
    """`handler` as an event handler that shows what went wrong in one line of the side bar.
    Solara would otherwise put the traceback, with server paths and source lines, in the page."""

    def run(*args: Any) -> None:
        try:
            handler(*args)
        except ControlError as err:
            error.set(refusal(err, words, what))
        except Exception as err:
            log.warning("%s failed", what, exc_info=True)  # the server's log, not the page
            error.set(refusal(err, words, what))

    return run


@solara.component
def Controls(
    model: solara.Reactive,
    params: dict[str, Any],
    title: str,
    tick: int,
) -> None:
    """The app bar and the side bar's cards; `params` gives each control its starting value.
    `tick` (the page's update counter) redraws the Information card after each month."""
    _ = use_words()
    initial = solara.use_memo(lambda: {k: spec["value"] for k, spec in params.items()}, [])
    settings = solara.use_reactive(initial)
    runner = solara.use_reactive({k: spec["value"] for k, spec in RUNNER_PARAMS.items()})
    error = solara.use_reactive(None)
    # one Div, not two siblings: in the page's column each sibling adds a gap above the views
    with solara.Div():
        with solara.AppBar():
            solara.AppBarTitle(_(title))
            solara.lab.ThemeToggle()
        with solara.Sidebar(), solara.Column():
            with solara.Card(_("Controls")):
                Inputs(localised(RUNNER_PARAMS, _), runner, error)
                Runner(model, settings, runner, error)
            with solara.Card(_("Model Parameters")):
                Inputs(localised(params, _), settings, error)
            with solara.Card(_("Information")):
                Information(model.value, tick)


@solara.component
def Information(model: Any, tick: int) -> None:
    """Every simulated month, warm-up included (SolaraViz's Information card)."""
    solara.Text(use_words()("Time: {time}").format(time=int(model.time)))


@solara.component
def Runner(
    model: solara.Reactive,
    settings: solara.Reactive,
    runner: solara.Reactive,
    error: solara.Reactive,
) -> None:
    """Reset, Play/Pause and Step (Mesa's ModelController, without its threaded redraw). Work
    stops between two months when the page has gone or the server is stopping (sessions.py)."""
    _ = use_words()
    playing = solara.use_reactive(False)
    running = solara.use_reactive(True)
    session = solara.use_memo(sessions.current, [])

    def gone() -> bool:
        return sessions.page_gone(session)

    def advance() -> None:
        months = checked("months_per_redraw", runner.value["months_per_redraw"], RUNNER_PARAMS)
        for _month in range(months):
            if gone():
                return
            model.value.step()
            running.value = model.value.running
            if not running.value:
                break
        force_update()

    def play() -> None:
        try:
            while running.value and playing.value and not gone():
                interval = checked("play_interval", runner.value["play_interval"], RUNNER_PARAMS)
                time.sleep(interval / 1000)
                if playing.value:  # a pause during the sleep stops before the next month
                    advance()
        except Exception as err:  # shown in the side bar, as SolaraViz does
            log.warning("play failed", exc_info=True)
            error.value = refusal(err, _, "step")
            playing.value = False

    solara.lab.use_task(play, dependencies=[playing.value, running.value], prefer_threaded=True)

    def reset() -> None:
        playing.value = False
        built = type(model.value)(stop=gone, **settings.value)
        if gone():
            return
        error.set(None)
        running.value = True
        model.value = built

    with solara.Row(justify="space-between"):
        solara.Button(label=_("Reset"), color="primary", on_click=guarded(reset, error, _, "reset"))
        solara.Button(
            label="❚❚" if playing.value else "▶",
            color="primary",
            on_click=lambda: playing.set(not playing.value),
            disabled=not running.value,
        )
        solara.Button(
            label=_("Step"),
            color="primary",
            on_click=guarded(advance, error, _, "step"),
            disabled=playing.value or not running.value,
        )
    if error.value:
        solara.Error(label=error.value)


@solara.component
def Inputs(params: dict[str, Any], values: solara.Reactive, error: solara.Reactive) -> None:
    """One slider or menu per parameter; a value the server refuses is not taken, and the side
    bar says why in one line (a browser bounds a slider, a websocket message need not)."""
    words = use_words()

    def setter(key: str):
        def take(value: Any) -> None:
            values.set({**values.value, key: checked(key, value, params)})
            error.set(None)

        return guarded(take, error, words, "control")

    for key, spec in params.items():
        kind, value = spec["type"], values.value[key]
        if kind in ("SliderInt", "SliderFloat"):
            Slider(spec["label"], value, setter(key), spec["min"], spec["max"], spec["step"])
        elif kind == "Select":
            items = [{"text": choice_name(key, v, words), "value": v} for v in spec["values"]]
            solara.v.Select(label=spec["label"], items=items, v_model=value, on_v_model=setter(key))
        else:
            raise ValueError(f"{key}: no control of type {kind!r}")
