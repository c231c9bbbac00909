"""Every list of scenarios is derived from the files of scenarios/ (their names and `order:`), and
no module, configuration or document keeps one by hand: a file dropped into the folder appears in
every list, and a hand-kept list of scenarios or institutions fails here."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from simulation import scenarios
from simulation.parameters import Institutions

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("simulation", "experiments", "analysis", "benchmarks", "scripts")
SCENARIO_NAMES = frozenset(p.stem for p in scenarios.SCENARIOS_DIR.glob("*.yaml"))
INSTITUTION_NAMES = frozenset(f.name for f in dataclasses.fields(Institutions))

# Run in a fresh interpreter whose scenarios folder is argv[1]: every list, as each module
# derives it when imported (the dashboard's picker and the study's defaults are made then).
LISTS = """
import json, sys
from pathlib import Path
from simulation import scenarios
scenarios.SCENARIOS_DIR = Path(sys.argv[1])
from analysis.reports.report import scenario_order
from experiments.settings import ScenarioGroup, StudySettings
from simulation.dashboard.model_params import MODEL_PARAMS
print(json.dumps({
    "available": scenarios.available(),
    "ordered": scenarios.ordered(),
    "report": scenario_order(set(scenarios.available())),
    "dashboard picker": MODEL_PARAMS["scenario_name"]["values"],
    "robustness": StudySettings().robustness_scenarios,
    "hydra group": [o.removesuffix(".yaml") for o in ScenarioGroup().keys()],
    "readme": [line.split("`")[1] for line in scenarios.markdown().splitlines()[2:]],
}))
"""


def lists_with(tmp_path: Path, *files: tuple[str, str]) -> dict[str, list[str]]:
    folder = tmp_path / "scenarios"
    shutil.copytree(scenarios.SCENARIOS_DIR, folder, ignore=shutil.ignore_patterns("__*"))
    for name, extra in files:
        text = f"name: {name}\ndescription: one of mine\n{extra}institutions:\n  one_window: true\n"
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", LISTS, str(folder)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout)


@pytest.mark.heavy
def test_a_scenario_file_appears_in_every_list_in_its_order(tmp_path):
    lists = lists_with(tmp_path, ("aa_first", "order: 0\n"), ("zz_unordered", ""))
    for which, names in lists.items():
        assert {"aa_first", "zz_unordered"} <= set(names), which
        assert set(names) == SCENARIO_NAMES | {"aa_first", "zz_unordered"}, which
    for which in ("ordered", "report", "readme"):
        assert lists[which][0] == "aa_first" and lists[which][-1] == "zz_unordered", which


def test_the_readme_table_is_generated_from_the_scenario_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert scenarios.in_readme(readme) == readme, "run: python -m simulation.scenarios"


def test_the_package_scenarios_each_have_their_own_place():
    places = [scenarios.load(name)["order"] for name in SCENARIO_NAMES]
    assert None not in places and len(set(places)) == len(places)


# no hand-kept list ----------------------------------------------------------------------------
def _strings(node: ast.AST) -> list[str]:
    """The strings a literal collection holds (a dict's keys and values)."""
    if isinstance(node, ast.Dict):
        items = [*node.keys, *node.values]
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = node.elts
    else:
        return []
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def _most_of(strings: list[str] | set[str], vocabulary: frozenset[str]) -> bool:
    """A collection that names more than half of a vocabulary is a copy of it."""
    return len(set(strings) & vocabulary) > len(vocabulary) / 2


def restated_lists(source: str) -> list[int]:
    """Lines of literal collections that name most scenarios or most institutions."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if _most_of(_strings(node), SCENARIO_NAMES) or _most_of(_strings(node), INSTITUTION_NAMES)
    ]


def _yaml_lists(node: object) -> Iterator[list]:
    if isinstance(node, dict):
        yield list(node)
        for value in node.values():
            yield from _yaml_lists(value)
    elif isinstance(node, list):
        yield node
        for value in node:
            yield from _yaml_lists(value)


@pytest.mark.heavy
def test_no_module_restates_the_scenarios_or_the_institutions_as_a_literal_list():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for pkg in PACKAGES
        for path in sorted((ROOT / pkg).rglob("*.py"))
        for line in restated_lists(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"derive these from scenarios/ or the parameter table: {found}"


def test_no_configuration_lists_the_scenarios():
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "experiments" / "conf").rglob("*.yaml"))
        for listed in _yaml_lists(yaml.safe_load(path.read_text(encoding="utf-8")))
        if _most_of([str(x) for x in listed], SCENARIO_NAMES)
    ]
    assert not found


def test_no_document_keeps_a_table_of_the_scenarios_by_hand():
    row = re.compile(r"^\|\s*`([a-z0-9_]+)`\s*\|", re.MULTILINE)
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        if scenarios.README_BEGIN in text:  # the generated table, checked above
            head, rest = text.split(scenarios.README_BEGIN, 1)
            text = head + rest.split(scenarios.README_END, 1)[1]
        if _most_of(row.findall(text), SCENARIO_NAMES):
            found.append(str(path.relative_to(ROOT)))
    assert not found


@pytest.mark.parametrize(
    "source",
    [
        f"ORDER = {tuple(sorted(SCENARIO_NAMES))!r}\n",
        f"ALL = {sorted(SCENARIO_NAMES)[:5]!r}\n",
        f"LABELS = {dict.fromkeys(sorted(INSTITUTION_NAMES), 'x')!r}\n",
        f"def f():\n    return {{{', '.join(repr(n) for n in sorted(INSTITUTION_NAMES))}}}\n",
    ],
)
def test_a_hand_kept_list_is_found(source):
    assert restated_lists(source) == [1 if source.startswith(("ORDER", "ALL", "LABELS")) else 2]


def test_a_few_scenarios_named_for_their_role_are_not_a_list():
    assert restated_lists('BASELINES = ("status_quo", "internal_reform")\n') == []
