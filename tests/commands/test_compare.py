"""reform-compare: one sweep directory through Hydra's launcher, tidy results, resume, refusals."""

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.collect import IncompleteRunsWarning, collect
from experiments.compare import sweep_name
from experiments.sweep import launch, quote
from experiments.sweepdir import Job
from simulation import scenarios
from simulation.outputs import columns
from tests.cli_support import BIN, compare

pytestmark = pytest.mark.integration

TINY = [
    "seeds=2",
    "steps=12",
    "warmup=3",
    "population.citizens=300",
    "population.enterprises=30",
    "scenarios=[internal_reform,status_quo]",
]
RUNS = ["internal_reform/seed0", "internal_reform/seed1", "status_quo/seed0", "status_quo/seed1"]


def mtimes(sweep: Path) -> dict[str, int]:
    return {
        str(p.relative_to(sweep)): p.stat().st_mtime_ns
        for p in sweep.glob("*/seed*/*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("compare") / "sweep"
    out = compare(*TINY, f"hydra.sweep.dir={where}")
    assert out.returncode == 0, out.stderr[-2000:]
    return where


@pytest.fixture
def copy(sweep, tmp_path) -> Path:
    """A private copy of the module's sweep, to break and resume."""
    return Path(shutil.copytree(sweep, tmp_path / "sweep", symlinks=True))


def test_one_folder_per_run_one_tidy_table_and_a_report(sweep):
    for run in RUNS:
        for name in (
            "timeseries.parquet",
            "summary.json",
            "config.yaml",
            "events.csv",
            ".hydra/overrides.yaml",
        ):
            assert (sweep / run / name).is_file(), f"{run}/{name}"
    df = pd.read_parquet(sweep / "results.parquet")
    assert {"run_id", "scenario", "seed", "step", *columns()} <= set(df.columns)
    assert sorted(df["run_id"].unique()) == RUNS and len(df) == 4 * 15  # 3 warm-up months and 12
    prov = pd.read_csv(sweep / "provenance.csv")
    assert {"config_hash", "seed", "scenario", "package_version", "git_commit"} <= set(prov.columns)
    assert prov["config_hash"].nunique() == 4
    import mesa  # the versions a run used, to repeat it with them (requirements.lock)

    assert all(f"Mesa=={mesa.__version__}" in p.split() for p in prov["packages"])
    assert "rebound" in (sweep / "report" / "index.html").read_text().lower()
    record = json.loads((sweep / "sweep.json").read_text())
    assert record["app"] == "reform-compare" and sorted(record["runs"]) == RUNS
    assert record["commands"][0]["command"].startswith("reform-compare seeds=2")


def test_replicates_share_citizens_and_needs_across_scenarios(sweep):
    df = pd.read_parquet(sweep / "results.parquet")
    first = df[df["step"] == df["step"].min()].set_index(["scenario", "seed"])["matters"]
    assert first[("internal_reform", 0)] == first[("status_quo", 0)]
    assert first[("internal_reform", 1)] == first[("status_quo", 1)]
    warm = df[df["step"] <= 0].drop(columns=["run_id", "scenario"]).groupby("seed")
    assert all(
        len(g.drop_duplicates()) == len(g) / 2 for _, g in warm
    )  # the warm-up is shared exactly


def test_rerunning_keeps_finished_runs_and_redoes_a_broken_one(copy):
    broken = copy / "status_quo" / "seed1"
    (broken / "summary.json").unlink()  # died before its last write
    (broken / ".timeseries.parquet.x1y2.tmp").write_bytes(b"half")
    before = mtimes(copy)
    out = compare(*TINY, f"hydra.sweep.dir={copy}")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "3 finished before, 1 now" in out.stdout
    after = mtimes(copy)
    kept = [k for k in before if not k.startswith("status_quo/seed1")]
    assert all(after[k] == before[k] for k in kept)
    assert (broken / "summary.json").is_file() and not list(broken.glob(".*.tmp"))
    assert len(pd.read_parquet(copy / "results.parquet").groupby("run_id")) == 4


def test_the_analysis_names_runs_it_skips(copy):
    (copy / "internal_reform" / "seed1" / "summary.json").unlink()
    with pytest.warns(IncompleteRunsWarning, match="internal_reform/seed1"):
        collected = collect(copy, write=False)
    assert collected.incomplete == ["internal_reform/seed1"]
    assert "internal_reform/seed1" not in set(collected.results["run_id"])


def test_a_sweep_of_another_experiment_is_refused_untouched(copy):
    before = {p: p.stat().st_mtime_ns for p in copy.rglob("*") if p.is_file()}
    out = compare(
        *[a for a in TINY if not a.startswith("steps=")], "steps=13", f"hydra.sweep.dir={copy}"
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert (
        len(lines) == 1 and "hydra.sweep.dir" in lines[0] and "steps: 12 there, 13 here" in lines[0]
    )
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*") if p.is_file()} == before


def test_a_folder_that_is_no_sweep_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    out = compare(*TINY, f"hydra.sweep.dir={tmp_path}")
    assert out.returncode == 2 and "not a sweep" in out.stderr and "Traceback" not in out.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    "bad, key",
    [
        ("seeds=0", "seeds"),
        ("seeds=abc", "seeds"),
        ("scenarios=[internal_reform,nope]", "scenarios"),
        ("scenario=internal_reform", "scenario"),
        ("no_such_key=1", "no_such_key"),
        ("steps=-5", "steps"),
        ("report.level=2", "report.level"),
    ],
)
def test_bad_input_gets_one_line_and_no_sweep(tmp_path, bad, key):
    args = [a for a in TINY if a.split("=")[0] != bad.split("=")[0]]
    out = compare(*args, bad, f"hydra.sweep.dir={tmp_path / 's'}")
    assert out.returncode == 2 and "Traceback" not in out.stderr + out.stdout
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and key in lines[0], out.stderr
    assert not (tmp_path / "s").exists()


def test_the_sweep_layer_from_python(tmp_path):
    common = ["steps=3", "warmup=1", "population.citizens=100", "population.enterprises=10"]
    jobs = [Job(f"a b/seed{k}", ("scenario=status_quo", f"seed={k}")) for k in (0, 1)]
    first = launch(tmp_path, jobs, "compare", common, progress=False)
    assert sorted(first.done) == ["a b/seed0", "a b/seed1"] and not first.failed
    again = launch(tmp_path, jobs, "compare", common, progress=False)
    assert sorted(again.already) == ["a b/seed0", "a b/seed1"] and not again.done


def _fail_on_seed_one(cfg) -> None:
    if cfg.seed == 1:
        raise RuntimeError("model blew up")
    from experiments.sweep import write_run_task

    write_run_task(cfg)


def test_another_launcher_and_a_failing_run(tmp_path):
    common = ["steps=3", "warmup=1", "population.citizens=100", "population.enterprises=10"]
    jobs = [Job(f"r/seed{k}", ("scenario=status_quo", f"seed={k}")) for k in (0, 1)]
    out = launch(
        tmp_path,
        jobs,
        "compare",
        ["hydra/launcher=basic", *common],
        task=_fail_on_seed_one,
        progress=False,
    )
    assert out.done == ["r/seed0"] and "model blew up" in out.failed["r/seed1"]
    assert not (tmp_path / "r" / "seed1" / "summary.json").exists()


def test_default_sweep_folder_names():
    assert sweep_name("compare", "") == "compare"
    assert sweep_name("compare", "seeds=2,steps=60") == "compare_seeds=2,steps=60"
    long = sweep_name("compare", "x" * 300)
    assert len(long) < 100 and long != sweep_name("compare", "x" * 299)
    assert quote("/a b/it's=1,[2]") == "'/a b/it\\'s=1,[2]'"


@pytest.mark.slow
def test_an_interrupted_sweep_resumes(tmp_path):
    where = tmp_path / "s"
    args = [
        "seeds=3",
        "steps=48",
        "population.citizens=2000",
        "population.enterprises=200",
        f"hydra.sweep.dir={where}",
    ]
    proc = subprocess.Popen(
        [str(BIN / "reform-compare"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 300
    while time.time() < deadline and len(list(where.glob("*/seed*/summary.json"))) < 2:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # no clean-up at all: the worst interruption
    proc.wait()
    done = {p.parent for p in where.glob("*/seed*/summary.json")}
    total = 3 * len(scenarios.available())
    assert 2 <= len(done) < total
    before = {p: p.stat().st_mtime_ns for d in done for p in d.iterdir() if p.is_file()}
    out = compare(*args, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    assert len(list(where.glob("*/seed*/summary.json"))) == total
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())


def test_forty_years_are_reported_with_their_series_and_regrowth(tmp_path):
    """A 480-month comparison: every series and every regrowth metric, from a real sweep."""
    out = compare(
        "scenarios=[status_quo,internal_reform]", "seeds=2", "steps=480", "warmup=12",
        "population.citizens=300", "population.enterprises=30", f"hydra.sweep.dir={tmp_path / 's'}",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    runs = pd.read_csv(tmp_path / "s" / "report" / "run_metrics.csv")
    reform = runs[runs["scenario"] == "internal_reform"]
    assert reform["items_cuts"].min() >= 5  # a round about every five years, each one a cut
    assert reform["items_rebound"].notna().all() and reform["agencies_abolished"].min() > 0
    figures = tmp_path / "s" / "report" / "figures"
    for name in ("series_staff_off_quota", "series_realisation_rate_reported", "formalism"):
        assert (figures / f"{name}.svg").is_file()
    results = pd.read_parquet(tmp_path / "s" / "results.parquet")
    assert results["step"].max() == 480
