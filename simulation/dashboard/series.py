"""Indicators over time: this month's values, the trends since before the launch, and the
comparison with the `internal_reform` twin. Specs are plain Vega-Lite dicts, not Altair charts:
building them has to stay far below the 200 ms a step may take in class."""

from __future__ import annotations

from typing import Any

from simulation.i18n import t as translate
from simulation.model import ReformModel

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
HISTORY_MONTHS = 24  # warm-up months drawn before the launch, for context
BASELINE = "internal_reform"
# axis labels: 15k rather than 15,000, 0.95 rather than 950m
SHORT_NUMBER = "abs(datum.value) >= 1000 ? format(datum.value, '.2~s') : format(datum.value, '~r')"

# (column, label, format) of the indicators the views show
INDICATORS = (
    ("items_open", "items open", "{:,.0f}"),
    ("items_hidden", "items hidden", "{:,.0f}"),
    ("agencies", "agencies", "{:,.0f}"),
    ("staff", "staff", "{:,.0f}"),
    ("staff_off_quota", "of them off-quota", "{:,.0f}"),
    ("trips_mean", "trips per matter", "{:.2f}"),
    ("informal_visits", "informal pre-visits per matter", "{:.2f}"),
    ("realisation_rate", "done in at most one trip", "{:.0%}"),
    ("realisation_rate_reported", "... as bureaus report it", "{:.0%}"),
    ("satisfaction_rate", "satisfied applicants", "{:.0%}"),
    ("staff_utilisation", "staff utilisation (work / capacity)", "{:.0%}"),
)
# counts summed since the launch: (column, label)
SINCE_LAUNCH = (
    ("agencies_founded", "agencies founded since launch"),
    ("agencies_abolished", "agencies abolished since launch"),
)
# trend panel -> columns drawn in it
PANELS = {
    "approval items": ("items_open", "items_hidden"),
    "agencies": ("agencies",),
    "staff": ("staff", "staff_off_quota"),
    "trips per matter": ("trips_mean", "informal_visits"),
    "done in at most one trip": ("realisation_rate", "realisation_rate_reported"),
    "satisfied applicants": ("satisfaction_rate",),
}
SERIES_LABEL = {
    "items_open": "open",
    "items_hidden": "hidden",
    "staff": "all",
    "staff_off_quota": "off-quota",
    "trips_mean": "counted",
    "informal_visits": "informal",
    "realisation_rate": "as applicants went",
    "realisation_rate_reported": "as bureaus report",
}
# with two scenarios in each panel: open and hidden items added into one line, the other
# panels by what applicants meet (all staff, counted trips, realisation as experienced)
COMPARE_PANELS = {"approval items (open + hidden)": PANELS["approval items"]} | {
    panel: cols[:1] for panel, cols in PANELS.items() if panel != "approval items"
}


def kpis(model: ReformModel, lang: str = "en") -> list[tuple[str, str]]:
    """(label, formatted value) of this month's indicators, then the counts since the launch."""
    _ = translate(lang)
    now = [(_(label), fmt.format(model.metrics.get(col, 0.0))) for col, label, fmt in INDICATORS]
    data = history(model, since=1)
    return now + [(_(label), f"{sum(data.get(col, [])):,.0f}") for col, label in SINCE_LAUNCH]


