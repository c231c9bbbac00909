"""The department network that serves one county: its province, city and county bureaus.

Each level is a ring of the 15 functional bureaus; chords are certificate dependencies (the
issuer's certificate feeds the user's items), dashed lines join a merged bureau to its host.
Node size is the items a bureau handles or its staff; colour is one-window membership and data
sharing. The rows keep the model's English names; `spec` shows them in the page's language
(bureaus by their Chinese names, e.g. 住建 on the chart and 住房和城乡建设局 in the tooltip).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simulation import catalogue as cat
from simulation.i18n import Words
from simulation.items import CUT
from simulation.model import ReformModel

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
RING_GAP = 2.6  # distance between the centres of the level rings
SHORT = {  # two-letter labels; the tooltip gives the full name
    "development_reform": "DR",
    "natural_resources": "NR",
    "housing_construction": "HC",
    "market_regulation": "MR",
    "public_security": "PS",
    "human_resources_social_security": "HR",
    "ecology_environment": "EE",
    "water": "WA",
    "fire": "FI",
    "civil_air_defence": "CA",
    "meteorology": "ME",
    "tax": "TX",
    "civil_affairs": "CV",
    "health": "HE",
    "housing_fund": "HF",
}
STATES = {  # colour of each state, in legend order
    "window + data sharing": "#2ca02c",
    "one window only": "#ff7f0e",
    "data sharing only": "#1f77b4",
    "neither": "#9e9e9e",
    "merged into another": "#e0e0e0",
}


SIZES = ("items", "staff")  # what a node's size can show
TOOLTIP = ("bureau", "level", "state", "items", "staff")


def bureau_name(domain: str, words: Words, short: bool = False) -> str:
    """A bureau as the page shows it: its model name (or two-letter label) in English, its
    Chinese name (or the usual abbreviation) in Chinese."""
    if short:
        return words.term("bureau, short", domain, SHORT[domain])
    return words.term("bureau", domain)


def ring_position(domain: int, level: int) -> tuple[float, float]:
    angle = 2 * math.pi * domain / len(cat.DOMAINS)
    return level * RING_GAP + math.sin(angle), math.cos(angle)


def handled_items(model: ReformModel) -> np.ndarray:
    """Open and hidden items each bureau handles (a merged bureau's items count at its host)."""
    gov, items = model.government, model.government.items
    live = items.status[: items.n] != CUT
    hosts = gov.host[items.owner[: items.n][live]]
    return np.bincount(hosts, minlength=gov.n_departments)


def bureau_state(model: ReformModel, dept: int) -> str:
    gov = model.government
    if gov.host[dept] != dept:
        return "merged into another"
    window, data = bool(gov.in_window[dept]), bool(gov.shares_data[dept])
    if window and data:
        return "window + data sharing"
    return "one window only" if window else ("data sharing only" if data else "neither")


def nodes(model: ReformModel, county: int) -> list[dict[str, Any]]:
    """One row per bureau serving `county`, at province, city and county level."""
    gov = model.government
    items = handled_items(model)
    rows = []
    for level in range(3):
        unit = int(gov.hierarchy[county, level])
        for domain, name in enumerate(cat.DOMAINS):
            dept = int(gov.dept(domain, unit))
            x, y = ring_position(domain, level)
            rows.append(
                {
                    "dept": dept,
                    "x": x,
                    "y": y,
                    "label": SHORT[name],
                    "bureau": name,
                    "level": cat.LEVELS[level],
                    "state": bureau_state(model, dept),
                    "items": int(items[dept]),
                    "staff": round(float(gov.staff[dept]), 1),
                }
            )
    return rows


def edges(model: ReformModel, node_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Certificate chords inside each ring and merge lines from a merged bureau to its host."""
    at = {row["dept"]: row for row in node_rows}
    by_name = {(row["level"], row["bureau"]): row for row in node_rows}
    rows = []
    for issuer, user in model.government.dependencies.edges:
        for level in cat.LEVELS:
            a, b = by_name[level, issuer], by_name[level, user]
            rows.append(_edge(a, b, "certificate"))
    for row in node_rows:
        host = at.get(int(model.government.host[row["dept"]]))
        if host is not None and host["dept"] != row["dept"]:
            rows.append(_edge(row, host, "merged"))
    return rows


def _edge(a: dict[str, Any], b: dict[str, Any], kind: str) -> dict[str, Any]:
    return {"x": a["x"], "y": a["y"], "x2": b["x"], "y2": b["y"], "kind": kind}


def shown(row: dict[str, Any], words: Words) -> dict[str, Any]:
    """A node row with its names in the page's language."""
    _ = words
    return {
        **row,
        "label": bureau_name(row["bureau"], words, short=True),
        "bureau": bureau_name(row["bureau"], words),
        "level": _(row["level"]),
        "state": _(row["state"]),
    }


def spec(model: ReformModel, county: int, size_by: str, words: Words) -> dict[str, Any]:
    """Vega-Lite layers: edges, bureaus, labels and the ring titles, in the page's words."""
    _ = words
    node_rows = nodes(model, county)
    title = _("bureaus serving county {county}: size = {size}")
    shown_rows = [shown(row, words) for row in node_rows]
    return {
        "$schema": SCHEMA,
        "width": 390,
        "height": 165,
        "title": {
            "text": title.format(county=county, size=_(size_by)),
            "fontSize": 12,
            "anchor": "start",
        },
        "layer": [
            _edge_layer(edges(model, node_rows)),
            _node_layer(shown_rows, size_by, words),
            _label_layer(shown_rows),
            _ring_titles(words),
        ],
        "config": {"view": {"stroke": None}},
    }


def _axes() -> dict[str, Any]:
    hidden = {"axis": None, "scale": {"domain": [-1.25, 2 * RING_GAP + 1.25]}}
    return {
        "x": {"field": "x", "type": "quantitative", **hidden},
        "y": {
            "field": "y",
            "type": "quantitative",
            "axis": None,
            "scale": {"domain": [-1.25, 1.45]},
        },
    }


def _edge_layer(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "data": {"values": rows},
        "mark": {"type": "rule", "opacity": 0.35},
        "encoding": {
            **_axes(),
            "x2": {"field": "x2"},
            "y2": {"field": "y2"},
            "strokeDash": {
                "field": "kind",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": ["certificate", "merged"], "range": [[1, 0], [3, 2]]},
            },
            "color": {"value": "#888"},
        },
    }


def _node_layer(rows: list[dict[str, Any]], size_by: str, _: Words) -> dict[str, Any]:
    return {
        "data": {"values": rows},
        "mark": {"type": "circle", "opacity": 0.9, "stroke": "#555", "strokeWidth": 0.5},
        "encoding": {
            **_axes(),
            "size": {
                "field": size_by,
                "type": "quantitative",
                "legend": None,
                "scale": {"range": [12, 380]},
            },
            "color": {
                "field": "state",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [_(s) for s in STATES], "range": list(STATES.values())},
                "legend": {"orient": "bottom", "columns": 3, "labelFontSize": 10},
            },
            "tooltip": [{"field": f, "title": _(f)} for f in TOOLTIP],
        },
    }


def _label_layer(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "data": {"values": rows},
        "mark": {"type": "text", "fontSize": 8, "dy": -9, "color": "#333"},
        "encoding": {**_axes(), "text": {"field": "label"}},
    }


def _ring_titles(_: Words) -> dict[str, Any]:
    rows = [{"x": i * RING_GAP, "y": 1.4, "label": _(name)} for i, name in enumerate(cat.LEVELS)]
    return {
        "data": {"values": rows},
        "mark": {"type": "text", "fontSize": 11, "fontWeight": "bold"},
        "encoding": {**_axes(), "text": {"field": "label"}},
    }
