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

from simulation.dashboard import presets, sessions
from simulation.dashboard.classroom import ClassroomModel
from simulation.dashboard.components import (
    Fonts,
    LanguageSwitch,
    MainArea,
    MonthBanner,
    PresetNote,
    ProjectorArea,
)
from simulation.dashboard.controls import Controls, log, refusal
from simulation.dashboard.language import LANGUAGE, use_words
from simulation.dashboard.model_params import MODEL_PARAMS
from simulation.i18n import Said

__all__ = ["MODEL_PARAMS", "Layout", "Page"]


@solara.component
def Layout(children: list[Any] = []) -> solara.Element:  # noqa: B006 (Solara's signature)
    """Solara's AppLayout around the page (Solara takes a module's `Layout` for its pages). The
    projector view opens with the side bar closed, so the charts get the whole width; its
    button in the app bar opens it for Play and Step. It holds the page's language (`?lang=zh`;
    the switch changes it) for every component below, the side bar's included (language.py)."""
    search = solara.use_router().search
    LANGUAGE.provide(solara.use_reactive(presets.language(search)))
    projector = presets.view(search) == "projector"
    return solara.AppLayout(children=children, sidebar_open=not projector)


@solara.component
def Page() -> None:
    # `?preset=<name>` opens an exercise of the lesson plan (presets.py); `?view=projector`
    # shows the month, four numbers and two charts large, for a projector
    search = solara.use_router().search
    preset, note = presets.from_query(search)
    projector = presets.view(search) == "projector"
    settings = presets.settings_of(preset)
    admitted = solara.use_memo(lambda: sessions.admit(sessions.current()), [])
    if not admitted:  # the server holds as many models as it may: no model for this page
        ClassFull()
        return
    Guarded(preset, note, projector, settings)


@solara.component
def Guarded(preset: Any, note: Said | None, projector: bool, settings: dict[str, Any]) -> None:
    """The classroom inside an error boundary. A widget this project does not own (a toggle, a
    tab, the theme switch) can still fail on a value only a websocket message sends; Solara
    would put the traceback, with server paths and source lines, in the page. Here the page
    says it in one line, the server's log keeps the traceback, and the session goes on."""
    words = use_words()
    error, clear = solara.use_exception()
    said = solara.use_reactive("")
    repeats = solara.use_ref(0)

    def take() -> None:
        if error is None:
            return
        log.warning("a page handler failed", exc_info=error)
        said.set(refusal(error, words, "page"))
        repeats.current += 1
        clear()

    solara.use_effect(take, [error])
    if said.value:
        solara.Error(label=said.value)
    if repeats.current < 3:  # an error that comes back at once is not one to render again
        Classroom(preset, note, projector, settings)


@solara.component
def ClassFull() -> None:
    message = use_words()(
        "The class is full: this server already runs {n} models. Wait a minute, then reload "
        "this page."
    )
    solara.Warning(message.format(n=sessions.MAX_SESSIONS))


@solara.component
def Classroom(preset: Any, note: Said | None, projector: bool, settings: dict[str, Any]) -> None:
    """The side bar and the views around one model of this session."""
    first = solara.use_memo(lambda: ClassroomModel(**settings), [])
    model = solara.use_reactive(first)
    tick = update_counter.value  # bumped by the controls after each month; see components.py
    # no gap between the children: the side bar and the app bar leave empty placeholders here,
    # and each gap would widen a blank band above the views
    with solara.Column(gap="0px"):
        Fonts()
        with solara.Sidebar():  # given before the controls, so the month counter tops it
            LanguageSwitch()
            MonthBanner(model.value, tick)
            if preset or note:
                PresetNote(preset, note)
        # Reset, Play, Step and the parameters; the views are MainArea's
        Controls(
            model,
            presets.controls(MODEL_PARAMS, settings),
            "reform-dynamics: classroom",
            tick=tick,
        )
        if projector:
            ProjectorArea(model.value, tick)
        else:
            MainArea(model.value, tick)
