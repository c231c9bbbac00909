"""Institutions are read by attribute from the typed, frozen `Institutions` of the parameter table,
never by a string key: a misspelt institution fails here, statically, not only when the branch
that reads it runs (a mechanism reading `inst.one_windw` in a scenario no test runs)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from simulation.parameters import Institutions
from tests.conftest import small_model

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("simulation", "experiments", "analysis", "benchmarks", "scripts")
FIELDS = {f.name for f in dataclasses.fields(Institutions)}


def _holds_institutions(node: ast.AST, bound: set[str]) -> bool:
    """`<anything>.institutions`, or a name bound to one in this scope."""
    if isinstance(node, ast.Attribute):
        return node.attr == "institutions"
    return isinstance(node, ast.Name) and node.id in bound


def _annotated_institutions(arg: ast.arg) -> bool:
    note = arg.annotation
    return (isinstance(note, ast.Name) and note.id == "Institutions") or (
        isinstance(note, ast.Constant) and note.value == "Institutions"
    )


def _bound_names(scope: ast.AST) -> set[str]:
    """Names that hold an Institutions in `scope`: arguments annotated so, and names assigned
    from `<x>.institutions` (also in a tuple assignment or a chain `a = b.institutions = c`)."""
    bound: set[str] = set()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        args = scope.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        bound |= {a.arg for a in every if _annotated_institutions(a)}
    for node in ast.walk(scope):
        if not isinstance(node, ast.Assign):
            continue
        pairs = [(t, node.value) for t in node.targets]
        if isinstance(node.value, ast.Tuple):
            for t in node.targets:
                if isinstance(t, ast.Tuple) and len(t.elts) == len(node.value.elts):
                    pairs += list(zip(t.elts, node.value.elts))
        chained = any(_holds_institutions(t, bound) for t in node.targets)
        for target, value in pairs:
            if isinstance(target, ast.Name) and (_holds_institutions(value, bound) or chained):
                bound.add(target.id)
    return bound


def undeclared_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) of every read on an institutions object that names no declared field, and
    of every read by key (`inst["one_window"]`)."""
    tree = ast.parse(source)
    found = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    for scope in scopes:
        bound = _bound_names(scope)
        for node in ast.walk(scope):
            if isinstance(node, ast.Attribute) and _holds_institutions(node.value, bound):
                if node.attr not in FIELDS:
                    found.append((node.lineno, f".{node.attr}"))
            elif isinstance(node, ast.Subscript) and _holds_institutions(node.value, bound):
                found.append((node.lineno, f"[{ast.unparse(node.slice)}]"))
    return sorted(set(found))


def read_fields(source: str) -> set[str]:
    """The declared institutions `source` reads by attribute."""
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    return {
        node.attr
        for scope in scopes
        for bound in [_bound_names(scope)]
        for node in ast.walk(scope)
        if isinstance(node, ast.Attribute)
        and _holds_institutions(node.value, bound)
        and node.attr in FIELDS
    }


def sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.heavy
def test_every_institution_read_names_a_declared_field():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sources()
        for line, what in undeclared_reads(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, f"not an institution of simulation/parameters.py Institutions: {wrong}"


def test_every_declared_institution_is_read_by_the_model():
    """An institution a scenario can switch on that no part of the model reads does nothing."""
    read = set().union(
        *(read_fields(p.read_text(encoding="utf-8")) for p in (ROOT / "simulation").rglob("*.py"))
    )
    assert FIELDS - read == set()


@pytest.mark.parametrize(
    "source",
    [
        "def f(inst: Institutions):\n    return inst.one_windw\n",
        "def f(self):\n    return self.institutions.platfrom\n",
        "def f(m):\n    inst = m.institutions\n    return inst.run_nearbyy\n",
        "def f(self):\n    inst, sp = self.institutions, self.params\n    return inst.audit\n",
        "def f(self):\n    inst = self.institutions = self.params.scenario.institutions\n"
        "    return inst.promise\n",
        'def f(inst: "Institutions"):\n    return inst["one_window"]\n',
    ],
)
def test_a_misspelt_or_keyed_read_is_found(source):
    assert len(undeclared_reads(source)) == 1


def test_a_declared_read_passes_and_counts():
    source = "def f(self):\n    inst = self.institutions\n    return inst.one_window\n"
    assert undeclared_reads(source) == [] and read_fields(source) == {"one_window"}


def test_the_model_holds_the_typed_institutions_and_they_cannot_be_changed():
    model = small_model("public_pressure")
    assert model.institutions == Institutions()  # none before the launch
    model.step()
    assert model.institutions is model.params.scenario.institutions
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.institutions.one_window = True  # type: ignore[misc]
