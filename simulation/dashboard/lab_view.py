"""The policy lab's tab: switch institutions, save them as a named scenario, run it against
`internal_reform` over several seeds in the background with a progress bar, see the bands and
the brief (the work itself is simulation/dashboard/lab.py)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import solara
import solara.lab

from simulation.dashboard import lab, sessions
from simulation.dashboard.components import Panel, Slider, only, raw_html
from simulation.dashboard.language import use_words
from simulation.dashboard.series import SCHEMA, SHORT_NUMBER
from simulation.dashboard.vega import Vega
from simulation.i18n import Words

MAX_TEXT = 200  # characters of a name or a description a page may send


def institution_label(name: str, words: Words) -> str:
    """An institution by its term of the glossary (the report's catalogue, msgctxt
    "institution"), its name in plain words where there is none."""
    return words.term("institution", name, name.replace("_", " "))


def text_of(value: Any, longest: int = MAX_TEXT) -> str | None:
    """A text field's value as sent, if it is one (a websocket message may send anything)."""
    return value if isinstance(value, str) and len(value) <= longest else None


@solara.component
def LabView() -> None:
    _ = use_words()
    name, description = solara.use_reactive(""), solara.use_reactive("")
    chosen = solara.use_reactive(dict.fromkeys(lab.institution_names(), False))
    seeds = solara.use_reactive(4)
    saved = solara.use_reactive("")
    said = solara.use_reactive("")
    progress = solara.use_reactive((0, 0))
    finished = solara.use_reactive("")  # the sweep folder of the last run that ended
    running = solara.use_reactive(None)  # the LabRun under way, if any
    session = solara.use_memo(sessions.current, [])

    def keep(reactive: solara.Reactive):
        return lambda value: None if text_of(value) is None else reactive.set(value)

    def switch(key: str):
        def flip(value: Any) -> None:
            if type(value) is bool:
                chosen.set({**chosen.value, key: value})

        return flip

    def save() -> None:
        try:
            path = lab.save(name.value, description.value, chosen.value)
        except lab.LabError as err:
            said.set(_.say(err.said))
            return
        saved.set(name.value)
        said.set(_("saved as {path}").format(path=path))

    def start() -> None:
        try:
            running.set(lab.start(saved.value, seeds.value))
        except lab.LabError as err:
            said.set(_.say(err.said))

    def work() -> None:
        job = running.value
        if job is None:
            return
        error = lab.run(
            job,
            tick=lambda done, total: progress.set((done, total)),
            stop=lambda: sessions.page_gone(session),
        )
        said.set(error or _("done: {runs} runs").format(runs=job.total()))
        finished.set("" if error else str(job.sweep))
        running.set(None)

    solara.lab.use_task(work, dependencies=[running.value], prefer_threaded=True)

    with Panel("policy lab"):
        solara.Text(
            _(
                "Switch institutions on, name the scenario and save it; then run it against "
                "internal_reform on several seeds."
            )
        )
        with solara.Row(style={"flex-wrap": "wrap"}):
            for key in lab.institution_names():
                solara.Checkbox(
                    label=institution_label(key, _),
                    value=chosen.value[key],
                    on_value=switch(key),
                )
        solara.InputText(_("name"), value=name.value, on_value=keep(name), continuous_update=True)
        solara.InputText(
            _("description"),
            value=description.value,
            on_value=keep(description),
            continuous_update=True,
        )
        with solara.Row():
            solara.Button(_("Save"), on_click=save, color="primary", disabled=bool(running.value))
            Slider(
                _("seeds"),
                seeds.value,
                only(seeds, list(range(lab.SEEDS[0], lab.SEEDS[1] + 1))),
                lab.SEEDS[0],
                lab.SEEDS[1],
            )
            solara.Button(
                _("Run against internal_reform"),
                on_click=start,
                color="primary",
                disabled=not saved.value or bool(running.value),
            )
        if said.value:
            solara.Info(said.value)
        done, total = progress.value
        if running.value is not None and total:
            solara.ProgressLinear(value=100 * done / total)
            solara.Text(_("{done} of {total} runs").format(done=done, total=total))
        if finished.value:
            LabResult(finished.value)


@solara.component
def LabResult(sweep: str) -> None:
    """The bands of the last run, and its brief."""
    _ = use_words()
    rows = solara.use_memo(lambda: lab.bands(Path(sweep)), [sweep])
    Vega(band_spec(rows, _), 0)
    page = lab.brief(Path(sweep), _.lang)
    if page:
        where = html.escape(str(Path(sweep) / "report" / "brief.html"))
        raw_html(f"<p>{html.escape(_('The brief of this comparison'))}: <code>{where}</code></p>")
        solara.v.Html(
            tag="iframe",
            attributes={"srcdoc": page, "title": "brief", "sandbox": ""},
            style_="width: 100%; height: 900px; border: 1px solid #ddd;",
        )


def band_spec(rows: list[dict[str, Any]], _: Any) -> dict[str, Any]:
    """Median line and lowest-highest band over the seeds, per indicator, both scenarios."""
    rows = [{**r, "panel": _(r["panel"])} for r in rows]
    x = {"field": "month", "type": "quantitative", "title": None}
    colour = {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "top"}}
    y = {
        "type": "quantitative",
        "title": None,
        "scale": {"zero": False},
        "axis": {"labelExpr": SHORT_NUMBER},
    }
    return {
        "$schema": SCHEMA,
        "title": {
            "text": _("median of the seeds, with their lowest and highest"),
            "anchor": "start",
        },
        "data": {"values": rows},
        "facet": {"field": "panel", "type": "nominal", "title": None},
        "columns": 2,
        "spec": {
            "width": 260,
            "height": 140,
            "layer": [
                {
                    "mark": {"type": "area", "opacity": 0.2},
                    "encoding": {
                        "x": x,
                        "y": {**y, "field": "low"},
                        "y2": {"field": "high"},
                        "color": colour,
                    },
                },
                {
                    "mark": {"type": "line", "strokeWidth": 2},
                    "encoding": {"x": x, "y": {**y, "field": "value"}, "color": colour},
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
    }
