"""reform-validate's command line: bad input refused in one line, a tiny phase diagram through
Hydra, every stage at a small size (moved from the sensitivity tests, which test the analysis)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.cli_support import QUIET, command

ROOT = Path(__file__).resolve().parents[2]


# reform-validate ----------------------------------------------------------------------------------
@pytest.mark.heavy
@pytest.mark.parametrize(
    "args,key",
    [
        (["study.sobol_n=12"], "study.sobol_n"),
        (["stages=[check,nothing]"], "stages"),
        (["calibration=no/such.yaml"], "calibration"),
        (["study.robust_share=1.5"], "study.robust_share"),
        (["study.history_targets=[round_depth,nothing]"], "study.history_targets"),
        (["study.sobol_scenarios=[status_quo]"], "study.sobol_scenarios"),
        (["study.pull_factors=[staffing.nothing]"], "study.pull_factors"),
        (["study.pull_scenarios=[nowhere]"], "study.pull_scenarios"),
        (["study.pull_levels=1"], "study.pull_levels"),
        (["regrowth.penalty=-1"], "regrowth.penalty"),
        (["no_such_key=1"], "no_such_key"),
        (["-m"], "-m"),
    ],
)
def test_bad_input_gets_one_line_naming_the_key(capsys, args, key):
    from experiments.validate import check_app_keys

    with pytest.raises(SystemExit) as stop:
        check_app_keys(args, "validate")
    assert stop.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and key in lines[0]


@pytest.mark.integration
def test_bad_input_on_the_real_command_line_writes_nothing(tmp_path):
    out = command(
        "reform-validate",
        "study.sobol_n=12",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
        cwd=ROOT,
        env=QUIET,
        timeout=900,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert (
        out.stderr.strip()
        == "reform-validate: error: study.sobol_n: must be a power of 2 (Saltelli's sample), got 12"
    )
    assert not (tmp_path / "sweep").exists()


TINY = [
    "study.citizens=150",
    "study.enterprises=15",
    "study.steps=48",
    "warmup=12",
    "population.citizens=150",
    "population.enterprises=15",
    "study.check_seeds=2",
    "study.check_steps=120",
    "study.phase_size=2",
    "study.phase_seeds=1",
    "study.prim_runs=20",
]


@pytest.mark.integration
def test_a_tiny_phase_diagram_runs_through_hydra(tmp_path):
    sweep = tmp_path / "sweep"
    out = command(
        "reform-validate",
        "stages=[phase]",
        *TINY,
        f"hydra.sweep.dir={sweep}",
        cwd=ROOT,
        env=QUIET,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = sweep / "report" / "index.html"
    assert report.is_file() and "Phase diagram" in report.read_text()
    runs = sorted(sweep.glob("phase/*/seed0/summary.json"))
    assert len(runs) == 4
    summary = json.loads(runs[0].read_text())
    assert {"config_hash", "git_commit", "outcomes"} <= set(summary)
    assert json.loads((sweep / "sweep.json").read_text())["app"] == "reform-validate"


@pytest.mark.integration
@pytest.mark.slow
def test_every_stage_runs_at_a_small_size_and_resumes(tmp_path):
    sweep = tmp_path / "sweep"
    args = [*TINY, "study.morris_trajectories=2", "study.sobol_n=4", "study.sobol_factors=2",
            "study.history_design=8", "study.history_waves=1", "study.history_citizens=150",
            "study.history_enterprises=15"]  # fmt: skip
    out = command(
        "reform-validate", *args, f"hydra.sweep.dir={sweep}", cwd=ROOT, env=QUIET, timeout=900
    )
    assert out.returncode == 0, out.stderr[-2000:]
    page = (sweep / "report" / "index.html").read_text()
    for section in (
        "Stylized facts",
        "The article's claims",
        "Morris",
        "Sobol",
        "Phase diagram",
        "PRIM",
    ):
        assert section in page
    for table in ("fit.csv", "morris.csv", "sobol.csv", "phase.csv", "prim_box.csv"):
        assert (sweep / "report" / table).is_file()
    for table in ("identifiability.csv", "history_region.csv", "history_ranges.csv"):
        assert (sweep / "history" / table).is_file()
    robust = pd.read_csv(sweep / "report" / "robustness.csv")
    assert {"share_low", "share_high", "label", "worlds_from"} <= set(robust.columns)
    again = command(
        "reform-validate", *args, f"hydra.sweep.dir={sweep}", cwd=ROOT, env=QUIET, timeout=900
    )
    assert again.returncode == 0 and " 0 now, 0 failed" in again.stdout
