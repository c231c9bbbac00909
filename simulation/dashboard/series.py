"""Indicators over time: this month's values, the trends since before the launch, and the
comparison with the `internal_reform` twin. Specs are plain Vega-Lite dicts, not Altair charts:
building them has to stay far below the 200 ms a step may take in class."""

from __future__ import annotations

from typing import Any

from simulation.i18n import Words
from simulation.model import ReformModel
from simulation.outputs import monthly, shown_in

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
HISTORY_MONTHS = 24  # warm-up months drawn before the launch, for context
BASELINE = "internal_reform"
# axis labels: 15k rather than 15,000, 0.95 rather than 950m
SHORT_NUMBER = "abs(datum.value) >= 1000 ? format(datum.value, '.2~s') : format(datum.value, '~r')"

# this month's value as an indicator shows it, by the output's unit (counts: "{:,.0f}")
FORMATS = {"share": "{:.0%}", "ratio": "{:.0%}", "trips": "{:.2f}"}
SHOWN = {o.name: o for o in shown_in("dashboard")}  # simulation/outputs.py


def _panels() -> dict[str, tuple[str, ...]]:
    panels: dict[str, tuple[str, ...]] = {}
    for o in SHOWN.values():
        if o.panel:
            panels[o.panel] = (*panels.get(o.panel, ()), o.name)
    return panels


