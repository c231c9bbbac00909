"""Solara components of the classroom dashboard.

Only the page listens to Mesa's per-session `update_counter`, which SolaraViz bumps after each
month: every listener costs Solara a render pass of the whole page. The views get the counter
as an argument (`tick`) and redraw because it changed.
"""

from __future__ import annotations

import html
from typing import Any

import solara

from simulation.dashboard import info, itinerary, network, series, timeline
from simulation.dashboard.vega import Vega

CSS = """
.reform-month { font-size: 28px; font-weight: 600; line-height: 1.1; }
.reform-kpis { display: grid; grid-template-columns: 1fr 1fr; gap: 4px; margin: 6px 0; }
.reform-kpi { border: 1px solid #ddd; border-radius: 4px; padding: 1px 6px; }
.reform-kpi b { display: block; font-size: 15px; }
.reform-kpi span { font-size: 10px; color: #666; }
.reform-grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(430px, 1fr)); }
.reform-panel { border: 1px solid #e0e0e0; border-radius: 4px; padding: 6px 10px; }
.reform-panel h4 { font-size: 13px; margin-bottom: 4px; }
.reform-note p { font-size: 13px; margin: 4px 0; }
table.reform-journey, table.reform-compare { border-collapse: collapse; font-size: 12px; }
.reform-journey td, .reform-journey th, .reform-compare td, .reform-compare th {
  border-bottom: 1px solid #eee; padding: 2px 6px; text-align: left; vertical-align: top; }
.reform-info { max-width: 60em; }
.reform-preset p { font-size: 13px; margin: 4px 0; }
.reform-projector-month { font-size: 56px; font-weight: 700; line-height: 1.1; }
.reform-projector-kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 8px 0 14px; }
.reform-projector-kpis div { border: 2px solid #ccc; border-radius: 6px; padding: 4px 12px; }
.reform-projector-kpis b { display: block; font-size: 44px; line-height: 1.15; }
.reform-projector-kpis span { font-size: 18px; color: #444; }
.reform-info h3 { margin-top: 12px; font-size: 15px; }
.reform-info p, .reform-info li { font-size: 14px; }
"""
TABS = ("this run", "against internal_reform", "info")


def raw_html(content: str, css_class: str = "") -> solara.Element:
    classes = [css_class] if css_class else []
    return solara.HTML(tag="div", unsafe_innerHTML=content, classes=classes)


def monitors_html(model: Any) -> str:
    """NetLogo-style monitors: this month's indicators."""
    tile = "<div class='reform-kpi'><b>{}</b><span>{}</span></div>"
    return "".join(tile.format(html.escape(v), html.escape(k)) for k, v in series.kpis(model))


@solara.component
def MonthBanner(model: Any, tick: int) -> None:
    """The month counter (the first on the page), what is being run, and the monitors."""
    with solara.Card(margin=0):
        raw_html(
            f'<div class="reform-month">Month {model.month}</div>'
            f"<div>{html.escape(banner_text(model))}</div>"
        )
        raw_html(monitors_html(model), "reform-kpis")


@solara.component
def PresetNote(preset: Any, note: str) -> None:
    """The exercise a preset link opened: its question and where to look (or why none opened)."""
    if preset is None:
        raw_html(f"<p>{html.escape(note)}</p>", "reform-preset")
        return
    raw_html(
        f"<p><b>{html.escape(preset.title)}</b></p><p>Look at: {html.escape(preset.look_at)}</p>",
        "reform-preset",
    )


def banner_text(model: Any) -> str:
    pop = model.params.population
    who = f"{pop.citizens:,} citizens, {pop.enterprises:,} firms, seed {model.params.seed}"
    if model.month == 0:
        return f"end of the warm-up; {model.scenario_name} starts next month ({who})"
    return f"months since {model.scenario_name} started ({who})"


@solara.component
def Panel(title: str, children: list[solara.Element] = []) -> solara.Element:  # noqa: B006
    """A titled box of the grid (Solara passes `with` children in the list)."""
    return solara.Div(
        children=[solara.v.Html(tag="h4", children=[title]), *children], classes=["reform-panel"]
    )


