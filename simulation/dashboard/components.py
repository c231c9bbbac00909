"""Solara components of the classroom dashboard.

Only the page listens to Mesa's per-session `update_counter`, which the controls bump after
each month (controls.py, as SolaraViz does): every listener costs Solara a render pass of the whole page. The views get the counter
as an argument (`tick`) and redraw because it changed. A view that shows words reads the page's
language from its context (language.py, `use_words`) and hands the page's `Words` to the
functions that render.
"""

from __future__ import annotations

import html
from typing import Any

import ipyvuetify as v
import solara
import traitlets

from simulation.dashboard import assets, info, itinerary, network, series, timeline
from simulation.dashboard.language import use_language, use_words
from simulation.dashboard.vega import Vega
from simulation.i18n import Said, Words

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
.reform-journey th { white-space: nowrap; }
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
TABS = ("this run", "against internal_reform", "policy lab", "info")
# Vuetify sets Roboto alone on the application and its type styles (with !important); the CJK
# font follows it, so Chinese text never falls back to whatever the machine has
FONT_CSS = f"""
.v-application, .v-application :is(.display-1, .display-2, .display-3, .display-4, .headline,
  .title, .subtitle-1, .subtitle-2, .body-1, .body-2, .caption, .overline) {{
  font-family: {assets.FONT_STACK} !important; }}
"""
STYLESHEETS = r"""
<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    // from the same CDN folder as the rest of the front end (a local cache; see assets.py)
    const cdn = window.solara ? window.solara.cdn : "/_solara/cdn";
    for (const path of this.paths) {
      const href = `${cdn}/${path}`;
      if (![...document.querySelectorAll("link")].some(l => l.href.endsWith(href))) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        document.head.appendChild(link);
      }
    }
  },
};
</script>
"""


class StyleSheets(v.VuetifyTemplate):
    """Links style sheets of the CDN folder into the page's head, once."""

    template = traitlets.Unicode(STYLESHEETS).tag(sync=True)
    paths = traitlets.List(traitlets.Unicode()).tag(sync=True)


@solara.component
def Fonts() -> None:
    """The Chinese web font (assets.FONT), linked from the local CDN folder and set after Roboto
    on the whole page; the charts set it themselves (vega.py)."""
    solara.Style(FONT_CSS)
    StyleSheets.element(paths=assets.stylesheets())


def only(reactive: solara.Reactive, allowed: Any):
    """A setter of `reactive` that takes only what the control offers (a browser bounds its
    sliders and menus; a websocket message need not): anything else is ignored."""

    def take(value: Any) -> None:
        # equal and of the same type: True is not 1, and 1.0 is no county
        if any(type(value) is type(a) and value == a for a in allowed):
            reactive.set(value)

    return take


@solara.component
def Toggle(value: Any, values: list[Any], labels: list[str], on_value: Any) -> None:
    """Buttons of which one is chosen. Solara's ToggleButtonsSingle looked the chosen index up
    unchecked: an index no button has (a websocket message can send any) raised, and was set
    again by the next render, until the server ran out of memory (23 GB in a minute). Here an
    index is taken only if a button has it."""

    def choose(index: Any) -> None:
        if type(index) is int and 0 <= index < len(values):
            on_value(values[index])

    chosen = values.index(value) if value in values else None
    with solara.v.BtnToggle(v_model=chosen, on_v_model=choose, mandatory=True, multiple=False):
        for label in labels:
            solara.Button(label)


@solara.component
def Slider(label: str, value: Any, on_value: Any, min: float, max: float, step: float = 1) -> None:
    """A slider that hands `on_value` every value as sent, uncast. Solara's SliderInt casts
    with int() and, for a value no slider can send (a string in a websocket message), put a
    traceback in the page; `on_value` checks instead (model_params.checked, `only`)."""
    solara.v.Slider(
        v_model=value,
        on_v_model=on_value,
        label=label,
        min=min,
        max=max,
        step=step,
        thumb_label=True,
        dense=False,
        hide_details=True,
    )


def raw_html(content: str, css_class: str = "") -> solara.Element:
    classes = [css_class] if css_class else []
    return solara.HTML(tag="div", unsafe_innerHTML=content, classes=classes)


def monitors_html(model: Any, words: Words) -> str:
    """NetLogo-style monitors: this month's indicators."""
    tile = "<div class='reform-kpi'><b>{}</b><span>{}</span></div>"
    kpis = series.kpis(model, words)
    return "".join(tile.format(html.escape(v), html.escape(k)) for k, v in kpis)


