"""The state of a sweep directory: which experiment it holds, which runs it registers, which are
finished, and who is working on it.

`<sweep>/sweep.json` names the experiment (the app and its settings, hashed into `identity`) and
registers every run ever asked of the directory (`runs`: folder name -> metadata) with the
commands that asked. A run is finished iff `<sweep>/<run>/summary.json` exists: the writers put it
last, atomically. A run that raised holds `failed.json` (its error and traceback) until a rerun
finishes it. A directory that holds another experiment, or files that are no sweep at all, is
refused; one process at a time works on a sweep (an advisory lock on `.sweep.lock`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shlex
import shutil
import socket
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from experiments.atomic import atomic_write
from simulation.config import flatten

RECORD = "sweep.json"
LOCK = ".sweep.lock"
FINISHED_MARK = "summary.json"
FAILED_MARK = "failed.json"
IGNORED = {RECORD, LOCK, ".submitit", "results.parquet", "provenance.csv", "report"}


class SweepError(Exception):
    """A sweep directory cannot be used as asked. `str()` is one line naming the reason."""


@dataclass(frozen=True)
class Job:
    """One run of a sweep: its folder under the sweep directory and the overrides that make it."""

    name: str  # e.g. "internal_reform/seed3"
    overrides: tuple[str, ...]  # e.g. ("scenario=internal_reform", "seed=3")
    meta: Mapping[str, Any] = field(
        default_factory=dict
    )  # recorded in sweep.json; may hold config_hash


def identity(app: str, settings: Mapping[str, Any]) -> str:
    text = json.dumps({"app": app, "settings": settings}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_finished(run_dir: Path) -> bool:
    return (run_dir / FINISHED_MARK).is_file()


def record_failure(run_dir: Path, error: str, details: str = "") -> None:
    """Write `<run>/failed.json`: why the run failed (one line) and the traceback, if known."""
    failure = {
        "error": error,
        "traceback": details,
        "host": socket.gethostname(),
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    atomic_write(
        Path(run_dir) / FAILED_MARK, lambda f: json.dump(failure, f, indent=1), binary=False
    )


def read_failure(run_dir: Path) -> dict[str, Any] | None:
    """The failure recorded for an unfinished run, or None (finished, never failed, unreadable)."""
    path = Path(run_dir) / FAILED_MARK
    if is_finished(run_dir) or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"error": f"{FAILED_MARK} is unreadable"}


def failed_runs(directory: Path) -> dict[str, str]:
    """Registered runs that failed and are not finished since: folder name -> error (one line)."""
    out = {}
    for name in sorted(registered_runs(directory)):
        failure = read_failure(Path(directory) / name)
        if failure is not None:
            out[name] = str(failure.get("error", "unknown error"))
    return out


def read_record(directory: Path) -> dict[str, Any] | None:
    """The sweep's record, or None where there is none; a corrupt one is named (SweepError)."""
    path = Path(directory) / RECORD
    if not path.is_file():
        return None
    record = read_json(path, "it records which experiment the folder holds")
    if not isinstance(record, dict) or not isinstance(record.get("runs"), dict):
        raise SweepError(f"{path} is not a sweep record; restore it or choose another directory")
    return record


def read_summary(run_dir: Path) -> dict[str, Any]:
    """A finished run's summary.json; a corrupt one is named (SweepError)."""
    summary = read_json(Path(run_dir) / FINISHED_MARK, "move the run folder away to run it again")
    if not isinstance(summary, dict):
        raise SweepError(f"{Path(run_dir) / FINISHED_MARK} is corrupt (not a JSON object)")
    return summary


