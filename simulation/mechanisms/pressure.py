"""M9 Pressure: what a bureau feels, and what it does when pressure beats its resistance.

Felt pressure accumulates the watchers' signals (complaints, rankings, target shortfall, visible
delay, exposures, campaigns) and decays. Resistance grows with self-interest, with overload and
with the share of the bureau's budget that its items' fees bring.
Changes that cost a bureau more need more pressure: process changes (join the window, put items
online, open the data silo) come cheapest, mergers next, giving up or devolving items dearest.
Pressure without technology still moves bureaus into the window, which shifts work onto staff.
Where real change is out of reach or dearer than looking changed, pressure breeds formalism
(paper cuts, informal pre-visits: simulation/mechanisms/formalism.py).
"""

from __future__ import annotations

import numpy as np

from simulation.government import Government, Touches
from simulation.items import OPEN
from simulation.mechanisms import data_sharing, devolution, formalism
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms.campaigns import lowest_value_items
from simulation.mechanisms.supervision import Exposure, Target
from simulation.mechanisms.technology import Technology, put_items_online
from simulation.mechanisms.workload import overload
from simulation.parameters import DepartmentParams, Institutions, Parameters

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="host abolished fees budget items.n items.owner items.status items.online",
    writes="pressure in_window",
)


def feel(gov: Government, signal: np.ndarray, memory: float) -> None:
    gov.pressure = memory * gov.pressure + signal * gov.active


def resistance(gov: Government, dp: DepartmentParams) -> np.ndarray:
    """Self-interest, overload and the share of the budget that fees bring all stiffen a bureau."""
    fee_share = np.divide(gov.fees, gov.budget, out=np.zeros_like(gov.fees), where=gov.budget > 0)
    return (
        dp.resistance
        * gov.self_interest
        * (1.0 + dp.overload_resistance * overload(gov))
        * (1.0 + fee_share)
    )


def willing(
    gov: Government, cost: float, resist: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Bureaus that act this month on a change costing `cost` units of resistance."""
    excess = gov.pressure - cost * resist
    chance = 1.0 - np.exp(-np.maximum(excess, 0.0) / np.maximum(resist, 1e-9))
    return gov.active & (excess > 0) & (rng.random(gov.n_departments) < chance)


def respond(
    gov: Government,
    tech: Technology,
    inst: Institutions,
    exp: Exposure,
    target: Target,
    rng: np.random.Generator,
    params: Parameters,
    month: int,
) -> dict[str, np.ndarray]:
    """Pressed bureaus change process, organisation or functions, for real or on paper.

    Returns, per kind of change, the bureaus that made it this month, and under `*_items` the
    items that changed (cut, relabelled, devolved, put online)."""
    dp = params.departments
    resist = resistance(gov, dp)
    process = willing(gov, dp.process_cost, resist, rng)
    lever = real_lever(gov, tech, inst)
    organisational = willing(gov, dp.organisational_cost, resist, rng)
    functional = willing(gov, dp.functional_cost, resist, rng)
    done: dict[str, np.ndarray] = {}

    if inst.one_window:
        joining = process & ~gov.in_window
        gov.in_window |= joining
        done["join_window"] = np.flatnonzero(joining)
    if tech.platform:
        advantage = resist * (1.0 + dp.information_advantage)
        done["open_data"] = data_sharing.open_silos(gov, process, tech.database_ready, advantage)
        # overloaded bureaus put items online unpressed: it saves their own staff's effort
        tired = rng.random(gov.n_departments) < dp.self_adoption_rate * overload(gov)
        going_online = gov.active & (process | tired)
        rows = put_items_online(gov, np.flatnonzero(going_online), tech.online_cap, dp.action_step)
        done["put_online_items"] = rows
        done["put_online"] = _bureaus_of(gov, rows)
    if target.on_records:
        excess = (gov.pressure - dp.process_cost * resist) / np.maximum(resist, 1e-9)
        done["pre_visits"] = formalism.take_up_pre_visits(
            gov, process, target.short, lever, excess, exp, params.regrowth.penalty
        )
    overloaded_in_window = organisational & gov.in_window & (overload(gov) > 0)
    done["merge"] = np.asarray(organisation.merge(gov, np.flatnonzero(overloaded_in_window)), int)
    # an item is given up only if the pressure beyond resistance outweighs what it is worth
    worth_giving = (gov.pressure - dp.functional_cost * resist) / np.maximum(resist, 1e-9)
    chosen = lowest_value_items(gov, functional, dp.action_step, worth_giving)
    rows, relabelled = formalism.cut(gov, chosen, exp, month, params.regrowth)
    done["cut_items"], done["relabelled_items"] = rows, relabelled
    done["cut"] = _bureaus_of(gov, np.concatenate([rows, relabelled]))
    if inst.run_nearby:
        follow = dp.devolution_staff_follow
        rows = devolution.devolve(gov, functional, dp.action_step, follow)
        done["devolve_items"], done["devolve"] = rows, _bureaus_of(gov, rows)
    return done


def real_lever(gov: Government, tech: Technology, inst: Institutions) -> np.ndarray:
    """Bureaus that could still cut applicants' trips for real: join a window, put more items
    online (within what technology allows), or open a data silo a database could serve."""
    lever = ~gov.in_window if inst.one_window else np.zeros(gov.n_departments, bool)
    if tech.platform:
        lever = (
            lever
            | (online_share(gov) < tech.online_cap)
            | data_sharing.can_open(gov, tech.database_ready)
        )
    return lever & gov.active


def online_share(gov: Government) -> np.ndarray:
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] == OPEN)
    host = gov.host[items.owner[rows]]
    total = np.bincount(host, minlength=gov.n_departments)
    online = np.bincount(host, weights=items.online[rows], minlength=gov.n_departments)
    return np.divide(online, total, out=np.ones(gov.n_departments), where=total > 0)


def _bureaus_of(gov: Government, rows: np.ndarray) -> np.ndarray:
    return np.unique(gov.host[gov.items.owner[rows]])
