"""Approval chains as they stand this month, seen from each county (docs/ODD.md 'Approval chains').

Every item belongs to one bureau and one matter type and applies to the counties under its
owner's unit. Summed per county x matter x domain x level ("cells"), they give what an applicant
from county k meets when doing matter m: which bureaus to visit, which certificates to fetch,
which hidden steps to take. Trips (M2), workload (M3) and complaints (M8) all read this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation import catalogue as cat
from simulation.government import D, Government, M
from simulation.items import OPEN


@dataclass
class ChainState:
    """Per county x matter (and per cell) quantities of the current approval chains."""

    open_items: np.ndarray  # (K, M, D, 3) open items by requesting domain and handling level
    online_items: np.ndarray  # (K, M, D, 3) of which online
    handler: np.ndarray  # (K, D, 3) bureau that handles a cell (after merges)
    unshared: np.ndarray  # (K, M, D, 3) certificates the cell demands that no database serves
    e_licences: np.ndarray  # (K, M) certificates the chain demands that a database serves
    hidden_cells: np.ndarray  # (K, M, D, 3) hidden items by cell
    hidden: np.ndarray  # (K, M) hidden items (pre-reviews, filings, intermediaries, extra papers)
    materials: np.ndarray  # (K, M) materials asked by open and hidden items
    pre_visit_share: np.ndarray  # (K, M) share of the open items handled by bureaus that have
    # applicants come informally before the counted visit (formalism)
    visits: dict[str, np.ndarray]  # (K, M) distinct bureaus to visit, by window / offline
    certificates: dict[str, np.ndarray]  # (K, M) unshared certificates at window / other bureaus
    items_outside_window: np.ndarray  # (K, M) open items handled by bureaus outside the window
    offline_items_outside_window: np.ndarray  # (K, M) of which not online
    travel_hours: dict[str, np.ndarray]  # (K, M) travel per trip pattern
    waiting_days: np.ndarray  # (K, M) queue waiting along the chain
    window_cell: np.ndarray  # (K, D, 3) whether a cell's handler sits in the window


def build_chains(gov: Government, database_ready: np.ndarray, platform: bool) -> ChainState:
    """Aggregate the live items into what each county's applicants face this month."""
    gp = gov.params.government
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] != 2)
    owner = items.owner[rows]
    key = (
        (gov.dept_unit[owner] * M + items.matter[rows]) * D + gov.dept_domain[owner]
    ) * 3 + items.level[rows]
    is_open = items.status[rows] == OPEN
    size = gov.n_units * M * D * 3
    by_unit = (gov.n_units, M, D, 3)

    def per_county(values: np.ndarray) -> np.ndarray:
        unit = values.reshape(by_unit)
        h = gov.hierarchy
        return unit[h[:, 0]] + unit[h[:, 1]] + unit[h[:, 2]]

    open_c = per_county(np.bincount(key[is_open], minlength=size))
    online_c = per_county(np.bincount(key[is_open & items.online[rows]], minlength=size))
    hidden_c = per_county(np.bincount(key[~is_open], minlength=size))
    materials_c = per_county(np.bincount(key, weights=items.materials[rows], minlength=size))

    units = gov.hierarchy[:, None, :]  # (K, 1, 3)
    handler = gov.host[gov.dept(np.arange(D)[None, :, None], units)]  # (K, D, 3)
    window_cell = gov.in_window[handler]

    unshared, e_licences = _certificates(gov, rows, key, is_open, handler, database_ready, platform)

    visits, travel, waiting = _visits(gov, open_c, online_c, handler, window_cell, gp)
    cert_in = unshared * window_cell[:, None]
    open_km = open_c.sum(axis=(2, 3))
    informal = (open_c * gov.pre_visits[handler][:, None]).sum(axis=(2, 3))
    return ChainState(
        open_items=open_c,
        online_items=online_c,
        handler=handler,
        unshared=unshared,
        e_licences=e_licences,
        hidden_cells=hidden_c,
        hidden=hidden_c.sum(axis=(2, 3)),
        materials=materials_c.sum(axis=(2, 3)),
        pre_visit_share=np.divide(
            informal, open_km, out=np.zeros(open_km.shape), where=open_km > 0
        ),
        visits=visits,
        certificates={
            "window": cert_in.sum(axis=(2, 3)),
            "outside": (unshared - cert_in).sum(axis=(2, 3)),
        },
        items_outside_window=(open_c * ~window_cell[:, None]).sum(axis=(2, 3)),
        offline_items_outside_window=((open_c - online_c) * ~window_cell[:, None]).sum(axis=(2, 3)),
        travel_hours=travel,
        waiting_days=waiting,
        window_cell=window_cell,
    )


