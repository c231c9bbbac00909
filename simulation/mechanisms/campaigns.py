"""M7 Internal reform campaigns: the government, judging itself, cuts items, merges agencies and
cuts posts, periodically or when it perceives bloat in what bureaus report.

Bureaus choose what to give up: their lowest-value items first, keeping those that carry power.
The government sees only self-reported (open) items, so hidden ones are untouched. A campaign acts
by decree; while its attention lasts the government also reads self-reports more closely (M9
detection), and then attention fades.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulation.government import Government
from simulation.items import OPEN, first_per_group
from simulation.mechanisms import staff_and_agency_regrowth as organisation


class Campaigns:
    """Schedule and attention of the government's own reform drives."""

    def __init__(self, params: dict[str, Any]):
        self.cp = params["campaigns"]
        self.params = params
        self.attention = 0.0
        self.last_month: int | None = None
        self.reported_at_last = 0

    def due(self, month: int, reported_items: int) -> bool:
        if self.last_month is None:
            return True
        if month - self.last_month >= self.cp["interval_months"]:
            return True
        return reported_items > (1.0 + self.cp["bloat_trigger"]) * self.reported_at_last

    def fade(self) -> None:
        self.attention *= 0.5 ** (1.0 / self.cp["attention_half_life"])

    def run(self, gov: Government, month: int, rng: np.random.Generator) -> dict[str, Any]:
        """One campaign: cut items, merge bureaus, cut posts. Returns what it did."""
        cut = cut_lowest_value_items(gov, gov.active, self.cp["item_cut_share"], month)
        candidates = np.flatnonzero(organisation.mergeable(gov))
        n_merge = int(round(self.cp["merge_share"] * len(candidates)))
        merged = (
            organisation.merge(gov, rng.choice(candidates, n_merge, replace=False))
            if n_merge
            else []
        )
        floor = organisation.staff_floor(gov, self.params)
        before = gov.staff.sum()
        gov.staff = np.where(
            gov.active, np.maximum(floor, gov.staff * (1.0 - self.cp["staff_cut_share"])), 0.0
        )
        self.attention = 1.0
        self.last_month = month
        self.reported_at_last = int((gov.items.status[: gov.items.n] == OPEN).sum())
        return {"cut": cut, "merged": merged, "staff_cut": float(before - gov.staff.sum())}


def cut_lowest_value_items(
    gov: Government,
    bureaus: np.ndarray,
    share: float,
    month: int,
    max_value: np.ndarray | None = None,
) -> np.ndarray:
    """Each bureau in the mask cuts `share` of its open items, lowest value first, and none worth
    more to it than `max_value` (per bureau, if given). Returns the rows cut."""
    items = gov.items
    rows = items.where(OPEN)
    host = gov.host[items.owner[rows]]
    keep = bureaus[host]
    if max_value is not None:
        keep &= items.value[rows] <= max_value[host]
    rows, host = rows[keep], host[keep]
    quota = np.floor(share * np.bincount(host, minlength=gov.n_departments) + 0.5).astype(int)
    chosen = first_per_group(rows, host, quota, key=items.value[rows])
    items.cut(chosen, month)
    return chosen
