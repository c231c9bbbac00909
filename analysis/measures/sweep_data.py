"""What a report is made from: a sweep's tables and records, already read (by experiments.collect).
The analysis reads nothing from disk itself: frames and records in, figures and HTML out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class SweepData:
    """A sweep's finished runs and what is known of the sweep."""

    results: pd.DataFrame  # run_id, scenario, seed, step and every monthly metric
    provenance: pd.DataFrame  # one row per run: config hash, seed, scenario, versions, commit
    incomplete: list[str] = field(default_factory=list)  # not finished and not failed
    failed: dict[str, str] = field(default_factory=dict)  # run -> its error (failed.json)
    record: dict[str, Any] = field(default_factory=dict)  # sweep.json (settings, commands)
    configs: dict[str, dict] = field(default_factory=dict)  # scenario -> a run's resolved config
    events: dict[str, pd.DataFrame] = field(default_factory=dict)  # run -> its cascade events
    agencies: dict[str, pd.DataFrame] = field(default_factory=dict)  # run -> its agencies' lives
    factors: list[str] = field(default_factory=list)  # a factor sweep's parameters (columns)
