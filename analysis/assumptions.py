"""The key assumptions of a sweep for the report: its parameter values next to their defaults and
sources (the comments of simulation/parameters.py), and each scenario's institutions."""

from __future__ import annotations

import copy
import re
import runpy
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

# The parameter table is read from its file, not imported: importing the `simulation` package
# would load the model and Mesa, which the report does not need.
PARAMETERS = Path(__file__).resolve().parent.parent / "simulation" / "parameters.py"

ENTRY = re.compile(r'^\s*"(\w+)":\s*(.*?)\s*#\s*(.*)$')
OPEN = re.compile(r'^\s*"(\w+)":\s*\{\s*(#.*)?$')
CLOSE = re.compile(r"^\s*\},?\s*$")


def parameter_notes() -> dict[str, str]:
    """Dotted key -> the comment that documents it in simulation/parameters.py (unit, source)."""
    lines = PARAMETERS.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("DEFAULTS"))
    notes: dict[str, str] = {}
    stack: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("}"):
            break
        if m := OPEN.match(line):
            stack.append(m.group(1))
        elif CLOSE.match(line):
            stack = stack[:-1]
        elif m := ENTRY.match(line):
            notes[".".join([*stack, m.group(1)])] = m.group(3)
    return notes


@cache
def _defaults() -> dict[str, Any]:
    return runpy.run_path(str(PARAMETERS))["DEFAULTS"]


def default_table() -> dict[str, Any]:
    """A copy of simulation.parameters.DEFAULTS."""
    return copy.deepcopy(_defaults())


def flatten(node: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


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
