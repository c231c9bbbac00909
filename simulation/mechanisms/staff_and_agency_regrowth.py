"""M6 Staff and agency regrowth: Parkinson drift, hiring to overload, splits and new agencies.

Staff grow by a baseline drift (empire building) and with work above capacity. Agencies split when
their scope or staff get large, and new ones appear for new policy fields. A merged agency left
overloaded (no workload relief) tends to split again, which undoes the merger. Empire building is
self-interest like an unneeded item: the same deterrence that holds items back (M5) restrains the
drift and load-free splits, while hiring for real overload and new fields go on regardless.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulation import catalogue as cat
from simulation.government import Government
from simulation.mechanisms.workload import overload


def staff_floor(gov: Government, params: dict[str, Any]) -> np.ndarray:
    return gov.agencies * params["government"]["min_staff_per_agency"]


def step(
    gov: Government, restraint: np.ndarray, rng: np.random.Generator, params: dict[str, Any]
) -> dict[str, list[int]]:
    """Grow staff, split agencies, found new ones. Returns the bureaus that split or grew agencies.

    `restraint` (0-1 per bureau) is exp(-k x deterrence): 1 where nobody could expose padding."""
    sp, gp = params["staffing"], params["government"]
    active = gov.active
    shortfall = np.maximum(0.0, gov.load_trend / gp["productivity_hours"] - gov.staff)
    drift = sp["parkinson_annual"] / 12.0 * gov.self_interest * restraint
    gov.staff = np.where(active, gov.staff * (1.0 + drift) + sp["overload_hiring"] * shortfall, 0.0)

    per_agency = gov.staff / np.maximum(gov.agencies, 1)
    pull = restraint + overload(gov)
    p_split = sp["split_annual"] / 12.0 * (per_agency / sp["split_reference_staff"]) * pull
    splitting = np.flatnonzero(active & (rng.random(gov.n_departments) < p_split))
    unmerged = [b for b in splitting if split(gov, b, params)]
    founded = found_agencies(gov, rng.poisson(sp["new_field_agencies_annual"] / 12.0), rng, params)
    gov.staff = np.where(gov.active, np.maximum(gov.staff, staff_floor(gov, params)), 0.0)
    return {"split": list(splitting), "unmerged": unmerged, "founded": founded}


def split(gov: Government, bureau: int, params: dict[str, Any]) -> bool:
    """Split one agency off `bureau`. A bureau hosting merged ones gives one back (True)."""
    guests = np.flatnonzero((gov.host == bureau) & (np.arange(gov.n_departments) != bureau))
    if len(guests):
        guest = guests[0]
        moved = gov.staff[bureau] / max(gov.agencies[bureau], 1.0)
        gov.host[guest] = guest
        gov.agencies[bureau] = max(1.0, gov.agencies[bureau] - 1.0)
        gov.agencies[guest] = 1.0
        gov.staff[bureau] -= moved
        gov.staff[guest] = moved
        gov.in_window[guest] = gov.in_window[bureau]
        gov.shares_data[guest] = gov.shares_data[bureau]
        return True
    gov.agencies[bureau] += 1.0
    gov.staff[bureau] += params["staffing"]["new_agency_staff"]
    return False


def found_agencies(
    gov: Government, count: int, rng: np.random.Generator, params: dict[str, Any]
) -> list[int]:
    """New agencies for new policy fields, placed in province and city bureaus."""
    upper = np.flatnonzero(gov.active & (gov.dept_level < cat.COUNTY))
    chosen = list(rng.choice(upper, size=min(count, len(upper)), replace=False)) if count else []
    for bureau in chosen:
        gov.agencies[bureau] += 1.0
        gov.staff[bureau] += params["staffing"]["new_agency_staff"]
    return chosen


def mergeable(gov: Government) -> np.ndarray:
    """Active bureaus whose domain has a big-department host that is itself active at the same unit."""
    host_domain = np.array([cat.DOMAIN.get(cat.MERGE_HOST.get(d, ""), -1) for d in cat.DOMAINS])
    target = host_domain[gov.dept_domain]
    has = target >= 0
    host = np.where(has, gov.dept(np.maximum(target, 0), gov.dept_unit), 0)
    return gov.active & has & gov.active[host] & (host != np.arange(gov.n_departments))


def merge(gov: Government, bureaus: np.ndarray) -> list[int]:
    """Big-department reform: each bureau joins its host (staff, agencies and guests move with it)."""
    host_domain = np.array([cat.DOMAIN.get(cat.MERGE_HOST.get(d, ""), -1) for d in cat.DOMAINS])
    merged = []
    for bureau in bureaus:
        if not mergeable(gov)[bureau]:
            continue
        host = gov.dept(host_domain[gov.dept_domain[bureau]], gov.dept_unit[bureau])
        gov.host[gov.host == bureau] = host
        gov.staff[host] += gov.staff[bureau]
        gov.backlog[host] += gov.backlog[bureau]
        gov.agencies[host] += gov.agencies[bureau] - 1.0
        # an open silo or a window desk stays open inside the merged bureau
        gov.shares_data[host] |= gov.shares_data[bureau]
        gov.in_window[host] |= gov.in_window[bureau]
        gov.staff[bureau] = gov.backlog[bureau] = gov.agencies[bureau] = 0.0
        merged.append(int(bureau))
    return merged