def month_text(model: Any, words: Words) -> str:
    return words("Month {month}").format(month=model.month)


@solara.component
def MonthBanner(model: Any, tick: int) -> None:
    """The month counter (the first on the page), what is being run, and the monitors."""
    words = use_words()
    with solara.Card(margin=0):
        raw_html(
            f'<div class="reform-month">{html.escape(month_text(model, words))}</div>'
            f"<div>{html.escape(banner_text(model, words))}</div>"
        )
        raw_html(monitors_html(model, words), "reform-kpis")


LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


@solara.component
def LanguageSwitch() -> None:
    """English / 中文, for the whole page (the model keeps running)."""
    lang = use_language()
    codes = list(LANGUAGE_NAMES)
    Toggle(lang.value, codes, [LANGUAGE_NAMES[c] for c in codes], lang.set)


@solara.component
def PresetNote(preset: Any, note: Said | None) -> None:
    """The exercise a preset link opened: its question and where to look (or why none opened:
    `note`, a record of presets.from_query)."""
    _ = use_words()
    if preset is None:
        raw_html(f"<p>{html.escape(_.say(note))}</p>", "reform-preset")
        return
    title, look = html.escape(_(preset.title)), html.escape(_(preset.look_at))
    raw_html(f"<p><b>{title}</b></p><p>{_('Look at:')} {look}</p>", "reform-preset")


def banner_text(model: Any, words: Words) -> str:
    _ = words
    pop = model.params.population
    who = _("{citizens} citizens, {firms} firms, seed {seed}").format(
        citizens=f"{pop.citizens:,}", firms=f"{pop.enterprises:,}", seed=model.params.seed
    )
    scenario = scenario_label(model.scenario_name, words)
    if model.month == 0:
        said = _("end of the warm-up; {scenario} starts next month ({who})")
    else:
        said = _("months since {scenario} started ({who})")
    return said.format(scenario=scenario, who=who)


@solara.component
def Panel(
    title: str,
    children: list[solara.Element] = [],  # noqa: B006
) -> solara.Element:
    """A titled box of the grid (Solara passes `with` children in the list)."""
    return solara.Div(
        children=[solara.v.Html(tag="h4", children=[use_words()(title)]), *children],
        classes=["reform-panel"],
    )


@solara.component
def TrendsView(model: Any, tick: int) -> None:
    words = use_words()
    with Panel("indicators month by month"):
        Vega(series.localised(series.trends_spec(model), words), model.month)


@solara.component
def NetworkView(model: Any, tick: int) -> None:
    """The bureaus serving one county, sized by items or staff."""
    words = use_words()
    size_by = solara.use_reactive("items")
    county = solara.use_reactive(0)
    with Panel("department network"):
        NetworkControls(size_by, county, model.government.n_counties)
        Vega(network.spec(model, county.value, size_by.value, words), model.month)


@solara.component
def NetworkControls(size_by: solara.Reactive, county: solara.Reactive, counties: int) -> None:
    """Kept apart from the chart so that a new month does not redraw the controls."""
    _ = use_words()
    with solara.Row():
        sizes = list(network.SIZES)
        Toggle(size_by.value, sizes, [_(size) for size in sizes], size_by.set)
        Slider(_("county"), county.value, only(county, list(range(counties))), 0, counties - 1)


@solara.component
def JourneyView(model: Any, tick: int) -> None:
    """One applicant's journey through a chosen matter, trip by trip."""
    words = use_words()
    matter = solara.use_reactive("housing_fund_loan")
    number = solara.use_reactive(0)
    story = itinerary.follow(model, matter.value, number.value)
    said = itinerary.summary(story, matter.value, words)
    with Panel("one applicant's journey, trip by trip"):
        JourneyControls(matter, number)
        raw_html(f"<p>{html.escape(said)}</p>", "reform-note")
        raw_html(itinerary.table_html(story, words))


@solara.component
def JourneyControls(matter: solara.Reactive, number: solara.Reactive) -> None:
    _ = use_words()
    items = [{"text": _.term("matter", m), "value": m} for m in itinerary.MATTER_NAMES]
    with solara.Row():
        choose = only(matter, itinerary.MATTER_NAMES)
        solara.v.Select(label=_("matter"), items=items, v_model=matter.value, on_v_model=choose)
        solara.Button(
            _("another applicant"), on_click=lambda: number.set(number.value + 1), text=True
        )


