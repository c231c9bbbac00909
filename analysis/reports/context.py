"""The sweep behind a report: its settings and size, each scenario's institutions, provenance
(versions, commits, the commands that made it) and each run's cascade events, from what
experiments.collect read of the sweep."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.regrowth import MIN_SHARE
from analysis.measures.stats import minimum_replicates
from analysis.measures.sweep_data import SweepData
from analysis.reports import assumptions
from analysis.words.records import Joined, Text, _
from simulation import i18n


def sweep_context(
    sweep_dir: Path,
    data: SweepData,
    runs: pd.DataFrame,
    scenarios: list[str],
    months: int,
    horizon: int,
    level: float,
) -> dict[str, Any]:
    """What the report says about the sweep itself (its words records: analysis/words/records.py):
    its size, settings, scenarios' institutions, provenance and the commands that made it; also each
    run's cascade events."""
    record, configs = data.record, data.configs
    events = {r: data.events[r] for r in runs["run_id"] if r in data.events}
    first = next(iter(configs.values()), {})
    settings = record.get("settings") or {
        k: v for k, v in first.items() if k not in ("seed", "scenario")
    }
    names, inst = assumptions.institutions(configs)
    size = sweep_size(runs, len(scenarios), months, settings.get("population", {}))
    prov = data.provenance
    return {
        "sweep": str(sweep_dir),
        "sentence": _("This sweep: {size}.").format(size=size),
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
        "parameters": assumptions.parameter_rows(settings),
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


def sweep_size(runs: pd.DataFrame, n_scenarios: int, months: int, population: dict) -> Text:
    """E.g. '5 scenarios x 6 replicates (common random numbers), 120 months after the launch,
    10,000 simulated citizens and 1,000 firms'."""
    per = runs.groupby("scenario").size()
    seeds = f"{per.min()}" if per.min() == per.max() else f"{per.min()}-{per.max()}"
    size = _(
        "{scenarios} scenarios x {seeds} replicates (common random numbers), {months} months "
        "after the launch"
    ).format(scenarios=n_scenarios, seeds=seeds, months=months)
    if "citizens" in population:
        citizens, firms = population["citizens"], population["enterprises"]
        more = _(", {citizens} simulated citizens and {firms} firms").format(
            citizens=f"{citizens:,}", firms=f"{firms:,}"
        )
        return Joined("", (size, more))
    return size


def institution_label(name: str, lang: str = "en") -> str:
    """An institution as a reader sees it: its name in English (as scenario files write it), its
    term from the glossary in Chinese (msgctxt "institution"; the name if none)."""
    return name if lang == "en" else i18n.Words(lang).term("institution", name)
