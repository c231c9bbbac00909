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
from simulation.dashboard.model_params import MODEL_PARAMS
from simulation.i18n import t as translate

__all__ = ["MODEL_PARAMS", "Layout", "Page"]


@solara.component
def Layout(children: list[Any] = []) -> solara.Element:  # noqa: B006 (Solara's signature)
    """Solara's AppLayout around the page (Solara takes a module's `Layout` for its pages). The
    projector view opens with the side bar closed, so the charts get the whole width; its
    button in the app bar opens it for Play and Step."""
    projector = presets.view(solara.use_router().search) == "projector"
    return solara.AppLayout(children=children, sidebar_open=not projector)


@solara.component
def Page() -> None:
    # `?preset=<name>` opens an exercise of the lesson plan (presets.py); `?view=projector`
    # shows the month, four numbers and two charts large, for a projector
    search = solara.use_router().search
    lang = solara.use_reactive(presets.language(search))  # `?lang=zh`; the switch changes it
    preset, note = presets.from_query(search, lang.value)
    projector = presets.view(search) == "projector"
    settings = presets.settings_of(preset)
    admitted = solara.use_memo(lambda: sessions.admit(sessions.current()), [])
    if not admitted:  # the server holds as many models as it may: no model for this page
        ClassFull(lang.value)
        return
    Guarded(lang, preset, note, projector, settings)


@solara.component
def Guarded(
    lang: solara.Reactive, preset: Any, note: str, projector: bool, settings: dict[str, Any]
) -> None:
    """The classroom inside an error boundary. A widget this project does not own (a toggle, a
    tab, the theme switch) can still fail on a value only a websocket message sends; Solara
    would put the traceback, with server paths and source lines, in the page. Here the page
    says it in one line, the server's log keeps the traceback, and the session goes on."""
    error, clear = solara.use_exception()
    said = solara.use_reactive("")
    repeats = solara.use_ref(0)

    def take() -> None:
        if error is None:
            return
        log.warning("a page handler failed", exc_info=error)
        said.set(refusal(error, lang.value, "page"))
        repeats.current += 1
        clear()

    solara.use_effect(take, [error])
    if said.value:
        solara.Error(label=said.value)
    if repeats.current < 3:  # an error that comes back at once is not one to render again
        Classroom(lang, preset, note, projector, settings)


@solara.component
def ClassFull(lang: str) -> None:
    message = translate(lang)(
        "The class is full: this server already runs {n} models. Wait a minute, then reload "
        "this page."
    )
    solara.Warning(message.format(n=sessions.MAX_SESSIONS))


@solara.component
def Classroom(
    lang: solara.Reactive, preset: Any, note: str, projector: bool, settings: dict[str, Any]
) -> None:
    """The side bar and the views around one model of this session."""
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
            tick=tick,
        )
        if projector:
            ProjectorArea(model.value, tick, lang.value)
        else:
            MainArea(model.value, tick, lang.value)