@solara.component
def CascadeView(model: Any, tick: int) -> None:
    """Process, organisational and functional changes on one time line."""
    _ = use_words()
    with Panel("cascade: process, organisational and functional changes"):
        Vega(timeline.spec(model, _), model.month)
        said = html.escape(_("order of the first changes since the launch: {order}"))
        order = f"<b>{html.escape(timeline.order(model, _))}</b>"
        raw_html(f"<p>{said.format(order=order)}</p>", "reform-note")


@solara.component
def ComparisonView(model: Any, tick: int) -> None:
    """This month and the trends, side by side with `internal_reform` on the same seed."""
    _ = use_words()
    names = scenario_names(model, _)
    yours, baseline = (html.escape(names[k]) for k in (series.yours(model), series.BASELINE))
    head = f"<tr><th></th><th>{yours}</th><th>{baseline}</th></tr>"
    body = "".join(
        f"<tr><td>{html.escape(_(a))}</td><td>{b}</td><td>{c}</td></tr>"
        for a, b, c in series.comparison_table(model)
    )
    with solara.Div(classes=["reform-grid"]):
        with Panel("this month"):
            solara.Text(_("same seed, same warm-up, same controls; only the institutions differ"))
            raw_html(f'<table class="reform-compare">{head}{body}</table>')
        with Panel("month by month"):
            spec = series.localised(series.comparison_spec(model), _, names)
            Vega(spec, model.month)


def scenario_label(name: str, words: Words) -> str:
    """A scenario as the page shows it: its file name in English, the catalogue's name in
    Chinese (the file name where the catalogue has none)."""
    return words.known(name.replace("_", " "), name)


def scenario_names(model: Any, words: Words) -> dict[str, str]:
    """The comparison's two series (yours and the `internal_reform` twin) named on the page."""
    yours = words("{scenario} (yours)").format(scenario=scenario_label(model.scenario_name, words))
    return {
        series.yours(model): series.yours(model) if words.english else yours,
        series.BASELINE: scenario_label(series.BASELINE, words),
    }


@solara.component
def InfoView() -> None:
    """The NetLogo-style Info tab."""
    raw_html(info.to_html(use_words()), "reform-info")


@solara.component
def ProjectorArea(model: Any, tick: int) -> None:
    """`?view=projector`: the month, four large numbers and two large charts, for a class to read
    on a projector (the controls stay in the side bar)."""
    words = use_words()
    solara.Style(CSS)
    tiles = "".join(
        f"<div><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>"
        for k, v in series.projector_kpis(model, words)
    )
    raw_html(
        f'<div class="reform-projector-month">{html.escape(month_text(model, words))}</div>'
        f'<div class="reform-projector-kpis">{tiles}</div>',
        "reform-projector",
    )
    Vega(series.localised(series.projector_spec(model), words), model.month)


@solara.component
def MainArea(model: Any, tick: int) -> None:
    """The named tabs of views."""
    _ = use_words()
    solara.Style(CSS)

    def this_run() -> None:
        with solara.Div(classes=["reform-grid"]):
            TrendsView(model, tick)
            NetworkView(model, tick)
            JourneyView(model, tick)
            CascadeView(model, tick)

    def policy_lab() -> None:
        from simulation.dashboard.lab_view import LabView  # it builds on this module's parts

        LabView()

    Tabs(
        [_(title) for title in TABS],
        [this_run, lambda: ComparisonView(model, tick), policy_lab, InfoView],
    )


@solara.component
def Tabs(titles: list[str], pages: list[Any]) -> None:
    """Named tabs; only the chosen one is drawn (`pages[i]()` adds its views). Solara's lab
    Tabs looked the chosen index up unchecked, and an index no tab has (a websocket message
    can send any) made it render again and again; here an index is taken only if a tab has
    it."""
    tab = solara.use_reactive(0)

    def choose(index: Any) -> None:
        if type(index) is int and 0 <= index < len(titles):
            tab.set(index)

    with solara.v.Tabs(v_model=tab.value, on_v_model=choose, show_arrows=True):
        for title in titles:
            solara.v.Tab(children=[title])
        solara.v.TabsSlider()
        with solara.v.TabsItems(v_model=tab.value, on_v_model=choose):
            for index, page in enumerate(pages):
                with solara.v.TabItem(value=index):
                    if index == tab.value:
                        page()