def read_json(path: Path, advice: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise SweepError(f"{path} is corrupt ({_first_line(err)}); {advice}") from None


def _first_line(err: Exception) -> str:
    return " ".join(str(err).split())[:80]


def registered_runs(directory: Path) -> dict[str, dict[str, Any]]:
    """Run folder -> metadata: from sweep.json, or every folder holding a summary.json."""
    record = read_record(directory)
    if record is not None:
        return dict(record["runs"])
    marks = sorted(Path(directory).rglob(FINISHED_MARK))
    return {str(p.parent.relative_to(directory)): {} for p in marks}


@contextmanager
def claim(
    directory: Path, app: str, settings: Mapping[str, Any], jobs: list[Job]
) -> Iterator[dict[str, Any]]:
    """Hold the sweep directory for `app` with `settings` while the body runs: refuse another
    experiment or a concurrent process, register `jobs`, and check finished runs still match."""
    directory = Path(directory)
    _refuse_foreign(directory, app, settings)
    directory.mkdir(parents=True, exist_ok=True)
    with locked(directory):
        _refuse_foreign(directory, app, settings)  # the holder before us may have created it
        _remove_stale_temporaries(directory)
        _check_finished(directory, jobs)
        yield _register(directory, app, settings, jobs)


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """The sweep's lock, held while the body runs: one process at a time works on a sweep (its
    runs, its record, its report). Refused at once (SweepError) while another holds it."""
    with open(Path(directory) / LOCK, "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SweepError(
                f"{directory}: another process is working on this sweep; wait for it"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _refuse_foreign(directory: Path, app: str, settings: Mapping[str, Any]) -> None:
    record = read_record(directory)
    if record is None:
        stray = (
            [p.name for p in directory.iterdir() if p.name not in IGNORED]
            if directory.is_dir()
            else []
        )
        if stray:
            raise SweepError(
                f"{directory} already holds files that are not a sweep ({stray[0]}, ...); "
                "choose another "
                "directory (hydra.sweep.dir=...)"
            )
        return
    if record.get("app") != app:
        raise SweepError(
            f"{directory} holds a sweep of {record.get('app')}, not {app}; choose another directory"
        )
    if record.get("identity") != identity(app, settings):
        raise SweepError(
            f"{directory} holds an experiment with other settings "
            f"({_first_difference(record['settings'], settings)}); "
            "choose another directory (hydra.sweep.dir=...)"
        )


def _remove_stale_temporaries(directory: Path) -> None:
    """What a killed process leaves at the sweep's top: temporary files of atomic writes and
    half-built report folders. Called under the lock, so no sweep and no reform-report is
    writing them."""
    for path in directory.glob(".*.tmp"):
        path.unlink(missing_ok=True)
    for path in directory.glob(".report-*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _first_difference(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    a, b = flatten(old), flatten(new)
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return f"{key}: {a.get(key)!r} there, {b.get(key)!r} here"
    return "same values, different identity"


def _check_finished(directory: Path, jobs: list[Job]) -> None:
    """A finished run must be the run asked for now (a scenario file may have changed since)."""
    for job in jobs:
        expected = job.meta.get("config_hash")
        run_dir = directory / job.name
        if expected is None or not is_finished(run_dir):
            continue
        found = read_summary(run_dir).get("config_hash")
        if found != expected:
            raise SweepError(
                f"{run_dir}: this finished run has another configuration than the one asked now "
                "(was a scenario file edited?); choose another directory (hydra.sweep.dir=...)"
            )


def _register(
    directory: Path, app: str, settings: Mapping[str, Any], jobs: list[Job]
) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    record = read_record(directory) or {
        "app": app,
        "identity": identity(app, settings),
        "settings": dict(settings),
        "created": now,
        "runs": {},
        "commands": [],
    }
    for job in jobs:
        record["runs"][job.name] = {**job.meta, "overrides": list(job.overrides)}
    record["commands"].append({"time": now, "command": command_line()})
    atomic_write(
        directory / RECORD, lambda f: json.dump(record, f, indent=1, default=str), binary=False
    )
    return record


def command_line() -> str:
    """The command as typed (program name without its path), for reproducing a sweep."""
    return shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]])
