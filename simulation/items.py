"""Approval items as a table of arrays: one row per item, ever created (docs/ODD.md, section 2)."""

from __future__ import annotations

import numpy as np

OPEN, HIDDEN, CUT = 0, 1, 2
STATUS_NAMES = ("open", "hidden", "cut")

# origin codes: why the item exists
INITIAL, NEW_TASK, SELF_INTEREST = 0, 1, 2

_FIELDS = {
    "owner": np.int32,  # department that owns the item
    "matter": np.int16,  # matter type the item belongs to
    "level": np.int8,  # level where it is handled (lower than the owner's once devolved)
    "status": np.int8,  # OPEN, HIDDEN or CUT
    "online": np.bool_,  # can be done on the platform
    "materials": np.int16,  # materials the applicant must hand in
    "certificate": np.int16,  # domain whose certificate it demands, -1 for none
    "value": np.float32,  # worth to its department: power, fees, rents (mean 1)
    "origin": np.int8,  # INITIAL, NEW_TASK or SELF_INTEREST
    "created": np.int32,  # month created
    "last_cut": np.int32,  # month last cut, -1 if never
    "last_restored": np.int32,  # month last restored, -1 if never
    "cuts": np.int16,  # times cut
    "registered": np.bool_,  # approved and on the government's register (the public list, if any)
}


class ItemTable:
    """Growable columns; `n` rows are live. Items are never deleted: a cut item keeps its history."""

    def __init__(self, capacity: int = 1024):
        self.n = 0
        for name, dtype in _FIELDS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    def add(self, **columns: np.ndarray) -> np.ndarray:
        """Append rows; unspecified columns take their neutral value. Returns the new row indices."""
        count = len(columns["owner"])
        self._reserve(self.n + count)
        rows = np.arange(self.n, self.n + count)
        for name in _FIELDS:
            neutral = -1 if name in ("certificate", "last_cut", "last_restored") else 0
            getattr(self, name)[rows] = columns.get(name, neutral)
        self.n += count
        return rows

    def _reserve(self, size: int) -> None:
        capacity = len(self.owner)
        if size <= capacity:
            return
        new_capacity = max(size, capacity * 2)
        for name in _FIELDS:
            old = getattr(self, name)
            grown = np.zeros(new_capacity, dtype=old.dtype)
            grown[: self.n] = old[: self.n]
            setattr(self, name, grown)

    def column(self, name: str) -> np.ndarray:
        """The live part of a column (a view)."""
        return getattr(self, name)[: self.n]

    def where(self, status: int) -> np.ndarray:
        """Row indices of items with this status."""
        return np.flatnonzero(self.status[: self.n] == status)

    def counts_by_owner(self, status: int, departments: int) -> np.ndarray:
        """Items of a status held by each department."""
        rows = self.where(status)
        return np.bincount(self.owner[rows], minlength=departments)

    def cut(self, rows: np.ndarray, month: int) -> None:
        self.status[rows] = CUT
        self.last_cut[rows] = month
        self.cuts[rows] += 1

    def restore(self, rows: np.ndarray, month: int, hidden: np.ndarray) -> None:
        """Cut items come back, openly or hidden; either way without approval."""
        self.status[rows] = np.where(hidden, HIDDEN, OPEN)
        self.last_restored[rows] = month
        self.registered[rows] = False

    def relabel(self, rows: np.ndarray, month: int) -> None:
        """Cut on paper: the item leaves the register and the reports, its requirement stays as a
        hidden step (a pre-review, filing, intermediary service or extra material)."""
        self.status[rows] = HIDDEN
        self.last_cut[rows] = month
        self.cuts[rows] += 1
        self.registered[rows] = False


def first_per_group(
    rows: np.ndarray, groups: np.ndarray, quota: np.ndarray, key: np.ndarray | None = None
) -> np.ndarray:
    """The first `quota[g]` rows of each group g, in ascending `key` order within the group."""
    if len(rows) == 0:
        return rows
    order = np.lexsort((key, groups)) if key is not None else np.argsort(groups, kind="stable")
    rows, groups = rows[order], groups[order]
    rank = np.arange(len(rows)) - np.searchsorted(groups, groups)
    return rows[rank < quota[groups]]
