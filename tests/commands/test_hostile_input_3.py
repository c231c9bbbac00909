"""Hostile input, third round (issue 22): one test per defect found, named by its number. The
classroom server trusts no browser, a scenario folder cannot hang or crash a command, text that
cannot be written is refused at the door, and the Python API checks its arguments. The class of
sixty (the load test) is tests/classroom/test_class_load.py."""

from __future__ import annotations

import ast
import asyncio
import os
import re
import signal
import threading
import time
from pathlib import Path

import ipyvuetify as v
import pytest
import solara

from benchmarks.solara_client import Page
from experiments.sweepdir import locked
from simulation import ReformModel, scenarios
from simulation.config import ConfigError, resolve
from simulation.dashboard import sessions
from simulation.dashboard.classroom import LAST_MONTH, ClassroomModel
from simulation.dashboard.model_params import (
    DEFAULTS,
    MAX_CITIZENS,
    MODEL_PARAMS,
    RUNNER_PARAMS,
    ControlError,
    checked,
    checked_settings,
)
from simulation.i18n import Words
from tests.browser_support import serve
from tests.cli_support import command, one_line
from tests.commands.test_hostile_input import SMALL, compare_own, refused, scenario_file, unique

ROOT = Path(__file__).resolve().parents[2]
CITIZENS = MODEL_PARAMS["citizens"]["label"]


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (reform-class re-executes itself)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[2]) == pid or int(fields[5]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.fixture
def page():
    """The dashboard rendered in-process: every value reaches the same setters a websocket
    message reaches."""
    from simulation.dashboard.page import Layout
    from simulation.dashboard.page import Page as DashboardPage

    box, rc = solara.render(Layout(children=[DashboardPage()]), handle_error=False)
    yield rc
    rc.close()


def page_text(rc) -> str:
    htmls = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    alerts = [str(w.children) for w in rc.find(v.Alert).widgets]
    return " ".join(htmls + alerts)


def month_of(rc) -> int:
    return int(re.search(r"Month (\d+)", page_text(rc)).group(1))


# 1: the classroom server imports nothing from the folder it is started in ------------------------
@pytest.mark.integration
def test_1_the_classroom_server_imports_nothing_from_its_folder(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    marker = "open(__file__ + '.RAN', 'w').write('ran')\n"
    for name in ("yaml.py", "numpy.py", "ipyvuetify.py"):
        (folder / name).write_text(marker, encoding="utf-8")
    (folder / "solara").mkdir()
    (folder / "solara" / "__init__.py").write_text(marker, encoding="utf-8")
    (folder / "simulation.dashboard.page").mkdir()  # what Solara would take for the app
    (folder / "simulation.dashboard.page" / "__init__.py").write_text(marker, encoding="utf-8")
    (folder / ".env").write_text("SOLARA_KERNEL_MAX_COUNT=0\n", encoding="utf-8")
    env_path = f"{folder}{os.pathsep}"  # an empty entry means the current folder, too
    with serve(tmp_path / "server.log", cwd=folder, env={"PYTHONPATH": env_path}) as server:

        async def visit() -> str:
            async with Page.open(server.url) as visitor:
                await visitor.click("Step")
                return visitor.text()

        assert "Month 1" in asyncio.run(visit())
    assert not list(folder.rglob("*.RAN")), "code from the starting folder ran"


# 2: every control is checked on the server -------------------------------------------------------
@pytest.mark.parametrize("key", sorted(MODEL_PARAMS))
@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), True, "7", [1], {"a": 1}, None, 10**9, -(10**9)]
)
def test_2_no_control_takes_a_value_its_control_does_not_offer(key, bad):
    with pytest.raises(ControlError) as refusal:
        checked(key, bad)
    assert refusal.value.control == key and "\n" not in str(refusal.value)


def test_2_a_slider_takes_its_own_range_and_the_tables_bound():
    spec = MODEL_PARAMS["citizens"]
    assert checked("citizens", spec["max"]) == MAX_CITIZENS
    assert checked("citizens", 2000.0) == 2000 and isinstance(checked("citizens", 2000.0), int)
    for outside in (spec["min"] - 1, spec["max"] + 1, 2000.5):
        with pytest.raises(ControlError, match="citizens: must be a whole number from 500"):
            checked("citizens", outside)
    with pytest.raises(ControlError, match="unknown_knob"):
        checked_settings({"unknown_knob": 1})


