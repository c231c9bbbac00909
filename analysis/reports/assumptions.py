"""The key assumptions of a sweep for the report: its parameter values next to their defaults and
sources (the declarations of simulation/parameters.py), and each scenario's institutions."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.words.records import Text, Words
from simulation.config import flatten
from simulation.parameters import DEFAULTS, ENTRIES


def parameter_notes() -> dict[str, str]:
    """Dotted key -> what the parameter is, its unit and where its value comes from (English, as
    simulation/parameters.py declares it)."""
    notes = {}
    for key, e in ENTRIES.items():
        unit = f" ({e.unit})" if e.unit else ""
        ref = f", {e.ref}" if e.ref else ""
        notes[key] = f"{e.doc}{unit}; {e.origin}{ref}"
    return notes


@dataclass(frozen=True)
class ParameterNote(Text):
    """A declared parameter's note in the page's language: English as `parameter_notes` writes
    it; another language from the catalogue (report.po), whose messages are the declaration's
    words as they are (description, reference) and the unit and origin in their contexts
    (msgctxt "unit", "origin"). Both languages take this one path."""

    key: str

    def render(self, words: Words) -> str:
        if words.lang == "en":
            return parameter_notes()[self.key]
        e = ENTRIES[self.key]
        parts = {
            "doc": words(e.doc),
            "unit": words.model.term("unit", e.unit),
            "origin": words.model.term("origin", e.origin),
            "ref": words(e.ref),
        }
        if e.unit and e.ref:
            return words("{doc} ({unit}); {origin}, {ref}").format(**parts)
        if e.unit:
            return words("{doc} ({unit}); {origin}").format(**parts)
        if e.ref:
            return words("{doc}; {origin}, {ref}").format(**parts)
        return words("{doc}; {origin}").format(**parts)


def parameter_note(key: str) -> ParameterNote | str:
    """The note of a declared parameter; "" for a key simulation/parameters.py does not declare."""
    return ParameterNote(key) if key in ENTRIES else ""


def default_table() -> dict[str, Any]:
    """A copy of simulation.parameters.DEFAULTS."""
    return copy.deepcopy(DEFAULTS)


def parameter_rows(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every model parameter of the sweep (except scenario and seed): value, default, source."""
    defaults = flatten({k: v for k, v in default_table().items() if k not in ("scenario", "seed")})
    values = flatten(settings)
    return [
        {
            "key": k,
            "value": values.get(k),
            "default": d,
            "changed": values.get(k) != d,
            "note": parameter_note(k),
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
