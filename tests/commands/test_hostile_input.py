"""Hostile input, second round (one test per defect found): scenario files are data, Hydra never
touches a finished run, and every command answers bad input, broken files, full disks and
signals with one line, a non-zero exit, and nothing half-written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from experiments import cli
from experiments.compare import sweep_name
from tests.cli_support import BIN, command, one_line

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["steps=4", "warmup=2", "population.citizens=200", "population.enterprises=20"]
INSTITUTIONS = (ROOT / "scenarios" / "status_quo.yaml").read_text().split("institutions:")[1]


def checked(program: str, argv: list[str]) -> None:
    """The command's own check of its command line, in this process (what it runs before Hydra)."""
    from experiments import calibrate, compare, validate

    argv = list(argv)
    if program == "reform-run":
        cli.check_command_line(program, argv, "run", keeps_runs=True)
    elif program == "reform-compare":
        compare.check_app_keys(argv)
    elif program == "reform-validate":
        validate.check_app_keys(argv, "validate")
    else:
        calibrate.check_app_keys(argv)


def refused(capsys, program: str, *argv: str) -> str:
    """In-process twin of `one_line`: the check exits 2 with one line and no traceback."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        checked(program, list(argv))
    err = capsys.readouterr().err
    assert stop.value.code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{program}: error: "), err
    return lines[0]


def files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextlib.contextmanager
def scenario_file(stem: str, text: str):
    path = ROOT / "scenarios" / f"{stem}.yaml"
    path.write_text(text)
    try:
        yield stem
    finally:
        path.unlink()


def unique(stem: str) -> str:
    return f"zz_{stem}_{os.getpid()}"


# 1, 2, 5, 7: scenario files are data ------------------------------------------------------------
@pytest.mark.integration
def test_1_a_package_directive_with_a_hydra_callback_builds_nothing(tmp_path):
    stem = unique("global")
    target = tmp_path / "PWNED"
    text = (
        f"# @package _global_\nscenario:\n  name: {stem}\n  institutions:{INSTITUTIONS}"
        f"hydra:\n  callbacks:\n    x:\n      _target_: logging.FileHandler\n"
        f"      _args_: [{target}]\n"
    )
    with scenario_file(stem, text):
        out = command("reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}")
    assert "@package" in one_line(out)
    assert not target.exists() and not (tmp_path / "r").exists()


@pytest.mark.integration
def test_1_a_hydra_key_without_a_directive_is_refused_too(tmp_path):
    stem = unique("hydra_key")
    text = f"name: {stem}\nhydra:\n  run:\n    dir: {tmp_path / 'elsewhere'}\n"
    with scenario_file(stem, text):
        out = command("reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}")
    # refused before parsing: nested deeper than a scenario file may be (name, description,
    # institutions), with the key that goes too deep named
    assert "scenario.hydra.run: " in one_line(out) and "nested deeper" in out.stderr
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.integration
def test_2_a_scenario_cannot_set_a_behavioural_parameter(tmp_path):
    stem = unique("param")
    text = f"# @package _global_\nname: {stem}\nregrowth:\n  penalty: 99\n"
    with scenario_file(stem, text):
        run = command("reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}")
        sweep = command(
            "reform-compare", f"scenarios=[status_quo,{stem}]", "seeds=1", *SMALL,
            f"hydra.sweep.dir={tmp_path / 's'}",
        )  # fmt: skip
    for out in (run, sweep):
        assert "@package" in one_line(out)
    with scenario_file(stem, f"name: {stem}\nregrowth:\n  penalty: 99\n"):
        out = command("reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}")
    assert "scenario.regrowth" in one_line(out)
    assert not (tmp_path / "r").exists() and not (tmp_path / "s").exists()


def compare_own(stem: str, text: str, sweep: Path, others: str = "") -> subprocess.CompletedProcess:
    """A small reform-compare of scenario file `stem` (holding `text`) after `others`."""
    with scenario_file(stem, text):
        scenarios = f"scenarios=[{others + ',' if others else ''}{stem}]"
        return command("reform-compare", scenarios, "seeds=1", *SMALL, f"hydra.sweep.dir={sweep}")


@pytest.mark.integration
def test_5_no_environment_variable_reaches_a_report(tmp_path):
    stem = unique("env")
    text = f'name: {stem}\ndescription: "${{oc.env:HOME}}"\ninstitutions:{INSTITUTIONS}'
    out = compare_own(stem, text, tmp_path / "s")
    assert "interpolations" in one_line(out)
    line = "scenario.description=${oc.env:HOME}"
    out = command("reform-compare", "scenarios=[status_quo]", "seeds=1", *SMALL, line)
    assert "scenario.description" in one_line(out) and os.environ["HOME"] not in out.stderr
    assert not (tmp_path / "s").exists()


@pytest.mark.heavy
@pytest.mark.parametrize(
    "text, says",
    [
        ("name: !!python/object/apply:os.getcwd []\n", "YAML tag"),
        ("name: &a x\ndescription: *a\n", "YAML anchor"),
        ("name: [unclosed\n", "not valid YAML"),
        ("- a list\n", "must be a mapping"),
        ("name: {stem}\ninstitutions: null\n", "must be a mapping"),
        ("name: {stem}\ninstitutions:\n  platform: maybe\n", "true or false"),
        ("name: {stem}\ninstitutions:\n  technology_growth: .nan\n", "finite"),
        ("name: {stem}\n_target_: os.system\n", "scenario._target_"),
        ("name: {stem}\ndefaults: [status_quo]\n", "scenario.defaults"),
        ("name: other_name\n", "it must be"),
    ],
)
def test_7_a_scenario_file_that_is_not_plain_data_gets_one_line(capsys, tmp_path, text, says):
    stem = unique("bad")
    with scenario_file(stem, text.format(stem=stem)):
        line = refused(capsys, "reform-run", f"scenario={stem}", f"hydra.run.dir={tmp_path / 'r'}")
    assert says in line
    assert not (tmp_path / "r").exists()


@pytest.mark.integration
def test_7_a_glob_over_scenarios_checks_every_file_it_matches(tmp_path):
    stem = unique("glob")
    with scenario_file(stem, "name: [unclosed\n"):
        out = command(
            "reform-run", "-m", "scenario=glob(*)", *SMALL, f"hydra.sweep.dir={tmp_path}/m"
        )
    assert stem in one_line(out) and "not valid YAML" in out.stderr
    out = command(
        "reform-run", "-m", "scenario=glob(status_q*)", *SMALL, f"hydra.sweep.dir={tmp_path}/g"
    )
    assert out.returncode == 0, out.stderr
    assert [p.parent.name for p in (tmp_path / "g").glob("*/summary.json")] == [
        "0_status_quo_seed0"
    ]


# 3: Hydra never touches a finished run ----------------------------------------------------------
@pytest.mark.integration
def test_3_a_finished_run_and_its_record_are_never_rewritten(tmp_path):
    done = tmp_path / "done"
    assert command("reform-run", *SMALL, f"hydra.run.dir={done}").returncode == 0
    before = files(done)
    out = command("reform-run", *SMALL, "population.citizens=300", f"hydra.run.dir={done}/./")
    assert "already holds a finished run" in one_line(out)
    assert files(done) == before


@pytest.mark.integration
def test_3_a_multirun_into_a_folder_with_finished_runs_is_refused_untouched(tmp_path):
    sweep = tmp_path / "m"
    assert (
        command("reform-run", "-m", "seed=1,2", *SMALL, f"hydra.sweep.dir={sweep}").returncode == 0
    )
    before = files(sweep)
    out = command(
        "reform-run",
        "-m",
        "seed=1,2",
        *SMALL,
        "population.citizens=300",
        f"hydra.sweep.dir={sweep}",
    )
    assert "hydra.sweep.dir" in one_line(out) and "finished run" in out.stderr
    assert files(sweep) == before


@pytest.mark.integration
def test_3_a_run_folder_holding_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    out = command("reform-run", *SMALL, f"hydra.run.dir={tmp_path}")
    assert "notes.txt" in one_line(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# 4: reform-report writes only into a sweep of reform-compare --------------------------------------
@pytest.mark.integration
def test_4_reform_report_refuses_what_is_not_a_comparison_sweep(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "not a sweep" in one_line(command("reform-report", str(empty)))
    assert list(empty.iterdir()) == []
    run = tmp_path / "run"
    assert command("reform-run", *SMALL, f"hydra.run.dir={run}").returncode == 0
    before = files(run)
    assert "single run" in one_line(command("reform-report", str(run)))
    assert files(run) == before
    assert "--level" in one_line(command("reform-report", str(run), "--level", "nan"))


# 6: NaN, infinities and overflow never crash a command ------------------------------------------
@pytest.mark.heavy
@pytest.mark.parametrize(
    "program, args",
    [
        ("reform-run", ["steps=nan"]),
        ("reform-run", ["seed=inf"]),
        ("reform-run", ["warmup=-inf"]),
        ("reform-run", ["government.cities=nan"]),
        ("reform-run", ["steps=1e309"]),
        ("reform-run", ['seed=${oc.decode:"1e400"}']),
        ("reform-run", ["-m", "seed=1,nan"]),
        ("reform-run", ["regrowth.penalty=1" + "0" * 400]),
        ("reform-compare", ["seeds=nan"]),
        ("reform-compare", ["seeds=1", "seed=inf"]),
        ("reform-compare", ["report.level=nan"]),
        ("reform-validate", ["study.citizens=inf"]),
        ("reform-validate", ["study.robust_share=nan"]),
        ("reform-calibrate", ["calibration.seeds=nan"]),
        ("reform-calibrate", ["population.citizens=1e309"]),
    ],
)
def test_6_nan_infinity_and_overflow_get_one_line(capsys, tmp_path, program, args):
    key = args[-1].split("=")[0]
    folder = "hydra.run.dir" if program == "reform-run" and "-m" not in args else "hydra.sweep.dir"
    assert key in refused(capsys, program, *args, f"{folder}={tmp_path / 's'}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
@pytest.mark.parametrize(
    "program", ["reform-run", "reform-compare", "reform-validate", "reform-calibrate"]
)
def test_6_each_command_says_it_in_one_line_from_the_shell(tmp_path, program):
    out = command(program, "population.citizens=nan", cwd=tmp_path)
    assert "population.citizens: must be a finite number" in one_line(out)
    assert list(tmp_path.iterdir()) == []


# 7: deletions and other forms of override -----------------------------------------------------------
@pytest.mark.parametrize(
    "args, says",
    [
        (["~seed"], "seed: a setting cannot be deleted"),
        (["~population"], "population: a setting cannot be deleted"),
        (["-m", "seed=interval(0,1)"], "seed: cannot sweep"),
        (["-m", "scenario=glob(zzz*)"], "matches no scenario"),
        (["seed=1,2"], "add -m"),
    ],
)
def test_7_deletions_and_unusable_sweeps_get_one_line(capsys, tmp_path, args, says):
    assert says in refused(capsys, "reform-run", *args, f"hydra.sweep.dir={tmp_path / 'm'}")
    assert list(tmp_path.iterdir()) == []


# 8: output folders that cannot be used ---------------------------------------------------------
@pytest.mark.heavy
@pytest.mark.parametrize(
    "program", ["reform-run", "reform-compare", "reform-validate", "reform-calibrate"]
)
@pytest.mark.parametrize("where", ["file", "/dev/null", "/proc/nope/x", "under_a_file"])
def test_8_an_unusable_output_folder_is_refused_before_anything_runs(
    capsys, tmp_path, program, where
):
    (tmp_path / "file").write_text("x")
    folder = {"file": tmp_path / "file", "under_a_file": tmp_path / "file" / "x"}.get(where, where)
    key = "hydra.run.dir" if program == "reform-run" else "hydra.sweep.dir"
    assert key in refused(capsys, program, f"{key}={folder}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.integration
def test_8_from_the_shell_hydra_writes_nothing_either(tmp_path):
    out = command("reform-run", "hydra.run.dir=/proc/nope/x", cwd=tmp_path)
    assert "hydra.run.dir: /proc/nope/x cannot be written" in one_line(out)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def read_only(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a read-only file system here (needs root)")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.heavy
@pytest.mark.parametrize(
    "program", ["reform-run", "reform-compare", "reform-validate", "reform-calibrate"]
)
def test_8_a_read_only_file_system_is_refused(capsys, read_only, program):
    key = "hydra.run.dir" if program == "reform-run" else "hydra.sweep.dir"
    line = refused(capsys, program, f"{key}={read_only / 'x'}")
    assert "cannot be written" in line and "Read-only" in line


# 9: corrupt files and full disks -----------------------------------------------------------------
@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    where = tmp_path_factory.mktemp("sweep") / "s"
    out = command(
        "reform-compare", "scenarios=[status_quo]", "seeds=2", *SMALL, f"hydra.sweep.dir={where}"
    )
    assert out.returncode == 0, out.stderr
    return where


def copy_of(sweep: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(sweep, tmp_path / "s")
    return tmp_path / "s"


@pytest.mark.integration
def test_9_a_corrupt_results_cache_is_rebuilt(sweep, tmp_path):
    where = copy_of(sweep, tmp_path)
    (where / "results.parquet").write_bytes(b"not parquet")
    out = command("reform-report", str(where))
    assert out.returncode == 0, out.stderr
    import pandas as pd

    rows = sum(len(pd.read_parquet(p)) for p in where.glob("*/seed*/timeseries.parquet"))
    assert len(pd.read_parquet(where / "results.parquet")) == rows == 2 * 6


@pytest.mark.integration
@pytest.mark.parametrize("record", ["sweep.json", "status_quo/seed1/summary.json"])
def test_9_a_corrupt_record_is_named(sweep, tmp_path, record):
    where = copy_of(sweep, tmp_path)
    (where / record).write_text('{"app": "reform-comp')
    before = files(where)
    again = ["scenarios=[status_quo]", "seeds=2", *SMALL, f"hydra.sweep.dir={where}"]
    for out in (command("reform-report", str(where)), command("reform-compare", *again)):
        assert record in one_line(out) and "corrupt" in out.stderr
    assert files(where) == before


@pytest.fixture
def small_disk(tmp_path):
    def make(kilobytes: int) -> Path:
        folder = tmp_path / f"disk{kilobytes}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip("cannot mount a small file system here (needs root)")
        mounts.append(folder)
        return folder

    mounts: list[Path] = []
    yield make
    for folder in mounts:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.integration
@pytest.mark.parametrize(  # full while running the first run, a later one, collecting and reporting
    "kilobytes", [40, pytest.param(300, marks=pytest.mark.slow), 700]
)
def test_9_a_full_disk_in_any_phase_is_one_line_and_nothing_half_written(small_disk, kilobytes):
    from tests.commands.test_nothing_lost import assert_every_file_parses

    disk = small_disk(kilobytes)
    args = [
        "scenarios=[status_quo,internal_reform]",
        "seeds=2",
        *SMALL,
        f"hydra.sweep.dir={disk / 's'}",
    ]
    out = command("reform-compare", *args)
    progress = [line for line in out.stderr.splitlines() if line.startswith("runs:")]
    out.stderr = "\n".join(line for line in out.stderr.splitlines() if line not in progress)
    assert "No space left on device" in one_line(out, code=1)
    assert_every_file_parses(disk)
    assert not list(disk.rglob(".*.tmp"))
    run = command("reform-run", *SMALL, f"hydra.run.dir={disk / 'r'}")
    assert run.returncode == 0 or "No space left" in one_line(run, code=1)


# 10-13: the other commands' own settings ----------------------------------------------------------
@pytest.mark.parametrize("args", [["hydra.sweeper.n_trials=-1"], ["hydra.sweeper.n_jobs=0"]])
def test_10_calibrate_refuses_an_empty_search(capsys, tmp_path, args):
    line = refused(capsys, "reform-calibrate", *args, f"hydra.sweep.dir={tmp_path / 'c'}")
    assert args[0].split("=")[0] in line
    assert not (tmp_path / "c").exists()


def test_11_a_long_description_in_bytes_still_makes_a_usable_folder_name(tmp_path):
    overrides = "scenario.description=" + "改革" * 150  # 900 bytes, 300 characters
    name = sweep_name("compare", overrides)
    assert len(name.encode()) <= 255
    assert sweep_name("compare", overrides) == name  # the same command finds the same folder
    assert sweep_name("compare", overrides + "x") != name


@pytest.mark.parametrize(
    "args, says",
    [
        (["--port", "99999"], "--port"),
        (["--port", "-1"], "--port"),
        (["--port", "http"], "--port"),
        (["--host", "nonexistent.invalid"], "--host"),
        (["--host", "192.0.2.1"], "cannot listen"),  # an address this machine does not have
    ],
)
def test_12_the_dashboard_refuses_an_address_it_cannot_listen_on(capsys, args, says):
    from simulation.dashboard import app

    with pytest.raises(SystemExit) as stop:
        parsed = app.parse_args(args)
        app.listening_port(parsed.host, parsed.port)
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert stop.value.code == 2 and len(lines) == 1 and says in lines[0], out.err
    assert out.out == ""


@pytest.mark.integration
def test_12_a_port_in_use_is_refused_before_the_address_is_printed():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        out = command("reform-class", "--port", str(busy.getsockname()[1]), timeout=60)
    assert "in use" in one_line(out)


@pytest.mark.integration
@pytest.mark.parametrize(
    "args, says",
    [
        (["--out", "/proc/nope/bench.json"], "--out"),
        (["--out", "/dev/null/b.json"], "--out"),
        (["--reps", "-1"], "--reps"),
        (["--reps", "0"], "--reps"),
    ],
)
def test_13_bench_checks_its_settings_before_measuring(tmp_path, args, says):
    started = time.monotonic()
    out = command("reform-bench", "--quick", *args, cwd=tmp_path, timeout=120)
    assert says in one_line(out)
    assert time.monotonic() - started < 60  # refused at once, not after the measurement
    assert list(tmp_path.iterdir()) == []


# 14-16: values that pass a type check and would break a run ---------------------------------------
@pytest.mark.heavy
@pytest.mark.parametrize(
    "override",
    [
        "population.digital_ability_a=0",
        "government.productivity_hours=0",
        "campaigns.attention_half_life=0",
        "regrowth.rule_density_reference=0",
        "staffing.split_reference_staff=0",
        "government.material_mean=0",
        "scenario.institutions=null",
        "population=null",
    ],
)
def test_14_15_zero_and_null_where_the_model_divides_or_shapes_are_refused(
    capsys, tmp_path, override
):
    line = refused(capsys, "reform-run", *SMALL, override, f"hydra.run.dir={tmp_path / 'r'}")
    assert override.split("=")[0] in line
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("workers", ["hydra.launcher.n_jobs=0", "hydra.launcher.n_jobs=1.5"])
def test_16_zero_workers_are_refused_and_no_sweep_is_written(capsys, tmp_path, workers):
    line = refused(
        capsys, "reform-compare", "scenarios=[status_quo]", "seeds=1", workers,
        f"hydra.sweep.dir={tmp_path / 's'}",
    )  # fmt: skip
    assert "hydra.launcher.n_jobs" in line
    assert not (tmp_path / "s").exists()


# 17: SIGTERM and SIGHUP are Ctrl-C ------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, pytest.param(signal.SIGHUP, marks=pytest.mark.slow)]
)
def test_17_a_signal_stops_the_workers_releases_the_lock_and_keeps_finished_runs(tmp_path, signum):
    from tests.commands.test_nothing_lost import assert_every_file_parses

    where = tmp_path / "s"
    args = [
        "scenarios=[status_quo,internal_reform]", "seeds=6", "steps=120",
        "population.citizens=2000", "population.enterprises=200", f"hydra.sweep.dir={where}",
    ]  # fmt: skip
    proc = subprocess.Popen(
        [str(BIN / "reform-compare"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not list(where.glob("*/seed*/summary.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"reform-compare: interrupted ({signal.Signals(signum).name}); "
        "finished runs are kept; rerun the same command to resume"
    )
    left = "?"
    for _ in range(20):  # loky's and multiprocessing's resource trackers end as their pipes close
        time.sleep(0.5)
        left = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout
        if not left.strip():
            break
    assert left.strip() == "", f"processes left in the command's group: {left}"
    import fcntl

    with open(where / ".sweep.lock", "a") as lock:  # released: we can take it
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    kept = files(where)
    time.sleep(2)
    assert files(where) == kept  # nobody writes into the sweep any more
    assert_every_file_parses(where)
    again = command("reform-compare", *args)
    assert again.returncode == 0, again.stderr


# 18: a large multirun is checked once per distinct value ---------------------------------------
@pytest.mark.heavy
def test_18_a_large_sweep_composes_once_not_once_per_value(monkeypatch, tmp_path):
    import experiments.run  # noqa: F401  (registers the configs)
    from experiments.cli import command_line

    composed = []
    real = command_line.compose_checked
    monkeypatch.setattr(
        command_line, "compose_checked", lambda *a, **k: composed.append(a) or real(*a, **k)
    )
    argv = ["-m", "seed=range(0,20000)", "steps=2", f"hydra.sweep.dir={tmp_path / 'm'}"]
    cli.check_command_line("reform-run", argv, "run", keeps_runs=True)
    assert len(composed) == 1
    with pytest.raises(SystemExit):
        cli.check_command_line("reform-run", ["-m", "seed=1,2,-3", *argv[2:]], "run")
    assert not (tmp_path / "m").exists()
