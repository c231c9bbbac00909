"""Scenarios and sweeps of one's own (issue 23, item 5): a scenario file by path or from a folder
of one's own, reform-compare refusing to change every scenario under its name, a factor sweep
whose factor is a column of the tidy table, and every command's --help opening with what it
does."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments import factors
from experiments.scenario_args import own_scenarios
from simulation import scenarios
from tests.cli_support import command
from tests.commands.test_hostile_input import SMALL, refused

INSTITUTIONS = "institutions:\n  internal_campaigns: true\n  complaint_channel: true\n"


@pytest.fixture
def own(tmp_path, monkeypatch):
    """A folder with a scenario of one's own; the registry of added files restored after."""
    monkeypatch.setattr(scenarios, "_ADDED", {})
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "my_own.yaml").write_text(
        f"name: my_own\ndescription: mine\n{INSTITUTIONS}", encoding="utf-8"
    )
    return folder


def test_a_scenario_given_by_path_is_used_by_its_name(own):
    argv = own_scenarios("reform-run", [f"scenario={own / 'my_own.yaml'}", "seed=2"])
    assert argv == ["scenario=my_own", "seed=2"]
    assert scenarios.load("my_own")["institutions"]["complaint_channel"] is True


def test_paths_inside_a_list_and_a_folder_of_ones_own(own):
    argv = own_scenarios("reform-compare", [f"scenarios=[internal_reform,{own / 'my_own.yaml'}]"])
    assert argv == ["scenarios=[internal_reform,my_own]"]
    scenarios._ADDED.clear()
    argv = own_scenarios("reform-compare", [f"scenarios_dir={own}", "scenarios=[my_own]"])
    assert argv == ["scenarios=[my_own]"] and "my_own" in scenarios.available()


@pytest.mark.parametrize(
    "name, text, says",
    [
        ("internal_reform.yaml", f"name: internal_reform\n{INSTITUTIONS}", "already"),
        ("odd.yml", f"name: odd\n{INSTITUTIONS}", "a .yaml file"),
        ("Bad-Name.yaml", f"name: Bad-Name\n{INSTITUTIONS}", "not a usable scenario name"),
        ("other.yaml", f"name: another\n{INSTITUTIONS}", "it must be 'other'"),
    ],
)
def test_a_file_of_ones_own_that_cannot_be_used_is_refused_in_one_line(
    tmp_path, monkeypatch, capsys, name, text, says
):
    monkeypatch.setattr(scenarios, "_ADDED", {})
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        own_scenarios("reform-run", [f"scenario={tmp_path / name}"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and says in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "arg", ["scenario.name=mine", "scenario.institutions.one_window=true", "+scenario.x=1"]
)
def test_compare_refuses_to_change_every_scenario_under_its_name(capsys, arg):
    line = refused(capsys, "reform-compare", arg)
    assert "copy a file, edit it and compare it by path" in line


def test_swept_parameters_become_factors_checked_against_the_table(capsys):
    argv = factors.fold("reform-compare", ["campaigns.interval_months=24,36", "seeds=2"])
    assert argv == ["seeds=2", "factors={campaigns.interval_months:[24,36]}"]
    assert factors.levels({"a": [1, 2], "b": [True]}) == [{"a": 1, "b": True}, {"a": 2, "b": True}]
    with pytest.raises(SystemExit):
        factors.fold("reform-compare", ["campaigns.interval_months=24,-3"])
    assert "campaigns.interval_months: must be" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        factors.fold("reform-compare", ["seed=1,2"])
    assert "seeds=N" in capsys.readouterr().err


@pytest.mark.integration
def test_a_scenario_by_path_runs(own, tmp_path):
    out = command(
        "reform-run", f"scenario={own / 'my_own.yaml'}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}"
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("my_own seed 0:")


@pytest.mark.integration
def test_a_two_value_factor_sweep_is_one_tidy_table_with_the_factor_as_a_column(tmp_path):
    sweep = tmp_path / "f"
    factor = "campaigns.interval_months=24,36"
    scenarios = "scenarios=[internal_reform,status_quo]"
    out = command(
        "reform-compare", scenarios, "seeds=1", factor, *SMALL, f"hydra.sweep.dir={sweep}"
    )
    assert out.returncode == 0, out.stderr[-3000:]
    table = pd.read_parquet(sweep / "results.parquet")
    levels = table.groupby(["scenario", "campaigns.interval_months"]).size()
    assert set(levels.index) == {
        (s, v) for s in ("internal_reform", "status_quo") for v in (24, 36)
    }
    assert (sweep / "report" / "index.html").is_file()


@pytest.mark.integration
@pytest.mark.parametrize(
    "program",
    [
        "reform-run",
        "reform-compare",
        "reform-validate",
        "reform-calibrate",
        "reform-report",
        "reform-class",
        "reform-bench",
    ],
)
def test_every_commands_help_opens_with_what_it_does(program):
    out = command(program, "--help")
    assert out.returncode == 0, out.stderr[-1000:]
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    said = [
        line for line in lines[:8] if not line.startswith(("usage", " ")) and len(line.split()) >= 5
    ]
    assert said and "powered by Hydra" not in out.stdout.splitlines()[0], lines[:8]


@pytest.mark.integration
def test_reform_report_reads_a_multirun_of_reform_run(tmp_path):
    where = tmp_path / "mr"
    multirun = ["-m", "scenario=internal_reform,status_quo", "seed=0,1"]
    made = command("reform-run", *multirun, *SMALL, f"hydra.sweep.dir={where}")
    assert made.returncode == 0, made.stderr[-2000:]
    out = command("reform-report", str(where))
    assert out.returncode == 0, out.stderr[-2000:]
    assert (where / "report" / "index.html").is_file() and (
        where / "report" / "brief.html"
    ).is_file()


def test_reform_report_says_how_to_rebuild_a_validation_report(tmp_path):
    import json

    (tmp_path / "sweep.json").write_text(
        json.dumps({"app": "reform-validate", "runs": {}}), encoding="utf-8"
    )
    from experiments.cli import BadInput
    from experiments.report import check_sweep

    with pytest.raises(BadInput, match="running the same reform-validate command again"):
        check_sweep(tmp_path)
