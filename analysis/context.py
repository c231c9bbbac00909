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


def sweep_context(
    sweep_dir: Path,
    data: SweepData,
    runs: pd.DataFrame,
    scenarios: list[str],
    months: int,
    horizon: int,
    level: float,
) -> dict[str, Any]:
    """What the report says about the sweep itself: its size, settings, scenarios' institutions,
    provenance and the commands that made it; also each run's cascade events."""
    record, configs = data.record, data.configs
    events = {r: data.events[r] for r in runs["run_id"] if r in data.events}
    first = next(iter(configs.values()), {})
    settings = record.get("settings") or {
        k: v for k, v in first.items() if k not in ("seed", "scenario")
    }
    names, inst = assumptions.institutions(configs)
    sentence = _sweep_sentence(runs, len(scenarios), months, settings.get("population", {}))
    prov = data.provenance
    return {
        "sweep": str(sweep_dir),
        "sentence": sentence,
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


def _sweep_sentence(runs: pd.DataFrame, n_scenarios: int, months: int, population: dict) -> str:
    per = runs.groupby("scenario").size()
    seeds = f"{per.min()}" if per.min() == per.max() else f"{per.min()}-{per.max()}"
    size = ""
    if "citizens" in population:
        citizens, firms = population["citizens"], population["enterprises"]
        size = f", {citizens:,} simulated citizens and {firms:,} firms"
    return (
        f"This sweep: {n_scenarios} scenarios x {seeds} replicates (common random numbers), "
        f"{months} months after the launch{size}."
    )
