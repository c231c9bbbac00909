"""A recording Government for tests/model/test_state_declared.py: which module reads and writes
which field of the government's state while the model runs.

A read is any attribute fetch of a field; it is charged to the first calling module outside
simulation/government.py and simulation/items.py (a property such as `gov.active`, or a method
such as `items.cut`, acts for its caller). A write is an attribute assignment, or a change to the
contents of a field's array: a module hands in its declaration before the run, and every array it
fetches for a field it does not declare writing is a read-only view, so an in-place write
(`gov.staff[b] -= x`) raises there. Declared writers get the array itself, and a change to its
contents between two fetches is charged to them.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from simulation import model as model_module
from simulation.government import ADD, Government
from simulation.items import ItemTable

SKIPPED = {"simulation.government", "simulation.items", __name__}


class Log:
    """What each module read and wrote while recording was on."""

    def __init__(self, may_write: Callable[[str], frozenset[str]]) -> None:
        self.may_write = may_write
        self.reads: dict[str, set[str]] = defaultdict(set)
        self.writes: dict[str, set[str]] = defaultdict(set)
        self.handed: dict[str, tuple[np.ndarray, np.ndarray, set[str]]] = {}
        self.on = False

    def fetched(self, field: str, value: object) -> object:
        module, adding = caller()
        self.settle(field)  # before ItemTable.add writes its new rows into the column
        if adding:  # ItemTable.add reads and writes every column for its new rows
            field = ADD
        self.reads[module].add(field)
        if not isinstance(value, np.ndarray):
            return value
        if field not in self.may_write(module):
            view = value.view()
            view.flags.writeable = False
            return view
        if adding:
            self.writes[module].add(ADD)
        else:
            self.handed[field] = (value, value.copy(), {module})
        return value

    def assigned(self, field: str) -> None:
        module, adding = caller()
        self.settle(field)
        self.writes[module].add(ADD if adding else field)

    def settle(self, field: str) -> None:
        """Charge a change to the contents of `field`'s array to the writers that fetched it."""
        if field not in self.handed:
            return
        array, before, writers = self.handed.pop(field)
        if array.shape != before.shape or not np.array_equal(array, before, equal_nan=True):
            for module in writers:
                self.writes[module].add(field)

    def settle_all(self) -> None:
        for field in list(self.handed):
            self.settle(field)


LOG: Log | None = None


def caller() -> tuple[str, bool]:
    """The module that asked, and whether it asked through `ItemTable.add` (appending rows)."""
    frame, adding = sys._getframe(1), False
    while frame.f_globals.get("__name__") in SKIPPED:
        adding |= frame.f_globals["__name__"] == "simulation.items" and frame.f_code.co_name in (
            "add",
            "_reserve",
        )
        frame = frame.f_back
    return frame.f_globals["__name__"], adding


def _recording(base: type, prefix: str) -> type:
    class Recording(base):
        def __getattribute__(self, name: str):
            value = object.__getattribute__(self, name)
            if LOG is None or not LOG.on or name not in object.__getattribute__(self, "__dict__"):
                return value
            return LOG.fetched(prefix + name, value)

        def __setattr__(self, name: str, value: object) -> None:
            if LOG is not None and LOG.on:
                LOG.assigned(prefix + name)
            object.__setattr__(self, name, value)

    Recording.__name__ = f"Recording{base.__name__}"
    return Recording


RecordingGovernment = _recording(Government, "")
RecordingItems = _recording(ItemTable, "items.")


def _recorded(params, rng) -> Government:
    """A government built as usual, then recorded from the model's set-up (posts sized) on."""
    gov = Government(params, rng)
    gov.__class__ = RecordingGovernment
    gov.items.__class__ = RecordingItems
    return gov


@contextmanager
def recording(may_write: Callable[[str], frozenset[str]]) -> Iterator[Log]:
    """Record every government the model builds inside the block (sizing at set-up included)."""
    global LOG
    LOG = Log(may_write)
    LOG.on = True
    saved, model_module.Government = model_module.Government, _recorded
    try:
        yield LOG
    finally:
        model_module.Government = saved
        LOG.settle_all()
        LOG.on = False
