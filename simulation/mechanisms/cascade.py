"""M12 The cascade: when process, organisational and functional changes happen.

Every change a bureau or campaign makes is logged with its month and category, so the order in
which the three kinds of change occur can be read from any run. Nothing here forces an order.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

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
    """Event log plus this month's counts by category."""

    def __init__(self) -> None:
        self.events: list[
            tuple[int, str, str, int, str]
        ] = []  # (month, category, kind, count, source)
        self.month_counts: Counter[str] = Counter()

    def record(self, month: int, kind: str, count: int, source: str = "bureaus") -> None:
        if count <= 0:
            return
        category = CATEGORY[kind]
        self.events.append((month, category, kind, int(count), source))
        self.month_counts[category] += int(count)

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
        cols = list(zip(*self.events)) if self.events else [[], [], [], [], []]
        names = ("month", "category", "kind", "count", "source")
        return {n: np.asarray(c) for n, c in zip(names, cols)}
