"""M5 Item regrowth: bureaus propose new items and bring cut ones back, openly or hidden.

New items answer new risks and tasks (legitimate, always open) and self-interest (power, fees,
rents). Self-interested proposals and restorations fall with deterrence = chance of exposure over
a year x penalty; a bureau picks the form (open, or hidden as a pre-review, filing, intermediary
service or extra material) that its watchers are least likely to expose. The stock of rules damps
new rule births (rule density).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulation import catalogue as cat
from simulation.government import Government
from simulation.items import CUT, HIDDEN, NEW_TASK, OPEN, SELF_INTEREST


@dataclass
class Deterrence:
    """Per bureau: expected loss from adding or restoring an item, and the form it would choose."""

    level: np.ndarray
    hide: np.ndarray
    sensitivity: float = 3.0
    outside: np.ndarray | None = None  # the part of `level` owed to watchers outside the government

    @property
    def restraint(self) -> np.ndarray:
        """How much self-interested item growth survives deterrence (1 = none deterred)."""
        return np.exp(-self.sensitivity * self.level)

    @property
    def outside_restraint(self) -> np.ndarray:
        """The same, counting only outside watchers: padding posts is no offence to a government
        that judges itself, so only surveys, complaints and tracking can expose it."""
        outside = np.zeros_like(self.level) if self.outside is None else self.outside
        return np.exp(-self.sensitivity * outside)


def deterrence(
    p_open: np.ndarray,
    p_hidden: np.ndarray,
    rp: dict[str, Any],
    p_outside: np.ndarray | None = None,
) -> Deterrence:
    """Deterrence from monthly exposure chances of open and hidden items (yearly horizon);
    `p_outside` is the monthly chance that outside watchers expose self-serving growth."""
    yearly_open = 1.0 - (1.0 - p_open) ** 12
    yearly_hidden = 1.0 - (1.0 - p_hidden) ** 12
    cost_open = yearly_open * rp["penalty"]
    cost_hidden = yearly_hidden * rp["penalty"] + (1.0 - rp["hidden_value_share"])
    outside = None if p_outside is None else (1.0 - (1.0 - p_outside) ** 12) * rp["penalty"]
    level = np.minimum(cost_open, cost_hidden)
    return Deterrence(level, cost_hidden < cost_open, rp["deterrence_sensitivity"], outside)


def rule_density_damping(stock: np.ndarray, reference: float) -> np.ndarray:
    """Fewer new rules where many already exist (halved at the reference stock)."""
    return 1.0 / (1.0 + stock / reference)


def step(
    gov: Government, det: Deterrence, month: int, rng: np.random.Generator, params: dict[str, Any]
) -> dict[str, int]:
    """One month of proposals and restorations; returns counts for the time series."""
    rp = params["regrowth"]
    items = gov.items
    live = np.flatnonzero(items.status[: items.n] != CUT)
    host = gov.host[items.owner[live]]
    stock = np.bincount(host, minlength=gov.n_departments) * gov.active
    damping = rule_density_damping(stock, rp["rule_density_reference"])
    pull = det.restraint
    task_rate = rp["new_task_items_annual"] / 12.0 * stock * damping
    self_rate = rp["self_interest_items_annual"] / 12.0 * stock * damping * gov.self_interest * pull
    n_task = rng.poisson(task_rate)
    n_self = rng.poisson(self_rate)
    added_task = _propose(
        gov, live, host, n_task, NEW_TASK, np.zeros(gov.n_departments, bool), month, rng, rp
    )
    added_self = _propose(gov, live, host, n_self, SELF_INTEREST, det.hide, month, rng, rp)
    restored = _restore(gov, det, pull, month, rng, rp)
    return {"items_added": added_task + added_self, "items_restored": restored}


def _propose(gov, live, host, counts, origin, hide, month, rng, rp) -> int:
    """Add `counts[b]` items to each bureau b, modelled on its existing items (same matter, level)."""
    total = int(counts.sum())
    if total == 0:
        return 0
    order = np.argsort(host, kind="stable")
    live, host = live[order], host[order]
    start = np.searchsorted(host, np.arange(gov.n_departments))
    size = np.bincount(host, minlength=gov.n_departments)
    bureau = np.repeat(np.arange(gov.n_departments), counts)
    template = live[start[bureau] + (rng.random(total) * size[bureau]).astype(int)]
    items = gov.items
    certificate = np.where(
        rng.random(total) < rp["new_item_certificate_share"],
        rng.integers(0, len(cat.DOMAINS), total),
        -1,
    )
    items.add(
        owner=bureau,
        matter=items.matter[template],
        level=items.level[template],
        status=np.where(hide[bureau], HIDDEN, OPEN),
        materials=1 + rng.poisson(1.0, total),
        certificate=certificate,
        value=rng.lognormal(-0.125, 0.5, total),
        origin=np.full(total, origin),
        created=np.full(total, month),
        devolved=items.devolved[template],
    )
    return total


def _restore(gov, det, pull, month, rng, rp) -> int:
    items = gov.items
    cut = items.where(CUT)
    if len(cut) == 0:
        return 0
    host = gov.host[items.owner[cut]]
    hazard = rp["restore_annual"] / 12.0 * items.value[cut] * gov.self_interest[host] * pull[host]
    back = cut[rng.random(len(cut)) < hazard * gov.active[host]]
    items.restore(back, month, det.hide[gov.host[items.owner[back]]])
    return len(back)
