"""Where the robustness a comparison report attaches comes from. It is judged in another study
(a validation's robustness stage), often at another population size and run length than the
sweep, so the report and the brief name that study and its size beside every share.

The study's size is read from what lies beside its robustness.csv: a `robustness.json` (keys
`worlds`, `seeds`, `citizens`, `enterprises`, `months`, `came_back`: the rebound ratio from which
its worlds said "came back"), or, for the CSV of a validation sweep's report folder, that sweep's
sweep.json (its `study` settings). Either may be missing: the report then says the size is not
known rather than guess it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.thresholds import CAME_BACK
from analysis.words.formatting import percent
from analysis.words.records import Sentences, Text, _

SIDECAR = "robustness.json"


@dataclass(frozen=True)
class Study:
    """A robustness study: its folder as the user named it, and its size where known."""

    folder: str
    worlds: int | None = None
    seeds: int | None = None
    citizens: int | None = None
    months: int | None = None
    came_back: float | None = None


def read_study(source: str, table: pd.DataFrame | None = None) -> Study:
    """The study behind the robustness table read from `source` (a robustness.csv)."""
    csv = Path(source)
    folder = csv.parent
    record = _json(folder.parent / "sweep.json") if folder.name == "report" else {}
    if record.get("app") == "reform-validate":
        folder = folder.parent
    size = _json(csv.with_name(SIDECAR)) or _from_record(record)
    worlds = size.get("worlds")
    if worlds is None and table is not None and "draws" in table:
        worlds = int(table["draws"].max())
    return Study(
        folder=str(folder),
        worlds=_int(worlds),
        seeds=_int(size.get("seeds")),
        citizens=_int(size.get("citizens")),
        months=_int(size.get("months")),
        came_back=size.get("came_back"),
    )


def _from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    study = (record.get("settings") or {}).get("study") or {}
    if not study:
        return {}
    return {
        "worlds": study.get("robustness_draws"),
        "seeds": study.get("robustness_seeds"),
        "citizens": study.get("citizens"),
        "months": study.get("steps"),
        "came_back": study.get("threshold"),
    }


def _json(path: Path) -> dict[str, Any]:
    try:
        said = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return said if isinstance(said, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def study_sentence(study: Study, citizens: int | None, months: int) -> Text:
    """Where the robustness comes from and how its size compares with this sweep's
    (`citizens`, `months`), in one or two sentences."""
    if study.citizens is None:
        said = _(
            "Robustness comes from another study, {folder} ({worlds} plausible worlds); its "
            "population size is not recorded beside its table, so it may differ from this "
            "sweep's {citizens} simulated citizens."
        )
    elif study.citizens != citizens or study.months != months:
        said = _(
            "Robustness comes from another study, {folder}: {worlds} plausible worlds, "
            "{seeds} replicate(s) each, {study_citizens} simulated citizens and {study_months} "
            "months, not this sweep's {citizens} citizens and {months} months."
        )
    else:
        said = _(
            "Robustness comes from another study, {folder}: {worlds} plausible worlds, "
            "{seeds} replicate(s) each, at this sweep's size ({citizens} simulated citizens, "
            "{months} months)."
        )
    text = said.format(
        folder=study.folder,
        worlds=study.worlds if study.worlds is not None else "?",
        seeds=study.seeds if study.seeds is not None else "?",
        study_citizens=f"{study.citizens:,}" if study.citizens else "?",
        study_months=study.months if study.months is not None else "?",
        citizens=f"{citizens:,}" if citizens else "?",
        months=months,
    )
    if study.came_back is not None and abs(study.came_back - CAME_BACK) > 1e-9:
        line = _(
            "Its worlds drew the line between came back and stayed down at a rebound of {theirs}, "
            "this report at {ours}: rerun its robustness stage before relying on its shares."
        ).format(theirs=percent(study.came_back), ours=percent(CAME_BACK))
        return Sentences((text, line))
    return text


def study_size(study: dict[str, Any]) -> str:
    """robustness.json, written by the validation report beside robustness.csv: the size of the
    robustness stage, read back above wherever the CSV is copied."""
    keys = {"worlds": "robustness_draws", "seeds": "robustness_seeds", "citizens": "citizens"}
    keys |= {"enterprises": "enterprises", "months": "steps"}
    return json.dumps({**{k: study[v] for k, v in keys.items()}, "came_back": CAME_BACK})