@pytest.mark.integration
def test_2_no_widget_of_any_view_breaks_on_a_value_no_browser_sends():
    """Every widget holding a value, in every tab, view and language, sent eleven values no
    control offers. Run apart, with memory capped: Solara's own toggle and tabs once looked an
    index up unchecked and rendered again and again (a toggle took a server to 23 GB)."""
    import json
    import resource
    import subprocess
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))

    done = subprocess.run(
        [sys.executable, "-m", "tests.widget_fuzz"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        preexec_fn=cap,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["sends"] > 1000 and result["failures"] == []


def test_2_the_model_itself_refuses_what_no_control_offers():
    """Whoever builds it: a Reset with 400,000 citizens never builds them."""
    with pytest.raises(ControlError, match="citizens"):
        ClassroomModel(citizens=400_000)
    with pytest.raises(ControlError, match="scenario_name"):
        ClassroomModel(scenario_name="../../etc/passwd")


def test_2_a_value_sent_past_the_browser_is_refused_in_one_translated_line(page):
    page.find(v.Slider, label=CITIZENS).widget.v_model = 400_000
    assert "citizens (firms: a tenth): must be a whole number from 500 to 10000" in page_text(page)
    page.find(v.Btn, children=["Reset"]).widget.click()
    assert "2,000 citizens" in page_text(page)  # the refused value was never used


def test_2_the_refusal_speaks_the_pages_language():
    err = ControlError(
        "citizens",
        "{control}: must be a whole number from {low} to {high} (got {value})",
        low=500,
        high=10_000,
        value="400000",
    )
    said = Words("zh").say(err.said("居民人数"))
    assert said == "居民人数：须为 500 到 10000 之间的整数（收到 400000）"


# 3: the months a click runs are capped, and work stops with its page or the server --------------
@pytest.mark.heavy
def test_3_a_step_runs_at_most_the_render_intervals_range(page):
    slider = page.find(v.Slider, label=RUNNER_PARAMS["months_per_redraw"]["label"]).widget
    slider.v_model = 10**7  # 28 hours of months in one click, before this round
    assert "must be a whole number from 1 to 100" in page_text(page)
    page.find(v.Btn, children=["Step"]).widget.click()
    assert month_of(page) == 1
    slider.v_model = 100
    page.find(v.Btn, children=["Step"]).widget.click()
    assert month_of(page) == 101


def test_3_a_model_stops_at_its_last_month():
    model = ClassroomModel(citizens=500)
    model.month = LAST_MONTH - 1  # as if played for fifty years
    model.step()
    assert model.month == LAST_MONTH and not model.running
    model.step()
    assert model.month == LAST_MONTH


def test_3_a_closed_page_stops_the_work_of_its_session():
    class Context:  # what Solara's kernel context says of a session's pages
        def __init__(self, status):
            self.closed_event, self.page_status = threading.Event(), {"p": status}

    from solara.server.kernel_context import PageStatus

    assert not sessions.page_gone(Context(PageStatus.CONNECTED))
    assert sessions.page_gone(Context(PageStatus.CLOSED))
    assert sessions.page_gone(Context(PageStatus.DISCONNECTED))
    closed = Context(PageStatus.CONNECTED)
    closed.closed_event.set()
    assert sessions.page_gone(closed)
    built = []
    model = ClassroomModel(citizens=500, stop=lambda: built.append(1) or len(built) > 3)
    assert model.month == -model.params.warmup + 3  # the warm-up ended when the page went


@pytest.mark.integration
def test_3_play_stops_when_its_page_closes_and_sigterm_stops_the_server(tmp_path):
    with serve(tmp_path / "server.log") as server:

        async def play_then_leave() -> None:
            async with Page.open(server.url) as student:
                await student.set_value(RUNNER_PARAMS["play_interval"]["label"], 1)
                await student.set_value(RUNNER_PARAMS["months_per_redraw"]["label"], 100)
                await student.click("▶")
                await asyncio.sleep(2)
                assert int(re.search(r"Month (\d+)", student.text()).group(1)) > 0

        asyncio.run(play_then_leave())
        time.sleep(2)  # the play loop notices between two months
        before = process_tree_cpu(server.proc.pid)
        time.sleep(3)
        idle = process_tree_cpu(server.proc.pid) - before
        assert idle < 0.6, f"the server kept working {idle:.1f} CPU-s after the page closed"

        async def play_forever() -> None:
            async with Page.open(server.url) as a, Page.open(server.url) as b:
                for student in (a, b):
                    await student.set_value(RUNNER_PARAMS["play_interval"]["label"], 1)
                    await student.set_value(RUNNER_PARAMS["months_per_redraw"]["label"], 100)
                    await student.click("▶")
                await asyncio.sleep(2)
                start = time.monotonic()
                os.killpg(server.proc.pid, signal.SIGTERM)
                while server.proc.poll() is None and time.monotonic() - start < 10:
                    await asyncio.sleep(0.1)
                assert server.proc.poll() is not None, "alive 10 s after SIGTERM"
                assert time.monotonic() - start < 5

        asyncio.run(play_forever())


# 4: every handler, Reset included, shows one translated line and never a traceback --------------
@pytest.mark.heavy
@pytest.mark.parametrize("lang, says", [("en", "error in reset: "), ("zh", "重置出错：")])
def test_4_a_reset_that_fails_says_so_in_one_line(monkeypatch, page, lang, says):
    if lang == "zh":
        switch = [w for w in page.find(v.BtnToggle).widgets if "中文" in str(w.children)]
        switch[0].v_model = 1
    reset = "重置" if lang == "zh" else "Reset"

    def broken(name: str):
        raise scenarios.ScenarioError("scenario", f"scenarios/{name}.yaml: not a regular file")

    monkeypatch.setattr(scenarios, "load", broken)
    page.find(v.Btn, children=[reset]).widget.click()  # handle_error=False: would raise here
    alerts = [str(w.children[0]) for w in page.find(v.Alert).widgets]
    assert alerts == [says + "scenario: scenarios/pressure_and_technology.yaml: not a regular file"]
    assert "Traceback" not in page_text(page)


# 5, 6: scenario files are read as untrusted files, and only when a command uses them --------------
def test_5_nesting_deeper_than_the_schema_is_refused_before_parsing():
    start = time.perf_counter()
    deep = "name: x\ndescription: y\ninstitutions: " + "[" * 20_000 + "]" * 20_000
    with pytest.raises(scenarios.ScenarioError, match="nested deeper than a scenario's 2 levels"):
        scenarios.parse(deep, "x")
    assert time.perf_counter() - start < 1
    with pytest.raises(scenarios.ScenarioError) as refusal:
        scenarios.parse("name: x\ninstitutions:\n  one_window: {a: 1}\n", "x")
    assert refusal.value.key == "scenario.institutions.one_window"


@pytest.mark.heavy
def test_5_a_command_loads_only_the_scenarios_it_uses(monkeypatch):
    from experiments import settings
    from experiments.cli.compose import compose_checked

    settings.register()
    loaded = []
    real = scenarios.load
    monkeypatch.setattr(scenarios, "load", lambda name: loaded.append(name) or real(name))
    compose_checked("reform-run", "run", ["scenario=internal_reform", *SMALL])
    assert loaded == ["internal_reform"]


@pytest.mark.integration
def test_5_a_deeply_nested_file_breaks_no_command_that_does_not_use_it(tmp_path):
    stem = unique("deep")
    text = f"name: {stem}\ndescription: x\ninstitutions: " + "[" * 20_000 + "]" * 20_000
    with scenario_file(stem, text):
        fine = command(
            "reform-run", "scenario=internal_reform", *SMALL, f"hydra.run.dir={tmp_path / 'a'}"
        )
        used = command("reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'b'}")
    assert fine.returncode == 0, fine.stderr[-2000:]
    assert f"scenarios/{stem}.yaml" in one_line(used) and "nested deeper" in used.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "folder"])
