"""docs/ODD.md describes the model: the seven ODD elements, the eleven design concepts, every
mechanism module, and only code that exists (every `file.py::name` reference resolves)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ODD = ROOT / "docs" / "ODD.md"
ELEMENTS = (
    "Purpose and patterns",
    "Entities, state variables and scales",
    "Process overview and scheduling",
    "Design concepts",
    "Initialization",
    "Input data",
    "Submodels",
)
CONCEPTS = (
    "Basic principles",
    "Emergence",
    "Adaptation",
    "Objectives",
    "Learning",
    "Prediction",
    "Sensing",
    "Interaction",
    "Stochasticity",
    "Collectives",
    "Observation",
)
REFERENCE = re.compile(r"([\w/]+\.py)::(\w+(?:\.\w+)?)")


@pytest.fixture(scope="module")
def text() -> str:
    return ODD.read_text()


def headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]


@pytest.mark.parametrize("element", ELEMENTS)
def test_every_element_has_its_standard_heading(text, element):
    assert any(element.lower() in h.lower() for h in headings(text)), (
        f"ODD heading missing: {element}"
    )


def test_elements_come_in_the_standard_order(text):
    found = headings(text)
    positions = [next(i for i, h in enumerate(found) if e.lower() in h.lower()) for e in ELEMENTS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("concept", CONCEPTS)
def test_every_design_concept_is_described(text, concept):
    section = text.split("## 4. Design concepts", 1)[1].split("\n## 5.", 1)[0]
    assert f"**{concept}.**" in section, f"design concept missing: {concept}"


def mechanism_modules() -> list[str]:
    folder = ROOT / "simulation" / "mechanisms"
    return sorted(
        f"simulation/mechanisms/{p.name}" for p in folder.glob("*.py") if p.name != "__init__.py"
    )


@pytest.mark.parametrize("module", mechanism_modules())
def test_every_mechanism_module_is_in_the_odd(text, module):
    assert module in text, f"{module} exists but docs/ODD.md does not describe it"


def defined_names(path: Path) -> dict[str, set[str]]:
    """Top-level functions, classes and assigned names, each class with its members."""
    tree = ast.parse(path.read_text())
    names: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names[node.name] = set()
        elif isinstance(node, ast.ClassDef):
            names[node.name] = {
                n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            }
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update({t.id: set() for t in targets if isinstance(t, ast.Name)})
    return names


def references(text: str) -> list[tuple[str, str]]:
    return sorted(set(REFERENCE.findall(text)))


def test_the_odd_links_submodels_to_code(text):
    linked = {path for path, _ in references(text)}
    assert set(mechanism_modules()) <= linked | {m for m in mechanism_modules() if m in text}
    assert len(references(text)) >= 30


@pytest.mark.parametrize("path,name", references(ODD.read_text()) if ODD.exists() else [])
def test_every_code_reference_exists(path, name):
    file = ROOT / path
    assert file.is_file(), f"docs/ODD.md names {path}, which does not exist"
    names = defined_names(file)
    top, _, member = name.partition(".")
    assert top in names, f"docs/ODD.md names {path}::{name}; {top} is not defined there"
    if member:
        assert member in names[top], (
            f"docs/ODD.md names {path}::{name}; {member} is not a member of {top}"
        )


def test_every_mechanism_module_has_a_linked_function(text):
    for module in mechanism_modules():
        assert any(path == module for path, _ in references(text)), (
            f"no {module}::function reference"
        )
