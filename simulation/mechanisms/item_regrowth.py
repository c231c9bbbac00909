"""M5 Item regrowth: bureaus propose new items and bring cut ones back, openly or hidden.

New items answer new risks and tasks (legitimate: approved and registered, always open) and
self-interest (power, fees, rents: added without approval). Self-interested proposals and
restorations fall with deterrence, the expected loss of the best form an item could take: for an
open item outside the register, the yearly chance that it comes to light x penalty; for a hidden
one, the same for the hidden form plus what hiding costs (the value it loses and its upkeep).
Those chances come from the evidence watchers gather (M9), bureau by bureau. Each added or
restored item then takes the form worth most to its bureau by its own value and risk (a
pre-review, filing, intermediary service or extra material when hidden). The stock of rules
damps new rule births (rule density).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation import catalogue as cat
from simulation.government import Government, Touches, item_materials, item_values
from simulation.items import CUT, HIDDEN, NEW_TASK, OPEN, SELF_INTEREST
from simulation.mechanisms import formalism
from simulation.mechanisms.formalism import hidden_worth, open_worth
from simulation.mechanisms.observation import yearly
from simulation.mechanisms.supervision import Exposure
from simulation.parameters import RegrowthParams

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="host abolished items.n items.owner items.matter items.level items.value",
    writes="items.add items.status items.last_restored items.registered",
)


@dataclass
class Deterrence:
    """Per bureau: expected loss from adding or restoring an item of mean value."""

    level: np.ndarray
    sensitivity: float = 3.0

    @property
    def restraint(self) -> np.ndarray:
        """How much self-interested item growth survives deterrence (1 = none deterred)."""
        return np.exp(-self.sensitivity * self.level)


def deterrence(open_risk: np.ndarray, hidden_risk: np.ndarray, rp: RegrowthParams) -> Deterrence:
    """Deterrence from the yearly chances that an unapproved open item, and a hidden one, of each
    bureau comes to light."""
    cost_open = open_risk * rp.penalty
    cost_hidden = hidden_risk * rp.penalty + (1.0 - rp.hidden_value_share) + rp.hiding_cost
    return Deterrence(np.minimum(cost_open, cost_hidden), rp.deterrence_sensitivity)


def rule_density_damping(stock: np.ndarray, reference: float) -> np.ndarray:
    """Fewer new rules where many already exist (halved at the reference stock)."""
    return 1.0 / (1.0 + stock / reference)


def step(
    gov: Government,
    det: Deterrence,
    exp: Exposure,
    month: int,
    rng: np.random.Generator,
    rp: RegrowthParams,
) -> dict[str, int]:
    """One month of proposals and restorations; returns counts for the time series."""
    items = gov.items
    live = np.flatnonzero(items.status[: items.n] != CUT)
    host = gov.host[items.owner[live]]
    stock = np.bincount(host, minlength=gov.n_departments) * gov.active
    damping = rule_density_damping(stock, rp.rule_density_reference)
    pull = det.restraint
    task_rate = rp.new_task_items_annual / 12.0 * stock * damping
    self_rate = rp.self_interest_items_annual / 12.0 * stock * damping * gov.self_interest * pull
    n_task = rng.poisson(task_rate)
    n_self = rng.poisson(self_rate)
    tasks = _propose(gov, live, host, n_task, NEW_TASK, month, rng, rp)
    selfish = _propose(gov, live, host, n_self, SELF_INTEREST, month, rng, rp)
    _choose_forms(gov, selfish, exp, rp)
    restored = _restore(gov, exp, pull, month, rng, rp)
    reviewed = formalism.review_forms(gov, exp, month, rng, rp)
    return {
        "items_added": len(tasks) + len(selfish),
        "items_restored": restored + len(reviewed["reopened"]),
        "items_withdrawn": len(reviewed["withdrawn"]),
    }


def _propose(gov, live, host, counts, origin, month, rng, rp) -> np.ndarray:
    """Add `counts[b]` items to each bureau b, modelled on its existing items (same matter, level)
    and drawn as the items in force were (materials, value). New-task items are approved and
    registered; self-interested ones are not. Returns the rows."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, int)
    order = np.argsort(host, kind="stable")
    live, host = live[order], host[order]
    start = np.searchsorted(host, np.arange(gov.n_departments))
    size = np.bincount(host, minlength=gov.n_departments)
    bureau = np.repeat(np.arange(gov.n_departments), counts)
    template = live[start[bureau] + (rng.random(total) * size[bureau]).astype(int)]
    items = gov.items
    certificate = np.where(
        rng.random(total) < rp.new_item_certificate_share,
        rng.integers(0, len(cat.DOMAINS), total),
        -1,
    )
    return items.add(
        owner=bureau,
        matter=items.matter[template],
        level=items.level[template],
        status=np.full(total, OPEN),
        materials=item_materials(total, gov.params.government, rng),
        certificate=certificate,
        value=item_values(total, gov.params.government, rng),
        origin=np.full(total, origin),
        created=np.full(total, month),
        registered=np.full(total, origin == NEW_TASK),
    )


def _choose_forms(gov: Government, rows: np.ndarray, exp: Exposure, rp: RegrowthParams) -> None:
    """Unapproved items take the form worth most to their bureau: open or hidden."""
    gov.items.status[rows] = np.where(_hide(gov, rows, exp, rp), HIDDEN, OPEN)


def _hide(gov: Government, rows: np.ndarray, exp: Exposure, rp: RegrowthParams) -> np.ndarray:
    value = gov.items.value[rows].astype(float)
    as_open = open_worth(value, yearly(exp.of_items(gov, rows, hidden=False)), rp)
    as_hidden = hidden_worth(value, yearly(exp.of_items(gov, rows, hidden=True)), rp)
    return as_hidden > as_open


def _restore(gov, exp, pull, month, rng, rp) -> int:
    items = gov.items
    cut = items.where(CUT)
    if len(cut) == 0:
        return 0
    host = gov.host[items.owner[cut]]
    hazard = rp.restore_annual / 12.0 * items.value[cut] * gov.self_interest[host] * pull[host]
    back = cut[rng.random(len(cut)) < hazard * gov.active[host]]
    items.restore(back, month, _hide(gov, back, exp, rp))
    return len(back)