def localised(
    spec: dict[str, Any], lang: str, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """A small-multiples spec with its title, panel names and series names in `lang`; `names`
    gives a series' name where the catalogue has none (a scenario's)."""
    if lang == "en":
        return spec
    _ = translate(lang)
    names = names or {}

    def name(series: str) -> str:
        return names.get(series) or _(series)

    rows = [
        {**r, "panel": _(r["panel"]), "series": name(r["series"])} for r in spec["data"]["values"]
    ]
    colour = spec["spec"]["layer"][0]["encoding"]["color"]
    colour = {
        **colour,
        "legend": {**colour["legend"], "values": [name(v) for v in colour["legend"]["values"]]},
        "scale": {**colour["scale"], "domain": [name(v) for v in colour["scale"]["domain"]]},
    }
    lines = {**spec["spec"]["layer"][0]}
    tooltip = [{**t, "title": _(t["field"])} for t in lines["encoding"]["tooltip"]]
    lines["encoding"] = {**lines["encoding"], "color": colour, "tooltip": tooltip}
    return {
        **spec,
        "title": {**spec["title"], "text": _(spec["title"]["text"])},
        "data": {"values": rows},
        "facet": {**spec["facet"], "sort": [_(p) for p in spec["facet"]["sort"]]},
        "spec": {**spec["spec"], "layer": [lines, *spec["spec"]["layer"][1:]]},
    }


def history(model: ReformModel, since: int = -HISTORY_MONTHS) -> dict[str, list[Any]]:
    """Columns of the model's time series from month `since` on."""
    data = model.datacollector.model_vars
    months = data.get("step", [])
    start = next((i for i, m in enumerate(months) if m >= since), len(months))
    return {col: values[start:] for col, values in data.items()}


def trend_rows(model: ReformModel) -> list[dict[str, Any]]:
    """Long-format rows (month, panel, series, value) for the trend panels."""
    data = history(model)
    rows: list[dict[str, Any]] = []
    for panel, cols in PANELS.items():
        for col in cols:
            rows += _rows(data["step"], panel, SERIES_LABEL.get(col, "value"), data[col])
    return rows


def comparison_rows(model: Any) -> list[dict[str, Any]]:
    """Trend rows of the chosen scenario and of its `internal_reform` twin."""
    rows: list[dict[str, Any]] = []
    for name, run in ((yours(model), model), (BASELINE, model.baseline)):
        data = history(run)
        for panel, cols in COMPARE_PANELS.items():
            values = [sum(v) for v in zip(*(data[c] for c in cols), strict=True)]
            rows += _rows(data["step"], panel, name, values)
    return rows


def _rows(months: list[int], panel: str, series: str, values: list[float]) -> list[dict[str, Any]]:
    return [
        {"month": m, "panel": panel, "series": series, "value": float(f"{v:.4g}")}
        for m, v in zip(months, values, strict=True)
    ]


def yours(model: Any) -> str:
    return f"{model.scenario_name} (yours)"


def small_multiples(
    rows: list[dict[str, Any]],
    title: str,
    colours: dict[str, str],
    panels: list[str],
    size: tuple[int, int, int] = (85, 65, 3),
    font: int = 9,
) -> dict[str, Any]:
    """One line panel per indicator, each with its own y scale and a rule at the launch."""
    legend = {"orient": "top", "values": [s for s in colours if s != "value"]}
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "legend": legend,
        "scale": {"domain": list(colours), "range": list(colours.values())},
    }
    tooltip = [{"field": "series"}, {"field": "month"}, {"field": "value", "format": ".4~r"}]
    lines = {
        "mark": {"type": "line", "strokeWidth": 1.5},
        "encoding": {
            "x": {"field": "month", "type": "quantitative", "title": None},
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": None,
                "scale": {"zero": False},
                "axis": {"labelExpr": SHORT_NUMBER},
            },
            "color": colour,
            "tooltip": tooltip,
        },
    }
    launch = {
        "mark": {"type": "rule", "color": "#999", "strokeDash": [3, 3]},
        "encoding": {"x": {"datum": 0}},
    }
    width, height, columns = size
    if font > 9:  # thicker lines to be read across a room
        lines["mark"]["strokeWidth"] = 4
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "fontSize": font + 3, "anchor": "start"},
        "data": {"values": rows},
        "facet": {"field": "panel", "type": "nominal", "title": None, "sort": panels},
        "columns": columns,
        "spec": {"width": width, "height": height, "layer": [lines, launch]},
        "resolve": {"scale": {"y": "independent"}},
        "config": {
            "header": {"labelFontSize": font + 2},
            "axis": {"labelFontSize": font},
            "legend": {"labelFontSize": font, "symbolStrokeWidth": 4 if font > 9 else 2},
        },
    }


def trends_title() -> str:
    return "month by month (dashed line: reform launch)"


def trends_spec(model: ReformModel) -> dict[str, Any]:
    colours = {"open": "#1f77b4", "hidden": "#d62728", "value": "#1f77b4"}
    return small_multiples(trend_rows(model), trends_title(), colours, list(PANELS))


# the projector view: two panels, and the numbers a class reads from the back of the room
PROJECTOR_PANELS = ("approval items", "done in at most one trip")
PROJECTOR_KPIS = ("items open", "items hidden", "trips per matter", "done in at most one trip")


def projector_spec(model: ReformModel) -> dict[str, Any]:
    """The trends of the two panels a class follows, drawn large (for 1366 x 768 and up)."""
    rows = [r for r in trend_rows(model) if r["panel"] in PROJECTOR_PANELS]
    colours = {"open": "#1f77b4", "hidden": "#d62728"}
    colours |= {"as applicants went": "#2ca02c", "as bureaus report": "#ff7f0e"}
    panels = list(PROJECTOR_PANELS)
    return small_multiples(rows, trends_title(), colours, panels, (400, 260, 2), 16)


def projector_kpis(model: ReformModel, lang: str = "en") -> list[tuple[str, str]]:
    wanted = {translate(lang)(label) for label in PROJECTOR_KPIS}
    return [(label, value) for label, value in kpis(model, lang) if label in wanted]


def comparison_spec(model: Any) -> dict[str, Any]:
    colours = {yours(model): "#2ca02c", BASELINE: "#7f7f7f"}
    title = "your scenario against internal_reform, same seed"
    return small_multiples(comparison_rows(model), title, colours, list(COMPARE_PANELS))


def comparison_table(model: Any) -> list[tuple[str, str, str]]:
    """(indicator, yours, internal_reform) for this month."""
    now, twin = model.metrics, model.baseline.metrics
    return [
        (label, fmt.format(now.get(col, 0.0)), fmt.format(twin.get(col, 0.0)))
        for col, label, fmt in INDICATORS
    ]
