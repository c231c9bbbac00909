"""reform-run from the command line: files, determinism, and clean failures."""

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from simulation.outputs import columns
from tests.cli_support import command

pytestmark = pytest.mark.integration

SMALL = ["steps=6", "warmup=3", "population.citizens=300", "population.enterprises=30"]


def test_a_run_writes_every_promised_file(tmp_path):
    out = command(
        "reform-run", "scenario=internal_reform", *SMALL, f"hydra.run.dir={tmp_path / 'r'}"
    )
    assert out.returncode == 0, out.stderr
    for name in (
        "timeseries.parquet",
        "timeseries.csv",
        "summary.json",
        "overview.png",
        "config.yaml",
        "events.csv",
        "agencies.parquet",
    ):
        assert (tmp_path / "r" / name).stat().st_size > 0
    df = pd.read_parquet(tmp_path / "r" / "timeseries.parquet")
    assert set(columns()) <= set(df.columns) and len(df) == 9
    lives = pd.read_parquet(tmp_path / "r" / "agencies.parquet")
    last = df["step"].iloc[-1]
    alive = lives.founded.le(last) & (lives.ended.isna() | lives.ended.gt(last))
    assert alive.sum() == df["agencies"].iloc[-1]  # the lives add up to the count
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert (
        summary["seed"] == 0
        and summary["scenario"] == "internal_reform"
        and summary["package_version"]
    )


def test_same_command_same_files(tmp_path):
    for d in ("a", "b"):
        assert (
            command("reform-run", "seed=3", *SMALL, f"hydra.run.dir={tmp_path / d}").returncode == 0
        )
    assert (tmp_path / "a" / "timeseries.csv").read_bytes() == (
        tmp_path / "b" / "timeseries.csv"
    ).read_bytes()


@pytest.mark.parametrize(
    "bad, key",
    [
        ("scenario=nope", "scenario"),
        ("steps=-5", "steps"),
        ("seed=abc", "seed"),
        ("no_such_key=1", "no_such_key"),
        ("applicants.omission_per_material=1.7", "applicants.omission_per_material"),
    ],
)
def test_bad_input_one_line_no_traceback_no_results(tmp_path, bad, key):
    args = [a for a in SMALL if not a.startswith(bad.split("=")[0] + "=")]
    out = command("reform-run", bad, *args, f"hydra.run.dir={tmp_path / 'r'}")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr + out.stdout
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and key in lines[0]
    assert not (tmp_path / "r").exists()


def test_a_finished_run_is_never_overwritten(tmp_path):
    assert command("reform-run", *SMALL, f"hydra.run.dir={tmp_path / 'r'}").returncode == 0
    before = (tmp_path / "r" / "timeseries.csv").stat().st_mtime_ns
    out = command("reform-run", *SMALL, "seed=9", f"hydra.run.dir={tmp_path / 'r'}")
    assert out.returncode != 0 and "already holds" in out.stderr
    assert (tmp_path / "r" / "timeseries.csv").stat().st_mtime_ns == before


def test_a_scenario_file_cannot_name_code(tmp_path):
    root = Path(__file__).resolve().parents[2] / "scenarios"
    evil = root / f"zz_test_evil_{os.getpid()}.yaml"
    evil.write_text((root / "status_quo.yaml").read_text() + "\n_target_: os.system\n")
    try:
        out = command(
            "reform-run", f"scenario={evil.stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}"
        )
    finally:
        evil.unlink()
    assert out.returncode != 0 and "_target_" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "r").exists()


def test_multirun_with_the_basic_launcher(tmp_path):
    out = command("reform-run", "-m", "seed=1,2", *SMALL, f"hydra.sweep.dir={tmp_path / 'm'}")
    assert out.returncode == 0, out.stderr
    assert len(list((tmp_path / "m").glob("*/summary.json"))) == 2