@solara.component
def TrendsView(model: Any, tick: int) -> None:
    with Panel("indicators month by month"):
        Vega(series.trends_spec(model), model.month)


@solara.component
def NetworkView(model: Any, tick: int) -> None:
    """The bureaus serving one county, sized by items or staff."""
    size_by = solara.use_reactive("items")
    county = solara.use_reactive(0)
    with Panel("department network"):
        NetworkControls(size_by, county, model.government.n_counties)
        Vega(network.spec(model, county.value, size_by.value), model.month)


@solara.component
def NetworkControls(size_by: solara.Reactive, county: solara.Reactive, counties: int) -> None:
    """Kept apart from the chart so that a new month does not redraw the controls."""
    with solara.Row():
        solara.ToggleButtonsSingle(size_by, ["items", "staff"])
        solara.SliderInt("county", value=county, min=0, max=counties - 1)


@solara.component
def JourneyView(model: Any, tick: int) -> None:
    """One applicant's journey through a chosen matter, trip by trip."""
    matter = solara.use_reactive("housing_fund_loan")
    number = solara.use_reactive(0)
    story = itinerary.follow(model, matter.value, number.value)
    with Panel("one applicant's journey, trip by trip"):
        JourneyControls(matter, number)
        raw_html(f"<p>{html.escape(itinerary.summary(story, matter.value))}</p>", "reform-note")
        raw_html(itinerary.table_html(story))


@solara.component
def JourneyControls(matter: solara.Reactive, number: solara.Reactive) -> None:
    with solara.Row():
        solara.Select("matter", itinerary.MATTER_NAMES, matter)
        solara.Button("another applicant", on_click=lambda: number.set(number.value + 1), text=True)


@solara.component
def CascadeView(model: Any, tick: int) -> None:
    """Process, organisational and functional changes on one time line."""
    with Panel("cascade: process, organisational and functional changes"):
        Vega(timeline.spec(model), model.month)
        order = html.escape(timeline.order(model))
        raw_html(
            f"<p>order of the first changes since the launch: <b>{order}</b></p>", "reform-note"
        )


@solara.component
def ComparisonView(model: Any, tick: int) -> None:
    """This month and the trends, side by side with `internal_reform` on the same seed."""
    head = (
        f"<tr><th></th><th>{html.escape(series.yours(model))}</th><th>{series.BASELINE}</th></tr>"
    )
    body = "".join(
        f"<tr><td>{html.escape(a)}</td><td>{b}</td><td>{c}</td></tr>"
        for a, b, c in series.comparison_table(model)
    )
    with solara.Div(classes=["reform-grid"]):
        with Panel("this month"):
            solara.Text("same seed, same warm-up, same controls; only the institutions differ")
            raw_html(f'<table class="reform-compare">{head}{body}</table>')
        with Panel("month by month"):
            Vega(series.comparison_spec(model), model.month)


@solara.component
def InfoView() -> None:
    """The NetLogo-style Info tab."""
    raw_html(info.to_html(), "reform-info")


@solara.component
def ProjectorArea(model: Any, tick: int) -> None:
    """`?view=projector`: the month, four large numbers and two large charts, for a class to read
    on a projector (the controls stay in the side bar)."""
    solara.Style(CSS)
    tiles = "".join(
        f"<div><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>"
        for k, v in series.projector_kpis(model)
    )
    raw_html(
        f'<div class="reform-projector-month">Month {model.month}</div>'
        f'<div class="reform-projector-kpis">{tiles}</div>',
        "reform-projector",
    )
    Vega(series.projector_spec(model), model.month)


@solara.component
def MainArea(model: Any, tick: int) -> None:
    """The named tabs of views."""
    solara.Style(CSS)
    with solara.lab.Tabs(lazy=True):
        with solara.lab.Tab(TABS[0]):
            with solara.Div(classes=["reform-grid"]):
                TrendsView(model, tick)
                NetworkView(model, tick)
                JourneyView(model, tick)
                CascadeView(model, tick)
        with solara.lab.Tab(TABS[1]):
            ComparisonView(model, tick)
        with solara.lab.Tab(TABS[2]):
            InfoView()
