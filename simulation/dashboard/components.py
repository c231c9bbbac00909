"""Solara components of the classroom dashboard: one per view, each redrawn after every month.

Each reads Mesa's `update_counter` (a per-session reactive) so that Step and Play redraw it, and
builds its content with the plain functions of the sibling modules.
"""

from __future__ import annotations

import html
from typing import Any

import solara
from mesa.visualization.utils import update_counter

from simulation.dashboard import info, itinerary, network, series, timeline

PANEL_STYLE = {"height": "370px", "overflow": "auto", "padding": "4px 8px"}
CSS = """
.reform-month { font-size: 28px; font-weight: 600; line-height: 1.1; }
.reform-kpis { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
.reform-kpi { border: 1px solid #ddd; border-radius: 4px; padding: 2px 6px; min-width: 70px; }
.reform-kpi b { display: block; font-size: 16px; }
.reform-kpi span { font-size: 10px; color: #666; }
table.reform-journey, table.reform-compare { border-collapse: collapse; font-size: 12px; }
.reform-journey td, .reform-journey th, .reform-compare td, .reform-compare th {
  border-bottom: 1px solid #eee; padding: 2px 6px; text-align: left; vertical-align: top; }
.reform-info h3 { margin-top: 10px; font-size: 14px; }
.reform-info p, .reform-info li { font-size: 13px; }
"""


def vega(spec: dict[str, Any]) -> solara.Element:
    """A Vega-Lite chart from a plain spec (Solara's widget, without Altair's validation)."""
    return solara.widgets.VegaLite.element(spec=spec, listen_to_click=False, listen_to_hover=False)


def raw_html(content: str, css_class: str = "") -> solara.Element:
    return solara.HTML(tag="div", unsafe_innerHTML=content, classes=[css_class] if css_class else [])


@solara.component
def MonthBanner(model: Any) -> None:
    """The month counter, first on the page, and what is being run."""
    update_counter.get()
    solara.Style(CSS)
    phase = "reform launch" if model.month == 0 else "months since the launch"
    with solara.Card(margin=0):
        raw_html(f'<div class="reform-month">Month {model.month}</div>'
                 f"<div>{phase}: {html.escape(model.scenario_name)}</div>")


@solara.component
def LiveView(model: Any) -> None:
    """Indicators of this month and their trends."""
    update_counter.get()
    with solara.Column(style=PANEL_STYLE):
        tiles = "".join(f"<div class='reform-kpi'><b>{html.escape(v)}</b><span>{html.escape(k)}"
                        "</span></div>" for k, v in series.kpis(model))
        raw_html(tiles, "reform-kpis")
        vega(series.trends_spec(model))


@solara.component
def NetworkView(model: Any) -> None:
    """The bureaus serving one county, sized by items or staff."""
    update_counter.get()
    size_by, set_size_by = solara.use_state("items")
    county, set_county = solara.use_state(0)
    with solara.Column(style=PANEL_STYLE):
        with solara.Row():
            solara.ToggleButtonsSingle(value=size_by, values=["items", "staff"], on_value=set_size_by)
            solara.SliderInt("county", value=county, min=0,
                             max=model.government.n_counties - 1, on_value=set_county)
        vega(network.spec(model, county, size_by))


@solara.component
def JourneyView(model: Any) -> None:
    """One applicant's journey through a chosen matter, trip by trip."""
    update_counter.get()
    matter, set_matter = solara.use_state("housing_fund_loan")
    number, set_number = solara.use_state(0)
    story = itinerary.follow(model, matter, number)
    with solara.Column(style=PANEL_STYLE):
        with solara.Row():
            solara.Select("matter", value=matter, values=itinerary.MATTER_NAMES, on_value=set_matter)
            solara.Button("another applicant", on_click=lambda: set_number(number + 1), text=True)
        solara.Text(itinerary.summary(story, matter), style={"font-size": "13px"})
        raw_html(itinerary.table_html(story))


@solara.component
def CascadeView(model: Any) -> None:
    """Process, organisational and functional changes on one time line."""
    update_counter.get()
    with solara.Column(style=PANEL_STYLE):
        vega(timeline.spec(model))
        solara.Text(f"order of first changes since the launch: {timeline.order(model)}")


@solara.component
def ComparisonTable(model: Any) -> None:
    """This month, side by side with `internal_reform` on the same seed."""
    update_counter.get()
    head = (f"<tr><th></th><th>{html.escape(series.yours(model))}</th>"
            f"<th>{series.BASELINE}</th></tr>")
    body = "".join(f"<tr><td>{html.escape(a)}</td><td>{b}</td><td>{c}</td></tr>"
                   for a, b, c in series.comparison_table(model))
    with solara.Column(style=PANEL_STYLE):
        solara.Text("same seed, same warm-up, same controls; only the institutions differ")
        raw_html(f'<table class="reform-compare">{head}{body}</table>')


@solara.component
def ComparisonChart(model: Any) -> None:
    update_counter.get()
    with solara.Column(style=PANEL_STYLE):
        vega(series.comparison_spec(model))


@solara.component
def InfoView(model: Any) -> None:
    """The NetLogo-style Info tab."""
    with solara.Column(style=PANEL_STYLE):
        raw_html(info.to_html(), "reform-info")


# (component, tab) as Mesa's SolaraViz takes them: the live run, the comparison, the Info tab
VIEWS = [
    (LiveView, 0), (NetworkView, 0), (JourneyView, 0), (CascadeView, 0),
    (ComparisonTable, 1), (ComparisonChart, 1),
    (InfoView, 2),
]
