"""Agencies as entities (DESIGN 9.1): every agency that ever lived, with the bureau it works in,
the month it was founded and how, and, once it ends, the month and the cause.

The model counts agencies from these lives: `Government.agencies` is `Agencies.count`, a
read-only view that only the registry's own verbs change (found, end, move), so no mechanism can
change a count without an agency being born, ending or moving. Each run writes the lives as
`agencies.parquet` (one row per agency; `ended` empty while it lives), from which survival and
hazard by age are computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# how an agency came to be, and why it ended (the vocabulary of agencies.parquet)
ORIGINS = ("at start", "split", "new field", "split back")
CAUSES = ("merged", "abolished", "split back")


class AgencyError(ValueError):
    """A verb asked for agencies a bureau does not have, or used a word not declared above."""


class Agencies:
    """The lives of agencies, one row per agency, and the live ones per bureau."""

    def __init__(self, n_bureaus: int, month: int = 0) -> None:
        self.month = month  # the model sets it each month: what founding and ending record
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
        self.bureau.append(int(bureau))
        self.founded.append(self.month)
        self.origin.append(origin)
        self.ended.append(None)
        self.cause.append(None)
        self._live[bureau].append(agency)
        self._count[bureau] += 1
        return agency

    def end(self, bureau: int, n: int, cause: str) -> list[int]:
        """The `n` youngest live agencies of `bureau` end, for `cause`; returns their ids."""
        _check(cause, CAUSES)
        live = self._live[bureau]
        if n < 0 or n > len(live):
            raise AgencyError(f"bureau {bureau} has {len(live)} agencies; cannot end {n}")
        ending = [live.pop() for _ in range(int(n))]
        for agency in ending:
            self.ended[agency], self.cause[agency] = self.month, cause
        self._count[bureau] -= len(ending)
        return ending

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
            }
        )


def _check(word: str, allowed: tuple[str, ...]) -> None:
    if word not in allowed:
        raise AgencyError(f"{word!r} is not one of {', '.join(allowed)}")
