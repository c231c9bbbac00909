"""Nothing lost: a sweep killed with SIGKILL while it writes completes when the same command is
rerun, with its finished runs untouched and no corrupt file; a directory holding something else
is refused untouched; a run that fails is recorded with its error, the others go on, the report
lists it and a rerun retries it.

The failing run is made without touching the model's code or adding switches to it: the test
puts a `sitecustomize.py` on the PYTHONPATH of the reform-compare it starts. Python imports it in
every process of that command (the app and the launcher's workers, which inherit the
environment), and it wraps `ReformModel.launch` to raise for one scenario and seed, so the
exception comes from inside a real model run, mid-run, in the worker."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.cli_support import BIN, compare, one_line

pytestmark = pytest.mark.integration

MODEL = ["steps=12", "warmup=3", "population.citizens=300", "population.enterprises=30"]
CLI = ["scenarios=[internal_reform,status_quo]", *MODEL]


def fingerprint(run_dirs: list[Path]) -> dict[str, tuple[str, int]]:
    """Every file of the given run folders (with .hydra/): content hash and mtime."""
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for d in run_dirs
        for p in sorted(d.rglob("*"))
        if p.is_file()
    }


def finished(sweep: Path) -> list[Path]:
    return sorted(p.parent for p in sweep.glob("*/seed*/summary.json"))


def assert_every_file_parses(sweep: Path) -> int:
    """Open every data file of the sweep with the reader the analysis would use."""
    checked = 0
    for path in sorted(sweep.rglob("*")):
        if not path.is_file() or ".submitit" in path.parts:
            continue
        kind = path.suffix
        if kind == ".parquet":
            pd.read_parquet(path)
        elif kind == ".csv":
            if path.read_bytes() != b"\n":  # what to_csv writes for a table with no columns
                pd.read_csv(path)
        elif kind == ".json":
            json.loads(path.read_text())
        elif kind == ".yaml":
            yaml.safe_load(path.read_text())
        elif kind == ".svg":
            ET.parse(path)
        elif kind == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 100
        elif kind == ".html":
            assert path.read_text().rstrip().endswith("</html>"), path
        else:
            continue
        checked += 1
    return checked


def kill_while_writing(proc: subprocess.Popen, sweep: Path, started: float) -> list[str]:
    """SIGKILL the command's whole process group at a moment when it has finished a run and is
    half-way through writing another (a temporary file of an atomic write exists). Files older
    than `started` (the command's start) are a previous process's leftovers and do not count."""
    deadline = time.monotonic() + 900

    def fresh(paths: list[Path]) -> list[Path]:
        out = []
        for p in paths:
            try:
                if p.stat().st_mtime >= started:
                    out.append(p)
            except FileNotFoundError:  # renamed into place meanwhile
                pass
        return out

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("the sweep ended before it could be killed; make it longer")
        if fresh(list(sweep.glob("*/seed*/summary.json"))):
            writing = fresh(list(sweep.glob("*/seed*/.*.tmp")))
            if writing:
                os.killpg(proc.pid, signal.SIGKILL)  # no clean-up at all: the worst interruption
                proc.wait()
                return [str(p.relative_to(sweep)) for p in writing]
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    pytest.fail("no run was ever seen half-written")


def start(args: list[str]) -> tuple[subprocess.Popen, float]:
    started = time.time() - 1  # file times may be coarser than the clock
    return subprocess.Popen(
        [str(BIN / "reform-compare"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, workers included
    ), started


def test_a_sweep_killed_while_writing_completes_when_rerun(tmp_path):
    where = tmp_path / "s"
    args = [*CLI, "seeds=3", f"hydra.sweep.dir={where}"]
    proc, started = start(args)
    writing = kill_while_writing(proc, where, started)
    done = finished(where)
    print(f"killed with {len(done)} runs finished, writing {writing}", file=sys.stderr)
    assert writing and 1 <= len(done) < 6
    before = fingerprint(done)
    out = compare(*args)
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"6 runs in {where} ({len(done)} finished before, {6 - len(done)} now, 0 failed)" in (
        out.stdout
    )
    assert len(finished(where)) == 6
    assert fingerprint(done) == before  # every finished run kept as it was, byte for byte
    assert not list(where.rglob(".*.tmp")) and not list(where.glob(".report-*"))
    assert assert_every_file_parses(where) > 6 * 6
    assert pd.read_parquet(where / "results.parquet")["run_id"].nunique() == 6


@pytest.mark.slow
def test_a_sweep_killed_three_times_completes_and_matches_an_uninterrupted_one(tmp_path):
    args = [
        "scenarios=[internal_reform,pressure_and_technology,status_quo]",
        "seeds=4",
        "steps=48",
        "population.citizens=2000",
        "population.enterprises=200",
    ]
    where = tmp_path / "killed"
    done: list[Path] = []
    kept = fingerprint(done)
    for _ in range(3):  # each attempt finishes at least one run before it is killed
        proc, started = start([*args, f"hydra.sweep.dir={where}"])
        kill_while_writing(proc, where, started)
        assert fingerprint(done) == kept
        done = finished(where)
        kept = fingerprint(done)
    out = compare(*args, f"hydra.sweep.dir={where}")
    assert out.returncode == 0, out.stderr[-2000:]
    assert fingerprint(done) == kept
    clean = compare(*args, f"hydra.sweep.dir={tmp_path / 'clean'}")
    assert clean.returncode == 0, clean.stderr[-2000:]
    key = ["scenario", "seed", "step"]
    a, b = (
        pd.read_parquet(d / "results.parquet").sort_values(key).reset_index(drop=True)
        for d in (where, tmp_path / "clean")
    )
    cols = [c for c in a.columns if a[c].dtype.kind in "fiub"]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_exact=True)
    assert_every_file_parses(where)


# Directories that hold something else ------------------------------------------------------


def snapshot(directory: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(directory)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def refused_untouched(folder: Path) -> str:
    """reform-compare pointed at `folder` refuses in one line and leaves it as it was."""
    before = snapshot(folder)
    line = one_line(compare(*CLI, "seeds=1", f"hydra.sweep.dir={folder}"))
    assert snapshot(folder) == before
    return line


def test_a_directory_of_another_experiment_is_refused_untouched(tmp_path):
    other = tmp_path / "validation"
    (other / "check").mkdir(parents=True)
    record = {"app": "reform-validate", "identity": "0123456789abcdef", "settings": {}, "runs": {}}
    (other / "sweep.json").write_text(json.dumps({**record, "commands": []}))
    (other / "check" / "summary.json").write_text("{}")
    line = refused_untouched(other)
    assert "hydra.sweep.dir" in line and "reform-validate" in line


def test_a_folder_of_single_runs_is_refused_untouched(tmp_path):
    runs = tmp_path / "outputs"
    (runs / "2026-11-27").mkdir(parents=True)
    (runs / "2026-11-27" / "summary.json").write_text("{}")
    line = refused_untouched(runs)
    assert "not a sweep" in line and "2026-11-27" in line


def test_a_sweep_another_process_works_on_is_refused(tmp_path):
    where = tmp_path / "busy"
    where.mkdir()
    with open(where / ".sweep.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running reform-compare holds it
        line = one_line(compare(*CLI, "seeds=1", f"hydra.sweep.dir={where}"))
    assert "another process is working on this sweep" in line
    assert sorted(p.name for p in where.iterdir()) == [".sweep.lock"]


# A run that fails ----------------------------------------------------------------------------

FAULT = """
# Written by tests/commands/test_nothing_lost.py: break one model run from the inside, in every process.
import simulation.model as _model

_launch = _model.ReformModel.launch


def _broken_launch(self):
    if self.params.scenario.name == "status_quo" and self.params.seed == 1:
        raise RuntimeError("injected fault: the <model> broke at the launch & stopped")
    return _launch(self)


_model.ReformModel.launch = _broken_launch
"""


def test_a_failing_run_is_recorded_the_sweep_goes_on_and_a_rerun_retries_it(tmp_path):
    fault = tmp_path / "fault"
    fault.mkdir()
    (fault / "sitecustomize.py").write_text(FAULT)
    where = tmp_path / "s"
    args = [*CLI, "seeds=2", f"hydra.sweep.dir={where}"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(fault), os.environ.get("PYTHONPATH")])),
    }

    out = compare(*args, env=env)
    assert out.returncode == 1, out.stderr[-2000:]
    assert "(0 finished before, 3 now, 1 failed)" in out.stdout
    assert "run status_quo/seed1 failed: RuntimeError: injected fault" in out.stderr
    assert "rerun the same command to retry" in out.stderr and "Traceback" not in out.stderr
    failure = json.loads((where / "status_quo" / "seed1" / "failed.json").read_text())
    assert failure["error"].startswith("RuntimeError: injected fault")
    assert "_broken_launch" in failure["traceback"] and "write_run" in failure["traceback"]
    assert not (where / "status_quo" / "seed1" / "summary.json").exists()
    results = pd.read_parquet(where / "results.parquet")
    assert sorted(results["run_id"].unique()) == [
        "internal_reform/seed0",
        "internal_reform/seed1",
        "status_quo/seed0",
    ]
    page = (where / "report" / "index.html").read_text()
    assert "status_quo/seed1" in page
    assert "the &lt;model&gt; broke at the launch &amp; stopped" in page
    done = finished(where)
    kept = fingerprint(done)

    again = compare(*args)  # the fault is gone: the rerun retries the failed run only
    assert again.returncode == 0, again.stderr[-2000:]
    assert "(3 finished before, 1 now, 0 failed)" in again.stdout
    assert not (where / "status_quo" / "seed1" / "failed.json").exists()
    assert fingerprint(done) == kept
    assert pd.read_parquet(where / "results.parquet")["run_id"].nunique() == 4
    assert "that failed" not in (where / "report" / "index.html").read_text()
