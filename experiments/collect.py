"""Gather a sweep's finished runs into one tidy table: `results.parquet` (run id, scenario, seed,
each factor of a factor sweep (a column named by its parameter, e.g. campaigns.interval_months),
step and every metric of the time series, one row per run and month) and `provenance.csv` (one
row per run: config hash, seed, scenario, package version, git commit). Unfinished runs are
skipped with a warning that names them; those that failed (`failed.json`) are listed with their
error."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import yaml

from analysis.measures.sweep_data import SweepData
from experiments.atomic import atomic_write
from experiments.sweepdir import (
    SweepError,
    failed_runs,
    is_finished,
    read_record,
    read_summary,
    registered_runs,
)

RESULTS = "results.parquet"
PROVENANCE = "provenance.csv"
PROVENANCE_KEYS = (
    "scenario",
    "seed",
    "config_hash",
    "package_version",
    "git_commit",
    "python",
    "packages",  # every distribution the run imported, name==version (experiments.outputs)
)


class IncompleteRunsWarning(UserWarning):
    """Some runs of the sweep have no summary.json: they are left out of the analysis."""


def collect(sweep_dir: Path, write: bool = True) -> SweepData:
    """Read every finished run registered in `sweep_dir`; write the two tables when `write`."""
    sweep_dir = Path(sweep_dir)
    runs = registered_runs(sweep_dir)
    names = sorted(runs)
    done = [n for n in names if is_finished(sweep_dir / n)]
    failed = failed_runs(sweep_dir)
    incomplete = [n for n in names if n not in done and n not in failed]
    _warn_incomplete(incomplete, failed)
    frames, rows = [], []
    for name in done:
        summary = read_summary(sweep_dir / name)
        df = _read_table(sweep_dir / name / "timeseries.parquet")
        df.insert(0, "run_id", name)
        df.insert(1, "scenario", summary["scenario"])
        df.insert(2, "seed", int(summary["seed"]))
        for column, (key, value) in enumerate(dict(runs[name].get("factors") or {}).items(), 3):
            df.insert(column, key, value)  # a factor of the comparison: its value in this run
        frames.append(df)
        rows.append({"run_id": name, **{k: summary.get(k) for k in PROVENANCE_KEYS}})
    results = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["run_id", "scenario", "seed", "step"])
    )
    provenance = pd.DataFrame(rows, columns=["run_id", *PROVENANCE_KEYS])
    if write:
        atomic_write(sweep_dir / RESULTS, lambda f: results.to_parquet(f, index=False))
        atomic_write(
            sweep_dir / PROVENANCE, lambda f: provenance.to_csv(f, index=False), binary=False
        )
    return _with_records(sweep_dir, SweepData(results, provenance, incomplete, failed))


def load(sweep_dir: Path) -> SweepData:
    """The sweep's tables: read results.parquet when it holds every finished run, else collect."""
    sweep_dir = Path(sweep_dir)
    path, prov = sweep_dir / RESULTS, sweep_dir / PROVENANCE
    names = sorted(registered_runs(sweep_dir))
    done = [n for n in names if is_finished(sweep_dir / n)]
    for name in done:  # every record must be sound, cache or not (a corrupt one is named)
        read_summary(sweep_dir / name)
    if path.is_file() and prov.is_file():
        try:  # a cache: rebuilt below when it is unreadable or out of date
            provenance = pd.read_csv(prov)
            current = sorted(provenance["run_id"]) == done
            results = pd.read_parquet(path) if current else None
        except (OSError, ValueError, KeyError, pd.errors.ParserError):
            results = None
        if results is not None:
            failed = failed_runs(sweep_dir)
            incomplete = [n for n in names if n not in done and n not in failed]
            _warn_incomplete(incomplete, failed)
            return _with_records(sweep_dir, SweepData(results, provenance, incomplete, failed))
    return collect(sweep_dir, write=True)


def _with_records(sweep_dir: Path, data: SweepData) -> SweepData:
    """Add what the report says of the sweep: its record, one resolved config per scenario (they
    differ only in seed between replicates), each run's cascade events and its agencies' lives."""
    data.record = read_record(sweep_dir) or {}
    factors = (data.record.get("settings") or {}).get("factors") or {}
    data.factors = [k for k in factors if k in data.results.columns]
    runs = data.results.drop_duplicates("run_id")[["run_id", "scenario"]]
    for scenario, run_id in runs.groupby("scenario", sort=False)["run_id"].first().items():
        path = sweep_dir / run_id / "config.yaml"
        if path.is_file():
            data.configs[scenario] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for run_id in runs["run_id"]:
        if (path := sweep_dir / run_id / "events.csv").is_file():
            data.events[run_id] = pd.read_csv(path)
        if (path := sweep_dir / run_id / "agencies.parquet").is_file():
            data.agencies[run_id] = pd.read_parquet(path)
    return data


def _read_table(path: Path) -> pd.DataFrame:
    """A finished run's time series; a corrupt one is named (SweepError)."""
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as err:
        if isinstance(err, FileNotFoundError):
            raise SweepError(f"{path} is missing from a finished run") from None
        raise SweepError(
            f"{path} is corrupt ({' '.join(str(err).split())[:80]}); "
            "move the run folder away to run it again"
        ) from None


def _warn_incomplete(names: list[str], failed: dict[str, str]) -> None:
    for what, runs in (("incomplete", names), ("failed", list(failed))):
        if runs:
            shown = ", ".join(runs[:10]) + (f" and {len(runs) - 10} more" if len(runs) > 10 else "")
            warnings.warn(
                f"skipping {len(runs)} {what} run(s): {shown}", IncompleteRunsWarning, stacklevel=3
            )
