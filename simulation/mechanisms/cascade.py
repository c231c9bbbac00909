"""M12 The cascade: when process, organisational and functional changes happen.

Every change a bureau or campaign makes is logged with its month, category and source (bureaus
under pressure, a campaign's decree, supervisors' exposures); the count is the number of bureaus
that made that change that month. The order in which the three kinds occur can be read from any
run. Nothing here forces an order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from simulation.government import Touches

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches()

CATEGORY = {
    "join_window": "process",
    "put_online": "process",
    "open_data": "process",
    "merge": "organisational",
    "split": "organisational",
    "unmerge": "organisational",
    "new_agency": "organisational",
    "cut": "functional",
    "devolve": "functional",
}
CATEGORIES = ("process", "organisational", "functional")


class Cascade:
    """Event log plus this month's counts by category, and each bureau's first change of each
    category that it made itself under pressure (so the typical bureau's onset can be read, not
    only the earliest bureau's; campaigns' decrees and exposures are not the bureau's choice)."""

    def __init__(self, n_bureaus: int) -> None:
        # (month, category, kind, bureaus, source, bureaus making their first change of the category)
        self.events: list[tuple[int, str, str, int, str, int]] = []
        self.month_counts: Counter[str] = Counter()
        # each bureau's first month of each category; whether it has one is kept apart, since
        # warm-up months are negative and no month value can stand for "none yet"
        self.first = {c: np.zeros(n_bureaus, int) for c in CATEGORIES}
        self.made = {c: np.zeros(n_bureaus, bool) for c in CATEGORIES}

    def record(self, month: int, kind: str, bureaus: Any, source: str = "bureaus") -> None:
        """Log that `bureaus` (indices) made a change of `kind` this month."""
        bureaus = np.unique(np.asarray(bureaus, dtype=int))
        if len(bureaus) == 0:
            return
        category = CATEGORY[kind]
        made = self.made[category]
        new = bureaus[~made[bureaus]] if source == "bureaus" else bureaus[:0]
        self.first[category][new] = month
        made[new] = True
        self.events.append((month, category, kind, len(bureaus), source, len(new)))
        self.month_counts[category] += len(bureaus)

    def start_counting_firsts(self) -> None:
        """At the launch: onsets count from here, not from the warm-up's own changes."""
        for made in self.made.values():
            made[:] = False

    def typical_onsets(self) -> dict[str, float | None]:
        """Per category, the median first-change month over the bureaus that made one."""
        out: dict[str, float | None] = {}
        for c, first in self.first.items():
            onsets = first[self.made[c] & (first >= 1)]
            out[c] = float(np.median(onsets)) if len(onsets) else None
        return out

    def close_month(self) -> dict[str, int]:
        counts = {f"cascade_{c}": self.month_counts.get(c, 0) for c in CATEGORIES}
        self.month_counts = Counter()
        return counts

    def first_months(self, since: int = 1) -> dict[str, int | None]:
        """First month (>= since) with a change of each category, None if there was none."""
        first: dict[str, int | None] = dict.fromkeys(CATEGORIES)
        for month, category, *_ in self.events:
            if month >= since and (first[category] is None or month < first[category]):
                first[category] = month
        return first

    def order(self, since: int = 1) -> str:
        """Categories by first appearance, e.g. 'process>organisational>functional'; '=' joins
        categories that first appear in the same month, and absent ones are left out."""
        first = {c: m for c, m in self.first_months(since).items() if m is not None}
        months = sorted(set(first.values()))
        return ">".join("=".join(c for c in CATEGORIES if first.get(c) == m) for m in months)

    def table(self) -> dict[str, np.ndarray]:
        names = ("month", "category", "kind", "count", "source", "new_bureaus")
        cols = list(zip(*self.events)) if self.events else [[] for _ in names]
        return {n: np.asarray(c) for n, c in zip(names, cols)}