# trend panel -> columns drawn in it, in the table's order
PANELS = _panels()
# (column, label, format) of the indicators the views show: the panels' columns, then the others
INDICATORS = tuple(
    (o.name, o.words, FORMATS.get(o.unit, "{:,.0f}"))
    for o in sorted(
        SHOWN.values(), key=lambda o: list(PANELS).index(o.panel) if o.panel else len(PANELS)
    )
)
# counts summed since the launch: (column, label)
SINCE_LAUNCH = tuple((o.name, o.words) for o in shown_in("dashboard total"))
SERIES_LABEL = {name: o.line for name, o in SHOWN.items() if o.line}  # a line in a shared panel
# a panel's first series is drawn blue, its second (what hides behind the first) red
SERIES_COLOURS = {"value": "#1f77b4"} | {
    SERIES_LABEL[cols[i]]: colour
    for cols in PANELS.values()
    for i, colour in enumerate(("#1f77b4", "#d62728"))
    if i < len(cols) and cols[i] in SERIES_LABEL
}
OTHER_COLOURS = ("#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
# with two scenarios in each panel: a panel whose lines add up to a declared total draws the total
# (open and hidden items), the others their first line, what applicants meet (all staff, counted
# trips, realisation as experienced)
TOTALS = {o.total_of: o.words for o in monthly() if o.total_of}
COMPARE_PANELS = {
    TOTALS.get(cols, panel): cols if cols in TOTALS else cols[:1] for panel, cols in PANELS.items()
}


def kpis(model: ReformModel, words: Words) -> list[tuple[str, str]]:
    """(label, formatted value) of this month's indicators, then the counts since the launch."""
    _ = words
    now = [(_(label), fmt.format(model.metrics.get(col, 0.0))) for col, label, fmt in INDICATORS]
    data = history(model, since=1)
    return now + [(_(label), f"{sum(data.get(col, [])):,.0f}") for col, label in SINCE_LAUNCH]


def localised(
    spec: dict[str, Any], words: Words, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """A small-multiples spec with its title, panel names and series names in the page's
    language; `names` gives a series' name where the catalogue has none (a scenario's)."""
    if words.english:  # the spec's own words
        return spec
    _ = words
    names = names or {}

    def name(series: str) -> str:
        return names.get(series) or _(series)

    rows = [
        {
            **r,
            "panel": _(r["panel"]),
            "series": name(r["series"]),
            "label": r["label"] and name(r["label"]),
        }
        for r in spec["data"]["values"]
    ]
    layers = [_localised_layer(layer, name, _) for layer in spec["spec"]["layer"]]
    return {
        **spec,
        "title": {**spec["title"], "text": _(spec["title"]["text"])},
        "data": {"values": rows},
        "facet": {**spec["facet"], "sort": [_(p) for p in spec["facet"]["sort"]]},
        "spec": {**spec["spec"], "layer": layers},
    }


def _localised_layer(layer: dict[str, Any], name: Any, _: Any) -> dict[str, Any]:
    """A layer with its colour domain and tooltip titles in the page's language."""
    encoding = dict(layer.get("encoding", {}))
    colour = encoding.get("color")
    if isinstance(colour, dict) and "scale" in colour:
        scale = {**colour["scale"], "domain": [name(v) for v in colour["scale"]["domain"]]}
        encoding["color"] = {**colour, "scale": scale}
    if "tooltip" in encoding:
        encoding["tooltip"] = [{**t, "title": _(t["field"])} for t in encoding["tooltip"]]
    return {**layer, "encoding": encoding}


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
        for rank, col in enumerate(cols):
            label = SERIES_LABEL.get(col, "value")
            rows += _rows(data["step"], panel, label, data[col], rank)
    return rows


def comparison_rows(model: Any) -> list[dict[str, Any]]:
    """Trend rows of the chosen scenario and of its `internal_reform` twin."""
    rows: list[dict[str, Any]] = []
    for rank, (name, run) in enumerate(((yours(model), model), (BASELINE, model.baseline))):
        data = history(run)
        for panel, cols in COMPARE_PANELS.items():
            values = [sum(v) for v in zip(*(data[c] for c in cols), strict=True)]
            rows += _rows(data["step"], panel, name, values, rank)
    return rows


def _rows(
    months: list[int], panel: str, series: str, values: list[float], rank: int = 0
) -> list[dict[str, Any]]:
    """`rank`: the line's place in its panel (0 first, 1 second)."""
    label = "" if series == "value" else series  # a panel's only line needs no name
    return [
        {
            "month": m,
            "panel": panel,
            "series": series,
            "label": label,
            "rank": rank,
            "value": float(f"{v:.4g}"),
        }
        for m, v in zip(months, values, strict=True)
    ]


def yours(model: Any) -> str:
    return f"{model.scenario_name} (yours)"


def colours_of(rows: list[dict[str, Any]], palette: dict[str, str]) -> dict[str, str]:
    """Each series the rows hold, in order, with its colour: `palette`'s where it names the
    series, else the next of OTHER_COLOURS. Derived from the data, so that no series is left
    outside the scale's domain (Vega draws such a series with no stroke: a blank chart)."""
    series = list(dict.fromkeys(r["series"] for r in rows))
    spare = iter(c for c in OTHER_COLOURS if c not in palette.values())
    return {s: palette.get(s) or next(spare, "#333333") for s in series}


def small_multiples(
    rows: list[dict[str, Any]],
    title: str,
    palette: dict[str, str],
    panels: list[str],
    size: tuple[int, int, int] = (85, 65, 3),
    font: int = 9,
    smooth: int = 1,
) -> dict[str, Any]:
    """One line panel per indicator, each with its own y scale, a rule at the launch, and the
    name of each line written at its end (no legend to match colours against). With `smooth`
    months above 1, the line is the mean of the last `smooth` months and the month-to-month
    values a faint line behind it, so that two close series can be told apart."""
    colours = colours_of(rows, palette)
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "legend": None,
        "scale": {"domain": list(colours), "range": list(colours.values())},
    }
    x = {"field": "month", "type": "quantitative", "title": None}
    y = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"zero": False},
        "axis": {"labelExpr": SHORT_NUMBER},
    }
    tooltip = [{"field": "series"}, {"field": "month"}, {"field": "value", "format": ".4~r"}]
    width = 4 if font > 9 else 1.5
    raw = {
        "mark": {"type": "line", "strokeWidth": width, "opacity": 1 if smooth <= 1 else 0.25},
        "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
    }
    layers = [raw]
    shown = "value"
    if smooth > 1:
        shown = "smoothed"
        window = {
            "window": [{"op": "mean", "field": "value", "as": shown}],
            "frame": [-(smooth - 1), 0],
            "groupby": ["panel", "series"],
            "sort": [{"field": "month"}],
        }
        layers.append(
            {
                "transform": [window],
                "mark": {"type": "line", "strokeWidth": width},
                "encoding": {"x": x, "y": {**y, "field": shown}, "color": colour},
            }
        )
    # each line's name at its end: a panel's first line above it, its second below, so that
    # two lines ending together keep readable names
    last = [
        *([layers[-1]["transform"][0]] if smooth > 1 else []),
        {"joinaggregate": [{"op": "max", "field": "month", "as": "last"}], "groupby": ["series"]},
        {"filter": "datum.month == datum.last"},
    ]
    for rank, (baseline, dy) in enumerate((("bottom", -3), ("top", 3))):
        layers.append(
            {
                "transform": [*last, {"filter": f"datum.rank == {rank}"}],
                "mark": {
                    "type": "text",
                    "align": "right",
                    "baseline": baseline,
                    "dy": dy,
                    "fontSize": font,
                },
                "encoding": {
                    "x": x,
                    "y": {**y, "field": shown},
                    "text": {"field": "label"},
                    "color": colour,
                },
            }
        )
    launch = {
        "mark": {"type": "rule", "color": "#999", "strokeDash": [3, 3]},
        "encoding": {"x": {"datum": 0}},
    }
    width_px, height, columns = size
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "fontSize": font + 3, "anchor": "start"},
        "data": {"values": rows},
        "facet": {"field": "panel", "type": "nominal", "title": None, "sort": panels},
        "columns": columns,
        "spec": {"width": width_px, "height": height, "layer": [*layers, launch]},
        "resolve": {"scale": {"y": "independent"}},
        "config": {
            "header": {"labelFontSize": font + 2},
            "axis": {"labelFontSize": font},
        },
    }