def _certificates(gov, rows, key, is_open, handler, database_ready, platform):
    """Certificates demanded per cell that the applicant or staff must still carry by hand, and
    per county x matter those a shared database serves (e-licences: on record).

    Works per certificate-bearing open item (a few hundred), each expanded to the counties its
    owner's unit covers."""
    cert = gov.items.certificate[rows]
    has = is_open & (cert >= 0)
    h = gov.hierarchy
    # the issuer is the applicant's county bureau of that domain (after merges)
    issuer = gov.host[gov.dept(np.arange(D)[None, :], h[:, 2][:, None])]  # (K, I)
    served = np.zeros_like(issuer, dtype=bool)
    if platform:
        db = np.array([cat.database_of(i) for i in range(D)])
        served = gov.shares_data[issuer] & database_ready[db][None, :]
    internal = handler[:, :, :, None] == issuer[:, None, None, :]  # (K, D, 3, I)
    carried = ~(served[:, None, None, :] | internal)
    k_of, c_of = key[has], cert[has]  # key = ((unit * M + matter) * D + domain) * 3 + level
    unit, rest = k_of // (M * D * 3), k_of % (M * D * 3)
    matter, domain, level = rest // (D * 3), (rest // 3) % D, rest % 3
    item, county = np.nonzero(gov.cover[unit])  # each item x each county its unit covers
    keep = carried[county, domain[item], level[item], c_of[item]]
    cell = ((county * M + matter[item]) * D + domain[item]) * 3 + level[item]
    K = gov.n_counties
    out = np.bincount(cell, weights=keep, minlength=K * M * D * 3)
    digital = served[county, c_of[item]]
    e_licences = np.bincount(county * M + matter[item], weights=digital, minlength=K * M)
    return out.reshape(K, M, D, 3).astype(np.int64), e_licences.reshape(K, M)


def _visits(gov, open_c, online_c, handler, window_cell, gp):
    """Distinct bureaus an applicant meets, merged bureaus counting once, split by window."""
    K = gov.n_counties
    eff_domain = gov.dept_domain[handler]  # (K, D, 3)
    k_idx = np.arange(K)[:, None, None, None]
    m_idx = np.arange(M)[None, :, None, None]
    lvl = np.arange(3)[None, None, None, :]
    merged_key = (((k_idx * M + m_idx) * D + eff_domain[:, None]) * 3 + lvl).ravel()
    size = K * M * D * 3

    def distinct(weights: np.ndarray) -> np.ndarray:
        return (
            np.bincount(merged_key, weights=weights.ravel(), minlength=size).reshape(K, M, D, 3) > 0
        )

    # window flag and queue of each merged cell's bureau (the host at that unit)
    host_cell = gov.dept(np.arange(D)[None, :, None], gov.hierarchy[:, None, :])  # (K, D, 3)
    win = gov.in_window[host_cell][:, None]
    wait = np.minimum(gov.waiting_days[host_cell], gp.max_waiting_days)[:, None]
    dist = np.asarray(gp.travel_hours, float)

    any_visit = distinct(open_c)
    offline_visit = distinct(open_c - online_c)
    visits = {
        "window": (any_visit & win).sum(axis=(2, 3)),
        "outside": (any_visit & ~win).sum(axis=(2, 3)),
        "offline_window": (offline_visit & win).sum(axis=(2, 3)),
        "offline_outside": (offline_visit & ~win).sum(axis=(2, 3)),
    }
    window_levels = (any_visit & win).any(axis=2)  # (K, M, 3)
    travel = {
        "outside": ((any_visit & ~win) * dist).sum(axis=(2, 3)),
        "window": (window_levels * dist).max(axis=2),
    }
    parallel = gp.window_parallel_factor
    waiting = ((any_visit & ~win) * wait).sum(axis=(2, 3)) + parallel * (
        (any_visit & win) * wait
    ).sum(axis=(2, 3))
    return visits, travel, waiting
