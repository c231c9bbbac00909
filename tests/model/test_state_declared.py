"""Every module that touches the government's state declares what it reads and writes
(`STATE = Touches(...)`, simulation/government.py), and keeps to it: a recording Government
(tests/model/state_recorder.py) runs the model under scenarios that exercise every mechanism and
fails on a read or a write a module does not declare. No field has two writing modules unless
`SHARED` says why, and docs/ODD.md says it too."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from functools import cache
from types import ModuleType

import pytest

import simulation
import simulation.mechanisms
from simulation.government import ADD, FIXED, SHARED, Touches
from simulation.mechanisms import pressure, technology
from tests.conftest import ROOT, small_model
from tests.model.state_recorder import Log, recording

PRESSED = {"departments__resistance": 0.05}  # bureaus act within months
# (scenario, months, overrides): between them every mechanism runs and every declared write happens
RUNS = (
    (
        "pressure_and_technology",
        8,
        {
            **PRESSED,
            "scenario__institutions__establishment_audit": True,
            "campaigns__min_interval_months": 2,
            "campaigns__interval_months": 3,
        },
    ),
    ("top_down_pressure", 8, PRESSED),  # targets read from records: informal pre-visits
)


def mechanisms() -> list[ModuleType]:
    package = simulation.mechanisms
    return [
        importlib.import_module(f"{package.__name__}.{m.name}")
        for m in pkgutil.iter_modules(package.__path__)
    ]


def declaring() -> dict[str, Touches]:
    """Every module of the model (the classroom apart) that declares STATE."""
    for m in pkgutil.walk_packages(simulation.__path__, "simulation."):
        if not m.name.startswith(("simulation.dashboard", "simulation.app")):
            importlib.import_module(m.name)
    return {
        name: module.STATE
        for name, module in sorted(sys.modules.items())
        if name.startswith("simulation.") and isinstance(getattr(module, "STATE", None), Touches)
    }


def declared(module: str) -> Touches | None:
    return getattr(sys.modules.get(module), "STATE", None)


def may_write(module: str) -> frozenset[str]:
    state = declared(module)
    return state.writes if state else frozenset()


def fields() -> set[str]:
    """The government's fields, read off one that was built, and its item table's columns."""
    gov = small_model().government
    return set(vars(gov)) | {f"items.{c}" for c in vars(gov.items)} | {ADD}


def in_place_writer(error: ValueError) -> str:
    """The module whose line wrote into a read-only view (the innermost frame of the model
    outside the government's and the item table's own code)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/simulation/" in f.filename]
    inner = [f for f in ours if not f.filename.endswith(("/government.py", "/items.py"))]
    frame = (inner or ours or frames)[-1]
    return f"{frame.filename.split('/simulation/')[-1]}:{frame.lineno} ({frame.line})"


def record(runs=RUNS) -> tuple[Log, list[str]]:
    """Run the model recording its government; undeclared in-place writes come back as errors."""
    errors = []
    with recording(may_write) as log:
        for name, months, overrides in runs:
            model = small_model(name, **overrides)
            try:
                model.run(months)
                model.journey(0, 0, online=False)
            except ValueError as error:
                if "read-only" not in str(error):
                    raise
                errors.append(f"simulation/{in_place_writer(error)} writes an undeclared field")
    return log, errors


def violations(log: Log, errors: list[str]) -> list[str]:
    found = list(errors)
    for module in sorted(set(log.reads) | set(log.writes)):
        state = declared(module) or Touches()
        reads = log.reads[module] - FIXED - state.reads - state.writes
        writes = log.writes[module] - state.writes
        if reads and declared(module) is not None:  # a module without STATE may read
            found.append(f"{module} reads {sorted(reads)}, not in its STATE")
        if writes:
            found.append(f"{module} writes {sorted(writes)}, not in its STATE")
    return found


@cache
def baseline() -> tuple[Log, list[str]]:
    return record()


def test_every_mechanism_declares_the_state_it_touches_in_known_fields():
    known = fields()
    assert FIXED <= known
    missing = [
        m.__name__ for m in mechanisms() if not isinstance(getattr(m, "STATE", None), Touches)
    ]
    assert missing == []
    for module, state in declaring().items():
        assert state.reads | state.writes <= known - FIXED, module
        assert not state.reads & state.writes, f"{module}: a field it writes it may read already"


def test_every_module_keeps_to_what_it_declares():
    assert violations(*baseline()) == []


def test_the_runs_exercise_every_declared_write():
    """Each module fetched every field it declares writing (a test of the runs: a declared
    write no run reaches would go unchecked)."""
    log, _ = baseline()
    unreached = {
        module: sorted(state.writes - log.reads[module] - log.writes[module])
        for module, state in declaring().items()
    }
    assert {m: f for m, f in unreached.items() if f} == {}


def test_a_field_has_one_writer_unless_shared_says_why():
    writers: dict[str, set[str]] = {}
    for module, state in declaring().items():
        for field in state.writes:
            writers.setdefault(field, set()).add(module)
    shared = {field for field, modules in writers.items() if len(modules) > 1}
    assert shared == set(SHARED), {f: sorted(writers.get(f, ())) for f in shared ^ set(SHARED)}
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    section = odd[odd.index("### Who writes what") :].split("\n## ")[0]
    assert [f for f in SHARED if f"`{f}`" not in section] == []


def test_a_removed_declaration_fails(monkeypatch):
    state = pressure.STATE
    monkeypatch.setattr(pressure, "STATE", Touches(" ".join(state.reads), "in_window"))
    found = violations(*record(RUNS[:1]))
    assert any("mechanisms.pressure writes ['pressure']" in v for v in found), found


@pytest.mark.parametrize("write", ["gov.quota[0] += 0.0", "gov.quota = gov.quota"])
def test_an_added_write_fails(monkeypatch, write):
    """The same function with one more write, compiled as code of the technology module."""
    scope = dict(vars(technology), _original=technology.put_items_online)
    exec(
        f"def put_items_online(gov, bureaus, cap, share):\n    {write}\n"
        "    return _original(gov, bureaus, cap, share)\n",
        scope,
    )
    monkeypatch.setattr(pressure, "put_items_online", scope["put_items_online"])
    found = violations(*record(RUNS[:1]))
    assert any("technology" in v for v in found), found
