"""Agencies as entities (DESIGN 9.1): every agency that ever lived, with the bureau it works in,
the month it was founded and how, the functions it holds, and, once it ends, the month and the
cause.

A function is a (bureau, matter) cell where the bureau holds a live approval item: the work of
that matter's items is done by exactly one live agency of the bureau the items' owner works in
(its host, once merged). Each month the model hands the registry the cells that hold live items
(`hold`): a function whose items were all cut leaves its agency; a new one goes to the live
agency holding fewest. A split takes half the functions of the agency holding most (the one whose
work outgrew it); an agency given back after a merger takes its own bureau's functions back; an
agency founded for a new policy field starts with none and takes the bureau's next new function.
When agencies end, those without functions go first (youngest first), then the youngest; what
they held passes to the agencies that remain. An ended agency keeps the functions it held when it
ended.

The model counts agencies from these lives: `Government.agencies` is `Agencies.count`, a
read-only view that only the registry's own verbs change (found, end, move), so no mechanism can
change a count without an agency being born, ending or moving. Each run writes the lives as
`agencies.parquet` (one row per agency; `ended` empty while it lives), from which survival and
hazard by age are computed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# how an agency came to be, and why it ended (the vocabulary of agencies.parquet)
ORIGINS = ("at start", "split", "new field", "split back")
CAUSES = ("merged", "abolished", "split back")


class AgencyError(ValueError):
    """A verb asked for agencies a bureau does not have, or used a word not declared above."""


class Agencies:
    """The lives of agencies, one row per agency, and the live ones per bureau."""

    def __init__(self, n_bureaus: int, month: int = 0, functions: tuple[str, ...] = ("",)) -> None:
        self.month = month  # the model sets it each month: what founding and ending record
        self.function_names = functions  # a cell's function is functions[cell % len(functions)]
        self.holder = np.full(n_bureaus * len(functions), -1)  # the agency holding each cell
        self.held: list[set[int]] = [set() for _ in range(n_bureaus)]  # cells each agency holds
        self._count = np.ones(n_bureaus)
        self.count = self._count.view()
        self.count.flags.writeable = False  # changed only through found, end and move
        self.bureau = list(range(n_bureaus))
        self.founded = [month] * n_bureaus
        self.origin = ["at start"] * n_bureaus
        self.ended: list[int | None] = [None] * n_bureaus
        self.cause: list[str | None] = [None] * n_bureaus
        self._live: list[list[int]] = [[b] for b in range(n_bureaus)]  # ids, oldest first

    def found(self, bureau: int, origin: str) -> int:
        """A new agency in `bureau`; returns its id."""
        _check(origin, ORIGINS)
        agency = len(self.bureau)
        self.held.append(set())
        if origin == "split" and self._live[bureau]:
            donor = max(self._live[bureau], key=lambda a: len(self.held[a]))
            self._pass(sorted(self.held[donor])[len(self.held[donor]) // 2 :], agency)
        elif origin == "split back":
            own = np.arange(bureau * self._width, (bureau + 1) * self._width)
            self._pass(own[self.holder[own] >= 0], agency)
        self.bureau.append(int(bureau))
        self.founded.append(self.month)
        self.origin.append(origin)
        self.ended.append(None)
        self.cause.append(None)
        self._live[bureau].append(agency)
        self._count[bureau] += 1
        return agency

    def end(self, bureau: int, n: int, cause: str) -> list[int]:
        """`n` live agencies of `bureau` end, for `cause`: those without functions first, then
        the youngest; what they held passes to those that remain. Returns their ids."""
        _check(cause, CAUSES)
        live = self._live[bureau]
        if n < 0 or n > len(live):
            raise AgencyError(f"bureau {bureau} has {len(live)} agencies; cannot end {n}")
        order = sorted(range(len(live)), key=lambda i: (bool(self.held[live[i]]), -i))
        ending = [live[i] for i in order[: int(n)]]
        self._live[bureau] = live = [a for a in live if a not in ending]
        for agency in ending:
            self.ended[agency], self.cause[agency] = self.month, cause
            self.holder[list(self.held[agency])] = -1  # it keeps them as its record
            for cell in sorted(self.held[agency]) if live else ():
                self._give(min(live, key=lambda a: len(self.held[a])), cell)
        self._count[bureau] -= len(ending)
        return ending

    def hold(self, present: np.ndarray, host: np.ndarray) -> None:
        """This month's functions: `present` (bureaus x functions, flat) marks the cells where a
        bureau holds a live item, `host` the bureau each bureau works in."""
        held = self.holder >= 0
        for cell in np.flatnonzero(held & ~present):
            self.held[self.holder[cell]].discard(int(cell))
            self.holder[cell] = -1
        for cell in np.flatnonzero(present & ~held):
            live = self._live[host[cell // self._width]]
            if live:
                self._give(min(live, key=lambda a: len(self.held[a])), int(cell))

    @property
    def _width(self) -> int:
        return len(self.function_names)

    def _give(self, agency: int, cell: int) -> None:
        self.held[agency].add(cell)
        self.holder[cell] = agency

    def _pass(self, cells: Sequence[int] | np.ndarray, agency: int) -> None:
        for cell in cells:
            self.held[self.holder[cell]].discard(int(cell))
            self._give(agency, int(cell))

    def move(self, source: int, target: int) -> list[int]:
        """Every live agency of `source` goes on working inside `target` (a merger)."""
        moving, self._live[source] = self._live[source], []
        for agency in moving:
            self.bureau[agency] = int(target)
        self._live[target] += moving
        self._count[target] += len(moving)
        self._count[source] = 0
        return moving

    def live(self, bureau: int) -> list[int]:
        """The ids of `bureau`'s live agencies, oldest first."""
        return list(self._live[bureau])

    def table(self) -> pd.DataFrame:
        """One row per agency that ever lived (what agencies.parquet holds)."""
        return pd.DataFrame(
            {
                "agency": np.arange(len(self.bureau)),
                "bureau": self.bureau,
                "founded": self.founded,
                "origin": self.origin,
                "ended": pd.array(self.ended, dtype="Int64"),
                "cause": pd.array(self.cause, dtype="string"),
                "functions": [self.functions(a) for a in range(len(self.bureau))],
            }
        )

    def functions(self, agency: int) -> list[str]:
        """The functions an agency holds (or held when it ended), by name."""
        names = self.function_names
        return sorted({names[cell % len(names)] for cell in self.held[agency]})


def _check(word: str, allowed: tuple[str, ...]) -> None:
    if word not in allowed:
        raise AgencyError(f"{word!r} is not one of {', '.join(allowed)}")