def test_6_only_a_regular_file_is_read_and_never_blocks(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(scenarios, "SCENARIOS_DIR", tmp_path)
    path = tmp_path / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev_zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    outcome: list = []
    reader = threading.Thread(
        target=lambda: outcome.append(_refusal(lambda: scenarios.load("odd")))
    )
    reader.daemon = True
    reader.start()
    reader.join(5)
    assert outcome, f"reading a {kind} blocked"
    assert "not a regular file" in outcome[0]


def _refusal(read) -> str:
    try:
        read()
    except scenarios.ScenarioError as err:
        return str(err)
    return "read"


@pytest.mark.integration
def test_6_a_named_pipe_in_the_folder_hangs_no_command(tmp_path):
    fifo = ROOT / "scenarios" / f"{unique('pipe')}.yaml"
    os.mkfifo(fifo)
    try:
        out = command(
            "reform-run",
            "scenario=internal_reform",
            *SMALL,
            f"hydra.run.dir={tmp_path / 'r'}",
            timeout=120,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        used = command(
            "reform-run",
            f"scenario={fifo.stem}",
            *SMALL,
            f"hydra.run.dir={tmp_path / 's'}",
            timeout=120,
        )
        assert "not a regular file" in one_line(used)
    finally:
        fifo.unlink()


# 7, 9: text is checked once, at the door ----------------------------------------------------------
@pytest.mark.parametrize(
    "text, says",
    [
        ("bad \ud83d text", "lone surrogate"),
        ("tab\there", "control character"),
        ("a\u202ereversed", "bidirectional"),
        ("\u2067isolated\u2069", "bidirectional"),
        ("bell\x07", "control character"),
    ],
)
def test_7_9_text_that_cannot_be_written_or_shown_as_written_is_refused(text, says):
    with pytest.raises(ConfigError, match=f"scenario.description: holds a {says}"):
        resolve({"scenario": {"description": text}})
    assert resolve({"scenario": {"description": "审批事项 — approvals, 100 %"}})  # plain text


@pytest.mark.integration
def test_7_a_lone_surrogate_is_refused_before_any_run(tmp_path):
    stem = unique("surrogate")
    text = f'name: {stem}\ndescription: "bad \\ud83d text"\ninstitutions:\n  internal_campaigns: true\n'
    out = compare_own(stem, text, tmp_path / "s", others="internal_reform")
    assert "lone surrogate" in one_line(out)
    assert not (tmp_path / "s").exists()


def test_9_descriptions_are_isolated_in_every_report_template():
    """A description written before this round, read back from an old sweep, cannot reorder
    the table around it either."""
    for template in ("report.html.j2", "brief.html.j2"):
        text = (ROOT / "analysis" / "reports" / "templates" / template).read_text(encoding="utf-8")
        cells = re.findall(
            r"<td>[^<]*\{\{ (?:described|descriptions)\.get[^}]*\}\}[^<]*</td>", text
        )
        assert not cells, f"{template}: a description outside <bdi>"
        assert re.search(r"<bdi>\{\{ (?:described|descriptions)\.get", text)


# 8: every file is written as UTF-8, whatever the locale ------------------------------------------
TEXT_IO = {"write_text", "read_text"}


def test_8_every_text_file_the_project_opens_names_its_encoding():
    unnamed = []
    for package in ("simulation", "analysis", "experiments", "benchmarks"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or _binary(node):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                opens = name in TEXT_IO or (name in ("open", "fdopen") and _opens_a_file(node))
                if opens and not any(k.arg == "encoding" for k in node.keywords):
                    unnamed.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not unnamed, unnamed


def _binary(node: ast.Call) -> bool:
    modes = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    modes += [
        k.value.value
        for k in node.keywords
        if k.arg == "mode" and isinstance(k.value, ast.Constant)
    ]
    return any("b" in str(m) for m in modes)


def _opens_a_file(node: ast.Call) -> bool:
    """open(path, ...), os.fdopen(fd, ...), or path.open(mode): not os.open (a descriptor, no
    text), tarfile.open, or a class method called open (the load test's Page.open(url))."""
    if isinstance(node.func, ast.Name):
        return True
    owner = getattr(node.func.value, "id", "")
    if owner in ("os",):
        return node.func.attr == "fdopen"
    if owner in ("tarfile", "gzip", "Page", "webbrowser"):
        return False
    first = node.args[0] if node.args else None
    return first is None or (isinstance(first, ast.Constant) and isinstance(first.value, str))


def small_sweep(sweep: Path) -> Path:
    """A finished one-run comparison at `sweep`, for reform-report to read."""
    made = command(
        "reform-compare",
        "scenarios=[internal_reform]",
        "seeds=1",
        *SMALL,
        f"hydra.sweep.dir={sweep}",
    )
    assert made.returncode == 0, made.stderr[-2000:]
    return sweep


@pytest.mark.integration
def test_8_reform_report_works_under_an_ascii_locale(tmp_path):
    sweep = small_sweep(tmp_path / "s")
    ascii_env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    for lang in ("en", "zh"):
        out = command("reform-report", str(sweep), "--lang", lang, env=ascii_env)
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
        folder = sweep / "report" / ("zh" if lang == "zh" else "")
        page = (folder / "index.html").read_bytes().decode("utf-8")
        assert "\u2212" in page or "%" in page


# 10: a deep override is a one-line refusal ---------------------------------------------------------
def test_10_a_deeply_nested_override_is_refused_in_one_line(capsys):
    deep = "[" * 3000 + "]" * 3000
    line = refused(capsys, "reform-run", f"scenario.institutions.one_window={deep}")
    assert "scenario.institutions.one_window: nested deeper than 16 levels" in line
    line = refused(capsys, "reform-compare", f"seeds={deep}")
    assert line.startswith("reform-compare: error: seeds: nested deeper")


# 11: the Python API checks its arguments like the command line -----------------------------------
@pytest.mark.parametrize(
    "build, says",
    [
        (
            lambda: ReformModel.from_scenario("internal_reform", seed=1, rng=2),
            "rng: give either rng or seed",
        ),
        (lambda: ReformModel({"seed": 3}, rng=2), "rng: give either rng or seed"),
        (lambda: ReformModel(rng="abc"), "rng: must be"),
        (lambda: ReformModel(rng=-1), "rng: must be"),
        (lambda: ReformModel(rng=2**32), "rng: must be"),
        (lambda: ReformModel(rng=1.5), "rng: must be"),
        (lambda: ReformModel(rng=True), "rng: must be"),
        (lambda: ReformModel(rng=object()), "rng: must be"),
    ],
)
def test_11_a_bad_rng_is_one_error_naming_it(build, says):
    with pytest.raises((ValueError, TypeError), match=re.escape(says)):
        build()


@pytest.mark.parametrize("steps", [-1, 1.5, True, "12", 2401, [1]])
def test_11_run_takes_a_whole_number_of_months(steps):
    model = ReformModel.from_scenario("internal_reform", seed=1, population__citizens=200, warmup=2)
    with pytest.raises(ValueError, match=r"run\(steps\): must be a whole number of months from 0"):
        model.run(steps)
    assert model.month == -2  # nothing ran
    assert len(model.run(0)) == 2 and len(model.run(2)) == 4  # the warm-up, then two months


def test_11_a_numpy_generator_still_seeds_a_run():
    import numpy as np

    a = ReformModel(rng=np.random.default_rng(5), population__citizens=200, warmup=0)
    b = ReformModel(rng=np.random.default_rng(5), population__citizens=200, warmup=0)
    assert a.params.seed == b.params.seed


# 12: reform-report takes the sweep lock -------------------------------------------------------------
@pytest.mark.integration
def test_12_reform_report_refuses_while_another_command_holds_the_sweep(tmp_path):
    sweep = small_sweep(tmp_path / "s")
    before = (sweep / "report" / "index.html").stat().st_mtime_ns
    with locked(sweep):  # as a reform-compare working on it holds it
        out = command("reform-report", str(sweep))
    assert "another process is working on this sweep" in one_line(out)
    assert (sweep / "report" / "index.html").stat().st_mtime_ns == before
    assert command("reform-report", str(sweep)).returncode == 0  # once it is free


# the session cap: past it, a page is told to wait ---------------------------------------------------
def test_sessions_past_the_cap_are_told_to_wait(monkeypatch):
    class Context:
        def __init__(self, id):
            self.id, self.closed_event = id, threading.Event()

    monkeypatch.setattr(sessions, "_holding", {})
    monkeypatch.setattr(sessions, "MAX_SESSIONS", 2)
    a, b, c = Context("a"), Context("b"), Context("c")
    assert sessions.admit(a) and sessions.admit(b) and sessions.admit(a)
    assert not sessions.admit(c)
    a.closed_event.set()  # a student left (or the session timed out)
    assert sessions.admit(c) and sessions.holding() == 2


def test_the_server_checks_its_own_options(capsys):
    from simulation.dashboard.app import parse_args

    for bad in ("0", "-3", "many", "100000"):
        with pytest.raises(SystemExit) as stop:
            parse_args(["--max-sessions", bad])
        assert stop.value.code == 2
        assert "--max-sessions" in capsys.readouterr().err
    assert parse_args(["--max-sessions", "40"]).max_sessions == 40
    assert DEFAULTS["citizens"] <= MAX_CITIZENS
