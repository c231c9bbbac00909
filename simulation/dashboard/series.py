"""Indicators over time: the current values, the trends since before launch, and the comparison
with the `internal_reform` twin. Specs are plain Vega-Lite dicts (no Altair) because building
them must stay far below the 200 ms a step may take in class."""

from __future__ import annotations

from typing import Any

from simulation.model import ReformModel

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
HISTORY_MONTHS = 24  # months of the warm-up shown before the launch, for context

# (column, label, format) of the indicators every view shows
INDICATORS = (
    ("items_open", "items open", "{:,.0f}"),
    ("items_hidden", "items hidden", "{:,.0f}"),
    ("agencies", "agencies", "{:,.0f}"),
    ("staff", "staff", "{:,.0f}"),
    ("trips_mean", "trips per matter", "{:.2f}"),
    ("realisation_rate", "done in at most one trip", "{:.0%}"),
    ("satisfaction_rate", "satisfied applicants", "{:.0%}"),
)
# trend panels: panel title -> columns drawn in it
PANELS = {
    "approval items": ("items_open", "items_hidden"),
    "agencies": ("agencies",),
    "staff": ("staff",),
    "trips per matter": ("trips_mean",),
    "done in at most one trip": ("realisation_rate",),
    "satisfied applicants": ("satisfaction_rate",),
}
SERIES_LABEL = {"items_open": "open", "items_hidden": "hidden"}


def kpis(model: ReformModel) -> list[tuple[str, str]]:
    """(label, formatted value) of this month's indicators."""
    return [(label, fmt.format(model.metrics.get(col, 0.0))) for col, label, fmt in INDICATORS]


def history(model: ReformModel, since: int = -HISTORY_MONTHS) -> dict[str, list[Any]]:
    """Columns of the model's time series from month `since` on."""
    data = model.datacollector.model_vars
    months = data.get("step", [])
    start = next((i for i, m in enumerate(months) if m >= since), len(months))
    return {col: values[start:] for col, values in data.items()}


def trend_rows(model: ReformModel, series: str | None = None) -> list[dict[str, Any]]:
    """Long-format rows (month, panel, series, value) for the trend panels."""
    data = history(model)
    rows = []
    for panel, cols in PANELS.items():
        for col in cols:
            name = series or SERIES_LABEL.get(col, "value")
            rows += [
                {"month": m, "panel": panel, "series": name, "value": v}
                for m, v in zip(data["step"], data[col])
            ]
    return rows


def small_multiples(rows: list[dict[str, Any]], title: str, colours: dict[str, str]) -> dict[str, Any]:
    """One line panel per indicator, each with its own y scale and a rule at the launch."""
    lines = {
        "mark": {"type": "line", "strokeWidth": 1.5},
        "encoding": {
            "x": {"field": "month", "type": "quantitative", "title": None},
            "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": False}},
            "color": {
                "field": "series", "type": "nominal", "title": None,
                "scale": {"domain": list(colours), "range": list(colours.values())},
                "legend": {"orient": "top"},
            },
            "tooltip": [{"field": "series"}, {"field": "month"}, {"field": "value", "format": ".3~s"}],
        },
    }
    launch = {"mark": {"type": "rule", "color": "#999", "strokeDash": [3, 3]}, "encoding": {"x": {"datum": 0}}}
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "fontSize": 12, "anchor": "start"},
        "data": {"values": rows},
        "facet": {"field": "panel", "type": "nominal", "title": None, "sort": list(PANELS)},
        "columns": 3,
        "spec": {"width": 130, "height": 70, "layer": [lines, launch]},
        "resolve": {"scale": {"y": "independent"}},
        "config": {"header": {"labelFontSize": 11}, "axis": {"labelFontSize": 9}},
    }


def trends_spec(model: ReformModel) -> dict[str, Any]:
    colours = {"open": "#1f77b4", "hidden": "#d62728", "value": "#1f77b4"}
    return small_multiples(trend_rows(model), "month by month (dashed line: reform launch)", colours)


def comparison_rows(model: Any) -> list[dict[str, Any]]:
    """Trend rows of the chosen scenario and of its `internal_reform` twin."""
    mine = f"{model.scenario_name} (yours)"
    return trend_rows(model, series=mine) + trend_rows(model.twin, series="internal_reform")


def comparison_spec(model: Any) -> dict[str, Any]:
    colours = {f"{model.scenario_name} (yours)": "#2ca02c", "internal_reform": "#7f7f7f"}
    rows = comparison_rows(model)
    for row in rows:  # split the items panel so open and hidden stay apart with two scenarios
        if row["panel"] == "approval items":
            row["panel"] = "approval items (open + hidden)"
    spec = small_multiples(_sum_items(rows), "your scenario against internal_reform, same seed", colours)
    spec["facet"]["sort"] = ["approval items (open + hidden)", *list(PANELS)[1:]]
    return spec


def _sum_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open and hidden items added into one line per scenario."""
    totals: dict[tuple[str, int], float] = {}
    rest = []
    for row in rows:
        if row["panel"].startswith("approval items"):
            key = (row["series"], row["month"])
            totals[key] = totals.get(key, 0.0) + row["value"]
        else:
            rest.append(row)
    items = [{"month": m, "panel": "approval items (open + hidden)", "series": s, "value": v}
             for (s, m), v in totals.items()]
    return items + rest


def comparison_table(model: Any) -> list[tuple[str, str, str]]:
    """(indicator, yours, internal_reform) for this month."""
    return [
        (label, fmt.format(model.metrics.get(col, 0.0)), fmt.format(model.twin.metrics.get(col, 0.0)))
        for col, label, fmt in INDICATORS
    ]
