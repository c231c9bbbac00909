"""The cascade timeline (M12): when process, organisational and functional changes happen, so
the class can read their order from the run instead of being told it. The rows keep the model's
names; `spec` and `order` show them in the page's language."""

from __future__ import annotations

from typing import Any

from simulation.i18n import Words
from simulation.mechanisms.cascade import CATEGORIES
from simulation.model import ReformModel

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c")
SINCE = -12  # a year of the warm-up, to show what the government did by itself before
# (field, title) of the tooltip; titles say what a field means, not what the column is called
TOOLTIP = (
    ("month", "month"),
    ("category", "category"),
    ("kind", "kind of change"),
    ("count", "bureaus changing"),
    ("source", "made by"),
)
SOURCES = ("bureaus", "campaign", "exposure")  # who made a change (mechanisms/cascade.py)


def rows(model: ReformModel, since: int = SINCE) -> list[dict[str, Any]]:
    """Events from month `since` on, one row per (month, category, kind, source)."""
    return [
        {"month": month, "category": category, "kind": kind, "count": count, "source": source}
        for month, category, kind, count, source, _new in model.cascade.events
        if month >= since
    ]


def shown(row: dict[str, Any], words: Words) -> dict[str, Any]:
    """An event row with its names in the page's language: a change's kind (`join_window`) and
    source (`campaign`) by their catalogue's words (the model's names in English)."""
    category = words(row["category"])
    kind, source = words.term("change", row["kind"]), words.term("source", row["source"])
    return {**row, "category": category, "kind": kind, "source": source}


def order(model: ReformModel, words: Words) -> str:
    """Categories by their first month since the launch, e.g. 'process > functional'."""
    _ = words
    first = model.cascade.order(since=1)
    if not first:
        return _("no change yet")
    return " > ".join(
        " = ".join(_(category) for category in same.split("=")) for same in first.split(">")
    )


def spec(model: ReformModel, words: Words) -> dict[str, Any]:
    """Dots by month and category (size: how many bureaus changed), in the page's words."""
    _ = words
    data = [shown(row, words) for row in rows(model)]
    categories = [_(c) for c in CATEGORIES]
    events = {
        "mark": {"type": "circle", "opacity": 0.7},
        "encoding": {
            "x": {
                "field": "month",
                "type": "quantitative",
                "title": _("month (0 = launch)"),
                "scale": {"domainMin": SINCE},
            },
            "y": {
                "field": "category",
                "type": "nominal",
                "title": None,
                "sort": categories,
                "scale": {"domain": categories},
            },
            "size": {
                "field": "count",
                "type": "quantitative",
                "legend": None,
                "scale": {"type": "sqrt", "range": [10, 400]},
            },
            "color": {
                "field": "category",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": categories, "range": list(COLOURS)},
            },
            "tooltip": [{"field": f, "title": _(title)} for f, title in TOOLTIP],
        },
    }
    launch = {
        "data": {"values": [{}]},
        "encoding": {"x": {"datum": 0.5}},
        "mark": {"type": "rule", "color": "#999", "strokeDash": [3, 3]},
    }
    return {
        "$schema": SCHEMA,
        "width": 360,
        "height": 120,
        "title": {
            "text": _("cascade of changes (dot size: number of changes)"),
            "fontSize": 12,
            "anchor": "start",
        },
        "data": {"values": data},
        "layer": [events, launch],
        "config": {"legend": {"orient": "bottom"}},
    }
