"""The key assumptions of a sweep for the report: its parameter values next to their defaults and
sources (the declarations of simulation/parameters.py), and each scenario's institutions."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from simulation.config import flatten
from simulation.parameters import DEFAULTS, ENTRIES


def parameter_notes(lang: str = "en") -> dict[str, str]:
    """Dotted key -> what the parameter is, its unit and where its value comes from; in another
    language than English, analysis.context.parameter_note's words (the catalogue's)."""
    if lang != "en":
        from analysis.context import parameter_note

        return {key: parameter_note(key, lang) for key in ENTRIES}
    notes = {}
    for key, e in ENTRIES.items():
        unit = f" ({e.unit})" if e.unit else ""
        ref = f", {e.ref}" if e.ref else ""
        notes[key] = f"{e.doc}{unit}; {e.origin}{ref}"
    return notes


def default_table() -> dict[str, Any]:
    """A copy of simulation.parameters.DEFAULTS."""
    return copy.deepcopy(DEFAULTS)


def parameter_rows(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every model parameter of the sweep (except scenario and seed): value, default, source."""
    notes = parameter_notes()
    defaults = flatten({k: v for k, v in default_table().items() if k not in ("scenario", "seed")})
    values = flatten(settings)
    return [
        {
            "key": k,
            "value": values.get(k),
            "default": d,
            "changed": values.get(k) != d,
            "note": notes.get(k, ""),
        }
        for k, d in defaults.items()
    ]


def institutions(
    configs: Mapping[str, Mapping[str, Any]],
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Institution names and, per scenario, their values (from each scenario's run config)."""
    table = {s: dict(c["scenario"]["institutions"]) for s, c in configs.items()}
    names = list(next(iter(table.values()))) if table else []
    return names, table


def extra_institutions(
    table: Mapping[str, Mapping[str, Any]], cell: str, others: list[str]
) -> list[str]:
    """Institutions switched on in `cell` that none of `others` has: what else differs there."""
    if cell not in table or any(o not in table for o in others):
        return []
    return sorted(
        k for k, v in table[cell].items() if v and not any(table[o].get(k) for o in others)
    )
