"""Hostile and odd text: the report shows every user-provided text (scenario names and
descriptions, run names, errors, commands, the sweep's path) as text, never as markup; scenario
names that cannot serve as file, folder and override names are refused with one line."""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from experiments import cli
from experiments.outputs import write_run
from experiments.sweepdir import Job, claim, record_failure
from simulation import scenarios
from tests.cli_support import command, one_line

ROOT = Path(__file__).resolve().parents[2]
NAME = '<script>alert("name")</script>'
DESCRIPTION = "<img src=x onerror=alert(1)> 'quoted' & <script>alert(2)</script>"
ERROR = "RuntimeError: <script>alert(3)</script>"
COMMAND = "<script>alert(4)</script>"
MODEL = {"steps": 12, "warmup": 3, "population": {"citizens": 300, "enterprises": 30}}


class Markup(HTMLParser):
    """Every tag and attribute of a page, and its text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def scenario(file: str, **changes: str) -> dict:
    return {**yaml.safe_load((ROOT / "scenarios" / f"{file}.yaml").read_text()), **changes}


@pytest.fixture(scope="module")
def hostile_sweep(tmp_path_factory) -> Path:
    """A sweep whose scenario name and description, failed run, command and path are hostile.
    Built from Python (the command line refuses such names), as an old or edited sweep may be."""
    sweep = tmp_path_factory.mktemp("escaping") / "sweep <b>x</b>"
    scenarios = {"a": scenario("internal_reform", name=NAME, description=DESCRIPTION)}
    scenarios["b"] = scenario("status_quo")
    jobs = [Job(f"{s}/seed{k}", (f"seed={k}",)) for s in scenarios for k in (0, 1)]
    jobs.append(Job("a/seed2", ("seed=2",)))
    argv = sys.argv
    sys.argv = ["reform-compare", COMMAND]  # the command line sweep.json records
    try:
        with claim(sweep, "reform-compare", {"case": "hostile"}, jobs):
            for job in jobs[:-1]:
                folder, seed = job.name.split("/seed")
                write_run(
                    {**MODEL, "scenario": scenarios[folder], "seed": int(seed)}, sweep / job.name
                )
            record_failure(sweep / "a" / "seed2", ERROR)
    finally:
        sys.argv = argv
    from analysis.reports.report import build_report
    from experiments.collect import load

    with pytest.warns(UserWarning, match="failed"):
        build_report(sweep, load(sweep))
    return sweep


@pytest.mark.integration  # builds a whole report folder
def test_every_page_of_every_language_shows_hostile_text_as_text(hostile_sweep, tmp_path):
    """The report and the brief in each language: a scenario's name goes through the catalogue
    (`tr`) and must come out escaped all the same (the fixture's report is the English one)."""
    import shutil

    from analysis.reports.report import build_report
    from experiments.collect import load

    copy = Path(shutil.copytree(hostile_sweep, tmp_path / "copy"))
    with pytest.warns(UserWarning, match="failed"):
        build_report(copy, load(copy), lang="zh")
    for folder in (hostile_sweep / "report", copy / "report" / "zh"):  # zh: beside the English
        for page in ("index.html", "brief.html"):
            markup = Markup()
            markup.feed((folder / page).read_text())
            tags = {tag for tag, _ in markup.tags}
            assert "script" not in tags and "iframe" not in tags and "object" not in tags, page


@pytest.mark.integration  # builds a whole report folder
def test_the_report_shows_hostile_text_as_text(hostile_sweep):
    page = (hostile_sweep / "report" / "index.html").read_text()
    markup = Markup()
    markup.feed(page)
    tags = {tag for tag, _ in markup.tags}
    assert "script" not in tags and "iframe" not in tags and "object" not in tags
    for tag, attrs in markup.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    text = "".join(markup.text)
    for hostile in (NAME, DESCRIPTION, ERROR, COMMAND, "sweep <b>x</b>"):
        assert hostile in text, hostile  # shown, as text
    assert "<script" not in page.lower()
    images = [dict(attrs).get("src") or "" for tag, attrs in markup.tags if tag == "img"]
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    assert "a/seed2" in text  # the failed run is listed with its error


@pytest.mark.integration  # builds a whole report folder
def test_figures_and_tables_carry_the_text_safely(hostile_sweep):
    figures = list((hostile_sweep / "report" / "figures").glob("*.svg"))
    assert figures
    for svg in figures:
        root = ET.parse(svg).getroot()  # well-formed: the name did not break the markup
        for element in root.iter():
            assert not element.tag.endswith("script"), svg
            assert not any(k.lower().startswith("on") for k in element.attrib), svg
    texts = [p.read_text() for p in figures]
    assert any("alert(" in t for t in texts)  # the name is in the legends, escaped
    assert not any("<script" in t for t in texts)


@pytest.mark.parametrize(
    "name, usable",
    [
        ("internal_reform", True),
        ("reform2", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("Status_quo", False),
        ("one-window", False),
        ("a b", False),
        ("2nd_reform", False),
        ("_hidden", False),
        ("réforme", False),
        ("a.b", False),
        ("<script>", False),
    ],
)
def test_scenario_name_rule(monkeypatch, capsys, tmp_path, name, usable):
    (tmp_path / f"{name}.yaml").write_text(f"name: {name}\n" if usable else "name: x\n")
    monkeypatch.setattr(scenarios, "SCENARIOS_DIR", tmp_path)
    if usable:
        cli.check_scenario_names("reform-compare", [name], "scenarios")
        return
    with pytest.raises(SystemExit) as stop:
        cli.check_scenario_names("reform-compare", [name], "scenarios")
    assert stop.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "scenarios:" in lines[0] and "rename the file" in lines[0]


def with_scenario_file(stem: str, content: dict, *commands: list[str]) -> list:
    """Run commands while scenarios/<stem>.yaml exists (briefly: other sessions see the folder)."""
    path = ROOT / "scenarios" / f"{stem}.yaml"
    assert not path.exists()
    path.write_text(yaml.safe_dump(content))
    try:
        return [command(*line) for line in commands]
    finally:
        path.unlink()


SMALL = ["steps=2", "warmup=1", "population.citizens=100", "population.enterprises=10"]


@pytest.mark.integration
@pytest.mark.parametrize(
    "kind, why",
    [
        ("bad_name", "not a usable scenario name"),  # Zz_Bad_Name: not an identifier of its own
        ("foreign_name", "it must be '{stem}'"),  # a name not the file's (and holds markup)
        ("code", "scenario._target_"),  # a key that would run code
    ],
)
def test_bad_scenario_files_are_refused_on_the_command_line(tmp_path, kind, why):
    stem = f"zz_{kind}_{os.getpid()}" if kind != "bad_name" else f"zz_Bad_Name_{os.getpid()}"
    content = {
        "bad_name": scenario("status_quo", name=stem),
        "foreign_name": scenario("status_quo", name=NAME),
        "code": {**scenario("status_quo", name=stem), "_target_": "os.system"},
    }[kind]
    outs = with_scenario_file(
        stem,
        content,
        ["reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}"],
        ["reform-compare", f"scenarios=[{stem}]", *SMALL, f"hydra.sweep.dir={tmp_path / 's'}"],
    )
    for out in outs:
        assert why.format(stem=stem) in one_line(out)
    assert not (tmp_path / "r").exists() and not (tmp_path / "s").exists()


@pytest.mark.integration  # builds a whole report folder
def test_a_hostile_description_is_only_text(tmp_path):
    stem = f"zz_desc_{os.getpid()}"
    (out,) = with_scenario_file(
        stem,
        scenario("status_quo", name=stem, description=DESCRIPTION),
        ["reform-run", f"scenario={stem}", *SMALL, f"hydra.run.dir={tmp_path / 'r'}"],
    )
    assert out.returncode == 0, out.stderr
    assert (
        yaml.safe_load((tmp_path / "r" / "config.yaml").read_text())["scenario"]["description"]
        == DESCRIPTION
    )
