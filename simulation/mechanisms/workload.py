"""M3 Back-office workload: staff effort per item handled, certificate chasing, queues.

Each item of each matter costs its handling bureau staff hours, a hidden requirement as much as
an open one; technology saves part of it on online items. A certificate that no database serves is chased by staff when the bureau sits in a
window (the applicant no longer runs, the staff do). Work beyond capacity (staff x productivity)
waits in a backlog, which applicants meet as waiting days.
"""

from __future__ import annotations

import numpy as np

from simulation.chains import ChainState
from simulation.government import Government, Touches
from simulation.parameters import GovernmentParams, Institutions, Parameters

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="staff off_quota",
    writes="load load_trend capacity backlog waiting_days fees budget work_seen",
)


def monthly_load(
    gov: Government,
    chains: ChainState,
    matters: np.ndarray,
    technology: float,
    params: Parameters,
) -> np.ndarray:
    """Staff-hours arriving at each bureau from `matters` (represented, per county x type)."""
    gp = params.government
    saving = params.technology.effort_saving * technology
    items = chains.open_items + chains.hidden_cells
    effort = gp.effort_hours_per_item * (items - saving * chains.online_items)
    chase = gp.chase_hours_per_certificate * chains.unshared * chains.window_cell[:, None]
    desk = gp.window_hours_per_matter * (chains.open_items > 0) * chains.window_cell[:, None]
    per_cell = matters[:, :, None, None] * (effort + chase + desk)  # (K, M, D, 3)
    return per_bureau(gov, chains, per_cell)


def record_work(
    gov: Government,
    chains: ChainState,
    matters: np.ndarray,
    technology: float,
    inst: Institutions,
    params: Parameters,
) -> None:
    """The share of each bureau's load that sits on a record outsiders read (`work_seen`).

    A published power list shows every open item a bureau holds, and the province's statistics
    show how many matters need it, so the work of its open items is plain; a platform that logs
    every step shows the work of its online items and its window desks. Hidden steps, certificate
    chasing and paper work without a list are known only from the bureau's own reports. A bureau
    left with no work is plainly empty wherever such a record exists."""
    gp = params.government
    saving = params.technology.effort_saving * technology
    items = chains.open_items if inst.public_item_list else 0.0
    if inst.platform:
        items = np.maximum(items, chains.online_items)
    effort = gp.effort_hours_per_item * (items - saving * chains.online_items * (items > 0))
    desk = gp.window_hours_per_matter * (chains.open_items > 0) * chains.window_cell[:, None]
    seen = per_bureau(gov, chains, matters[:, :, None, None] * (effort + desk * inst.platform))
    empty = 1.0 if (inst.public_item_list or inst.platform) else 0.0
    share = np.divide(seen, gov.load, out=np.full(gov.n_departments, empty), where=gov.load > 0)
    gov.work_seen = np.clip(share, 0.0, 1.0)


def per_bureau(gov: Government, chains: ChainState, per_cell: np.ndarray) -> np.ndarray:
    """Sum a (K, M, D, 3) array of the chains' cells over the bureau that handles each cell."""
    handler = np.broadcast_to(chains.handler[:, None], per_cell.shape).ravel()
    return np.bincount(handler, weights=per_cell.ravel(), minlength=gov.n_departments)


def fee_income(
    gov: Government, chains: ChainState, matters: np.ndarray, fee_per_item: float
) -> np.ndarray:
    """Fees each bureau collects: every item handled (open or hidden) earns one fee."""
    handled = matters[:, :, None, None] * (chains.open_items + chains.hidden_cells)
    return fee_per_item * per_bureau(gov, chains, handled)


def update_budget(gov: Government, fees: np.ndarray, post_cost: float) -> None:
    """A bureau's monthly budget: the appropriation for its authorised posts plus the fees its
    items bring (which also pay its off-quota staff, M6)."""
    gov.fees = fees
    gov.budget = (gov.staff - gov.off_quota) * post_cost + fees


def matters_passing(gov: Government, chains: ChainState, matters: np.ndarray) -> np.ndarray:
    """Matters that passed each bureau (a matter passes every bureau with an open item on its chain)."""
    passing = matters[:, :, None, None] * (chains.open_items > 0)
    return per_bureau(gov, chains, passing)


def chase_hours(chains: ChainState, matters: np.ndarray, gp: GovernmentParams) -> float:
    """Staff-hours spent chasing certificates this month (a diagnostic of one window without data)."""
    per_cell = chains.unshared * chains.window_cell[:, None]
    return float((matters[:, :, None, None] * per_cell).sum() * gp.chase_hours_per_certificate)


def start(gov: Government, load: np.ndarray, productivity: float) -> None:
    """At set-up: bureaus plan on the expected load, with the capacity their staff give."""
    gov.load_trend = load
    gov.capacity = gov.staff * productivity


def step(gov: Government, load: np.ndarray, gp: GovernmentParams) -> None:
    """Queue the month's work; backlog beyond capacity becomes waiting days. Bureaus plan on the
    trend of their load (`load_memory`), not one month's noise."""
    gov.load = load
    gov.load_trend = gp.load_memory * gov.load_trend + (1.0 - gp.load_memory) * load
    gov.capacity = np.maximum(gov.staff * gp.productivity_hours, 1e-9)
    gov.backlog = np.maximum(0.0, gov.backlog + load - gov.capacity)
    gov.waiting_days = 30.0 * gov.backlog / gov.capacity


def overload(gov: Government) -> np.ndarray:
    """Recent work above capacity, as a share of capacity (0 when within capacity).

    Bureaus judge by the trend of their load, not one month's noise."""
    return np.maximum(0.0, gov.load_trend / gov.capacity - 1.0)
