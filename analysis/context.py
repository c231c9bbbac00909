"""The sweep behind a report: its settings and size, each scenario's institutions, provenance
(versions, commits, the commands that made it) and each run's cascade events, from what
experiments.collect read of the sweep."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import assumptions
from analysis.regrowth import MIN_SHARE
from analysis.stats import minimum_replicates
from analysis.sweep_data import SweepData
from simulation import i18n
from simulation.parameters import ENTRIES


def sweep_context(
    sweep_dir: Path,
    data: SweepData,
    runs: pd.DataFrame,
    scenarios: list[str],
    months: int,
    horizon: int,
    level: float,
    lang: str = "en",
) -> dict[str, Any]:
    """What the report says about the sweep itself (in `lang`): its size, settings, scenarios'
    institutions, provenance and the commands that made it; also each run's cascade events."""
    record, configs = data.record, data.configs
    events = {r: data.events[r] for r in runs["run_id"] if r in data.events}
    first = next(iter(configs.values()), {})
    settings = record.get("settings") or {
        k: v for k, v in first.items() if k not in ("seed", "scenario")
    }
    names, inst = assumptions.institutions(configs)
    size = sweep_size(runs, len(scenarios), months, settings.get("population", {}), lang)
    prov = data.provenance
    return {
        "sweep": str(sweep_dir),
        "sentence": i18n.t(lang)("This sweep: {size}.").format(size=size),
        "sweep_size": size,
        "events": events,
        "months": months,
        "horizon": horizon,
        "level": level,
        "min_share": MIN_SHARE,
        "need": minimum_replicates(level),
        "incomplete": data.incomplete,
        "failed": data.failed,  # run -> error; both are user-made text
        "commands": [c["command"] for c in record.get("commands", [])],
        "commits": sorted({str(c) for c in prov["git_commit"].dropna()}) if len(prov) else [],
        "versions": sorted({str(v) for v in prov["package_version"].dropna()}) if len(prov) else [],
        "parameters": [
            {**row, "note": parameter_note(row["key"], lang) or row["note"]}
            for row in assumptions.parameter_rows(settings)
        ],
        "institution_names": names,
        "descriptions": {
            s: str(c.get("scenario", {}).get("description") or "") for s, c in configs.items()
        },
        "institutions": inst,
        "pt_extra": assumptions.extra_institutions(
            inst, "pressure_and_technology", ["public_pressure", "technology_only"]
        ),
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def sweep_size(
    runs: pd.DataFrame, n_scenarios: int, months: int, population: dict, lang: str = "en"
) -> str:
    """E.g. '5 scenarios x 6 replicates (common random numbers), 120 months after the launch,
    10,000 simulated citizens and 1,000 firms'."""
    _ = i18n.t(lang)
    per = runs.groupby("scenario").size()
    seeds = f"{per.min()}" if per.min() == per.max() else f"{per.min()}-{per.max()}"
    size = _(
        "{scenarios} scenarios x {seeds} replicates (common random numbers), {months} months "
        "after the launch"
    ).format(scenarios=n_scenarios, seeds=seeds, months=months)
    if "citizens" in population:
        citizens, firms = population["citizens"], population["enterprises"]
        size += _(", {citizens} simulated citizens and {firms} firms").format(
            citizens=f"{citizens:,}", firms=f"{firms:,}"
        )
    return size


def parameter_note(key: str, lang: str = "en") -> str:
    """What a parameter is, its unit and where its value comes from, in `lang`; "" for English
    (analysis.assumptions writes it) and for a key simulation/parameters.py does not declare.
    The declaration's words are messages of the catalogue (report.po): the description and the
    reference as they are, the unit and the origin as 'unit: <unit>' and 'origin: <origin>'."""
    e = ENTRIES.get(key)
    if lang == "en" or e is None:
        return ""
    _ = tr = i18n.t(lang)  # `tr`: the declaration's own words, looked up in the catalogue

    def word(kind: str, text: str) -> str:
        said = tr(f"{kind}: {text}")
        return text if said == f"{kind}: {text}" else said

    parts = {
        "doc": tr(e.doc),
        "unit": word("unit", e.unit),
        "origin": word("origin", e.origin),
        "ref": tr(e.ref),
    }
    if e.unit and e.ref:
        return _("{doc} ({unit}); {origin}, {ref}").format(**parts)
    if e.unit:
        return _("{doc} ({unit}); {origin}").format(**parts)
    if e.ref:
        return _("{doc}; {origin}, {ref}").format(**parts)
    return _("{doc}; {origin}").format(**parts)


def institution_label(name: str, lang: str = "en") -> str:
    """An institution as a reader sees it: its name in English (as scenario files write it), its
    term from the glossary in Chinese (message 'institution: <name>'; the name if none)."""
    key = f"institution: {name}"
    said = i18n.t(lang)(key)
    return name if lang == "en" or said == key else said
