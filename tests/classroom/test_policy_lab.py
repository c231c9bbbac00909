"""The policy lab (issue 23, item 7): a scenario of one's own saved from the dashboard as a file
every command reads, run against internal_reform over several seeds in a process of its own,
shown as bands with its brief. Every value a page sends is checked (simulation/dashboard/lab.py)."""

from __future__ import annotations

import pytest

from simulation import scenarios
from simulation.dashboard import lab


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(scenarios, "_ADDED", {})
    monkeypatch.setattr(lab, "FOLDER", tmp_path / "mine")
    return tmp_path / "mine"


def test_a_saved_scenario_is_a_file_every_command_reads(folder):
    path = lab.save(
        "window_and_list",
        "one window and a public list",
        {"one_window": True, "public_item_list": True},
    )
    assert path == folder / "window_and_list.yaml"
    block = scenarios.load("window_and_list")
    assert block["institutions"]["one_window"] and block["institutions"]["public_item_list"]
    assert not block["institutions"]["platform"]
    assert scenarios.parse(path.read_text(encoding="utf-8"), "window_and_list")["description"]


@pytest.mark.parametrize(
    "name, description, institutions, says",
    [
        ("Bad Name", "", {}, "name: lowercase letters"),
        ("../../etc/x", "", {}, "name: lowercase letters"),
        ("internal_reform", "", {}, "already exists"),
        ("fine", "", {"one_window": "yes"}, "must be true or false"),
        ("fine", "", {"one_window": 1}, "must be true or false"),
        ("fine", "", {"rm -rf": True}, "not an institution"),
        ("fine", "", {"technology_growth": 0.5}, "not an institution"),
        ("fine", "a\u202eb", {}, "bidirectional"),
        ("fine", ["not", "text"], {}, "must be text"),
    ],
)
def test_the_lab_refuses_what_a_scenario_cannot_hold(folder, name, description, institutions, says):
    with pytest.raises(lab.LabError, match=says):
        lab.save(name, description, institutions)
    assert not list(folder.glob("*.yaml")) if folder.exists() else True


def test_a_saved_file_is_never_replaced_and_the_folder_is_capped(folder, monkeypatch):
    lab.save("mine", "first", {"one_window": True})
    with pytest.raises(lab.LabError, match="already exists"):
        lab.save("mine", "second", {})
    assert "first" in (folder / "mine.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(lab, "MAX_FILES", 1)
    with pytest.raises(lab.LabError, match="already holds 1 scenarios"):
        lab.save("another", "", {})


def test_a_run_needs_a_saved_scenario_sane_seeds_and_a_free_server(folder):
    with pytest.raises(lab.LabError, match="save the scenario first"):
        lab.start("nothing_saved", 4)
    lab.save("mine", "", {})
    for seeds in (1, 11, 4.0, True, "4"):
        with pytest.raises(lab.LabError, match="seeds: a whole number from 2 to 10"):
            lab.start("mine", seeds)
    job = lab.start("mine", 4)
    try:
        with pytest.raises(lab.LabError, match="another lab run"):
            lab.start("mine", 4)
    finally:
        lab._running.release()
    assert job.command()[1:3] == [f"scenarios_dir={folder}", "scenarios=[internal_reform,mine]"]


def test_the_zh_page_speaks_every_refusal():
    from simulation.i18n import Words as translate

    zh = translate("zh")
    for message in (
        "name: save the scenario first",
        "another lab run is under way on this server; wait for it",
        "seeds: a whole number from {low} to {high}",
    ):
        assert zh(message) != message


@pytest.mark.integration
def test_a_lab_run_gives_bands_for_both_scenarios_and_a_brief(folder):
    lab.save(
        "pressed",
        "a complaint channel and a third party",
        {"internal_campaigns": True, "complaint_channel": True, "third_party_evaluation": True},
    )
    job = lab.start("pressed", 2)
    ticks: list[tuple[int, int]] = []
    error = lab.run(job, tick=lambda done, total: ticks.append((done, total)))
    assert error == "", error
    assert ticks[-1] == (4, 4) and not lab._running.locked()
    rows = lab.bands(job.sweep)
    assert {r["series"] for r in rows} == {"internal_reform", "pressed"}
    assert all(r["low"] <= r["value"] <= r["high"] for r in rows)
    assert "<html" in (lab.brief(job.sweep, "en") or "")