def trends_title() -> str:
    return "month by month (dashed line: reform launch)"


def trends_spec(model: ReformModel) -> dict[str, Any]:
    return small_multiples(trend_rows(model), trends_title(), SERIES_COLOURS, list(PANELS))


# the projector view: two panels, and the numbers a class reads from the back of the room
PROJECTOR_PANELS = ("approval items", "done in at most one trip")
PROJECTOR_FONT = 24  # px of axis labels: legible at five metres on a 1366 x 768 projector
SMOOTH = 6  # months of the projector's running mean: monthly noise at 2,000 citizens is ±10 points
PROJECTOR_KPIS = tuple(o.words for o in shown_in("projector"))


def projector_spec(model: ReformModel) -> dict[str, Any]:
    """The trends of the two panels a class follows, drawn large (for 1366 x 768 and up)."""
    rows = [r for r in trend_rows(model) if r["panel"] in PROJECTOR_PANELS]
    panels = list(PROJECTOR_PANELS)
    size = (420, 250, 2)
    return small_multiples(
        rows, trends_title(), SERIES_COLOURS, panels, size, PROJECTOR_FONT, SMOOTH
    )


def projector_kpis(model: ReformModel, words: Words) -> list[tuple[str, str]]:
    wanted = {words(label) for label in PROJECTOR_KPIS}
    return [(label, value) for label, value in kpis(model, words) if label in wanted]


def comparison_spec(model: Any) -> dict[str, Any]:
    colours = {yours(model): "#2ca02c", BASELINE: "#7f7f7f"}
    title = "your scenario against internal_reform, same seed"
    return small_multiples(
        comparison_rows(model), title, colours, list(COMPARE_PANELS), smooth=SMOOTH
    )


def comparison_table(model: Any) -> list[tuple[str, str, str]]:
    """(indicator, yours, internal_reform) for this month."""
    now, twin = model.metrics, model.baseline.metrics
    return [
        (label, fmt.format(now.get(col, 0.0)), fmt.format(twin.get(col, 0.0)))
        for col, label, fmt in INDICATORS
    ]
