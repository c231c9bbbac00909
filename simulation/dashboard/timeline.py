"""The cascade timeline (M12): when process, organisational and functional changes happen, so
the class can read their order from the run instead of being told it."""

from __future__ import annotations

from typing import Any

from simulation.mechanisms.cascade import CATEGORIES
from simulation.model import ReformModel

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c")
SINCE = -12  # a year of the warm-up, to show what the government did by itself before


def rows(model: ReformModel, since: int = SINCE) -> list[dict[str, Any]]:
    """Events from month `since` on, one row per (month, category, kind, source)."""
    return [
        {"month": month, "category": category, "kind": kind, "count": count, "source": source}
        for month, category, kind, count, source, _new in model.cascade.events
        if month >= since
    ]


def order(model: ReformModel) -> str:
    """Categories by their first month since the launch, e.g. 'process > functional'."""
    text = model.cascade.order(since=1).replace(">", " > ").replace("=", " = ")
    return text or "no change yet"


def spec(model: ReformModel) -> dict[str, Any]:
    data = rows(model)
    events = {
        "mark": {"type": "circle", "opacity": 0.7},
        "encoding": {
            "x": {
                "field": "month",
                "type": "quantitative",
                "title": "month (0 = launch)",
                "scale": {"domainMin": SINCE},
            },
            "y": {
                "field": "category",
                "type": "nominal",
                "title": None,
                "sort": list(CATEGORIES),
                "scale": {"domain": list(CATEGORIES)},
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
                "scale": {"domain": list(CATEGORIES), "range": list(COLOURS)},
            },
            "tooltip": [{"field": f} for f in ("month", "category", "kind", "count", "source")],
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
            "text": "cascade of changes (dot size: number of changes)",
            "fontSize": 12,
            "anchor": "start",
        },
        "data": {"values": data},
        "layer": [events, launch],
        "config": {"legend": {"orient": "bottom"}},
    }
