"""M7 Internal reform campaigns: the government, judging itself, cuts items, merges agencies,
abolishes agencies left without functions and cuts posts, in rounds about five years apart
(central reform rounds came in 1982, 1988, 1993, 1998, 2003, 2008, 2013, 2018, 2023), or earlier
when it perceives bloat, but never within `min_interval_months` of the last round.

Bloat is judged against workload, from self-reports: the growth since the last round of reported
open items, and of reported (on-quota) posts beyond the growth of the work they handle. Bureaus
choose what to give up: their lowest-value items first, keeping those that carry power, and each
given-up item is cut for real or only on paper (formalism). The government sees only
self-reported items and posts, so hidden items and off-quota staff are untouched. While its
attention lasts the government also reads self-reports more closely (M9) and approves fewer new
posts (M6); then attention fades.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulation.government import Government, Touches
from simulation.items import OPEN, first_per_group
from simulation.mechanisms import formalism
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms.supervision import Exposure
from simulation.parameters import Parameters

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(reads="host abolished load_trend items.n items.owner items.status items.value")


@dataclass(frozen=True)
class Reported:
    """What self-reports show the government: open items, on-quota posts, the work handled."""

    items: float
    posts: float
    workload: float

    @classmethod
    def of(cls, gov: Government) -> Reported:
        open_items = float((gov.items.status[: gov.items.n] == OPEN).sum())
        posts = float(organisation.on_quota(gov)[gov.active].sum())
        return cls(open_items, posts, float(gov.load_trend.sum()))

    def bloat_since(self, last: Reported) -> float:
        """Growth of reported items, and of posts beyond the growth of work, since `last`."""
        items = self.items / max(last.items, 1.0) - 1.0
        work = self.workload / max(last.workload, 1e-9)
        posts = self.posts / max(last.posts, 1e-9) / max(work, 1e-9) - 1.0
        return max(items, posts)


class Campaigns:
    """Schedule and attention of the government's own reform rounds."""

    def __init__(self, params: Parameters):
        self.cp = params.campaigns
        self.params = params
        self.attention = 0.0
        self.last_month: int | None = None
        self.at_last: Reported | None = None

    def due(self, month: int, reported: Reported) -> bool:
        if self.last_month is None or self.at_last is None:
            return True
        elapsed = month - self.last_month
        if elapsed >= self.cp.interval_months:
            return True
        early = reported.bloat_since(self.at_last) > self.cp.bloat_trigger
        return elapsed >= self.cp.min_interval_months and early

    def fade(self) -> None:
        self.attention *= 0.5 ** (1.0 / self.cp.attention_half_life)

    def run(
        self, gov: Government, exp: Exposure, month: int, rng: np.random.Generator
    ) -> dict[str, Any]:
        """One round: cut items, merge bureaus, reset establishments and cut posts, abolish
        agencies without functions. Returns what it did."""
        chosen = lowest_value_items(gov, gov.active, self.cp.item_cut_share)
        cut, relabelled = formalism.cut(gov, chosen, exp, month, self.params.regrowth)
        candidates = np.flatnonzero(organisation.mergeable(gov))
        n_merge = int(round(self.cp.merge_share * len(candidates)))
        merged = (
            organisation.merge(gov, rng.choice(candidates, n_merge, replace=False))
            if n_merge
            else []
        )
        posts = organisation.reform_round(gov, self.cp.staff_cut_share, self.params)
        self.attention = 1.0
        self.last_month = month
        self.at_last = Reported.of(gov)
        return {"cut": cut, "relabelled": relabelled, "merged": merged, **posts}


def lowest_value_items(
    gov: Government,
    bureaus: np.ndarray,
    share: float,
    max_value: np.ndarray | None = None,
) -> np.ndarray:
    """The items each bureau in the mask gives up: `share` of its open items, lowest value first,
    and none worth more to it than `max_value` (per bureau, if given)."""
    items = gov.items
    rows = items.where(OPEN)
    host = gov.host[items.owner[rows]]
    keep = bureaus[host]
    if max_value is not None:
        keep &= items.value[rows] <= max_value[host]
    rows, host = rows[keep], host[keep]
    quota = np.floor(share * np.bincount(host, minlength=gov.n_departments) + 0.5).astype(int)
    return first_per_group(rows, host, quota, key=items.value[rows])
