"""One applicant's journey through an approval chain, trip by trip (for the dashboard and
notebooks).

It reads the same chain cells as M2 (simulation/mechanisms/trips.py::count_trips) and applies
the same rules stop by stop, in chain order: a stop is one bureau at one level (merged bureaus
count once), visited in person unless everything it handles is online for this applicant; one
submission at the comprehensive window covers every window stop; a paper certificate that no
database serves is chased by window staff, or fetched by the applicant (there and back, or once
before an upload); every hidden step is a trip of its own. It shows a matter with nothing
missing: every certificate the chain demands still to be fetched, no omission (M2 draws those
per matter). Where a bureau takes informal pre-visits (formalism), the return with a fetched
certificate is one, which its records leave out (`informal`). tests/model/test_trips.py checks that
the legs add up to count_trips's trips for every matter type.

A leg says where and why as records (simulation/i18n.py `Said`: a message and its values), not
as sentences: the page that shows a leg renders it in its language (`Words.say`).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from simulation import catalogue as cat
from simulation.chains import ChainState
from simulation.government import Government
from simulation.i18n import Name, Said
from simulation.mechanisms.trips import CERTIFICATE_TRIPS_OFFLINE, CERTIFICATE_TRIPS_ONLINE
from simulation.parameters import Institutions

# what a leg says: each a message of the catalogues, its English words the message id
WINDOW = "comprehensive window"
ISSUING = "issuing bureaus"
INTERMEDIARY = "intermediary / pre-review"
BUREAU = "{bureau} ({level})"  # "housing_fund (city)"
BACK_OFFICE = "{name}: {count} item(s) handled by the back office"
COUNTER = "{count} item(s) at the bureau's own counter"
ONLINE = "{count} item(s) done online"
HIDDEN = "{count} hidden step(s) outside the window for {name}"
CHASED = "{count} paper certificate(s) for {name}: staff chase them"
FETCHED = "{count} paper certificate(s) for {name}: you fetch them"
PRE_VISIT = "informal pre-visit(s) before the counted one: not in the bureau's records"
MESSAGES = (WINDOW, ISSUING, INTERMEDIARY, BUREAU, BACK_OFFICE, COUNTER, ONLINE, HIDDEN)
MESSAGES += (CHASED, FETCHED, PRE_VISIT)


def journey(
    gov: Government,
    chains: ChainState,
    county: int,
    matter: int,
    online: bool,
    inst: Institutions,
) -> list[dict[str, Any]]:
    """A list of legs: where the applicant goes (or not) and why (records, `Said`), in chain
    order."""
    legs: list[dict[str, Any]] = []
    window_done = False
    for (bureau, level), cells in _stops(gov, chains, county, matter):
        domain = Name("bureau", cat.DOMAINS[gov.dept_domain[bureau]])
        name = Said(BUREAU, {"bureau": domain, "level": Said(cat.LEVELS[level])})
        total = sum(int(chains.open_items[county, matter, d, level]) for d in cells)
        offline = total - sum(int(chains.online_items[county, matter, d, level]) for d in cells)
        unshared = sum(int(chains.unshared[county, matter, d, level]) for d in cells)
        hidden = sum(int(chains.hidden_cells[county, matter, d, level]) for d in cells)
        in_window = bool(chains.window_cell[county, cells[0], level])
        goes = offline > 0 if online else total > 0
        if total and in_window:
            trips = 1 if goes and not window_done else 0
            window_done |= goes
            why = Said(BACK_OFFICE, {"name": name, "count": total})
            legs.append({"where": Said(WINDOW), "trips": trips, "why": why})
        elif total:
            why = Said(COUNTER if goes else ONLINE, {"count": total})
            legs.append({"where": name, "trips": int(goes), "why": why})
        if unshared:
            legs += _certificates(gov, bureau, name, unshared, in_window, online)
        if hidden:
            why = Said(HIDDEN, {"count": hidden, "name": name})
            legs.append({"where": Said(INTERMEDIARY), "trips": hidden, "why": why})
    return legs


def _stops(gov: Government, chains: ChainState, county: int, matter: int):
    """(bureau, level) -> the requesting domains whose cells it handles, in chain order: the
    matter's steps first, then any other domain with items on this chain (a merged bureau's new
    items), each stop once."""
    mt = cat.MATTERS[matter]
    order = [cat.DOMAIN[mt.steps[node].domain] for node in nx.topological_sort(mt.chain())]
    present = np.flatnonzero(
        (chains.open_items[county, matter] + chains.hidden_cells[county, matter]).sum(axis=1)
    )
    order += [int(d) for d in present if d not in order]
    stops: dict[tuple[int, int], list[int]] = {}
    for domain in dict.fromkeys(order):
        for level in range(3):
            if (
                chains.open_items[county, matter, domain, level]
                or chains.hidden_cells[county, matter, domain, level]
            ):
                bureau = int(chains.handler[county, domain, level])
                stops.setdefault((bureau, level), []).append(domain)
    return stops.items()


def _certificates(
    gov: Government, bureau: int, name: Said, unshared: int, in_window: bool, online: bool
) -> list[dict[str, Any]]:
    if in_window:
        why = Said(CHASED, {"count": unshared, "name": name})
        return [{"where": Said(ISSUING), "trips": 0, "why": why}]
    per = CERTIFICATE_TRIPS_ONLINE if online else CERTIFICATE_TRIPS_OFFLINE
    why = Said(FETCHED, {"count": unshared, "name": name})
    if online or not gov.pre_visits[bureau]:
        return [{"where": Said(ISSUING), "trips": per * unshared, "why": why}]
    informal = {"where": name, "trips": 0, "informal": unshared, "why": Said(PRE_VISIT)}
    return [{"where": Said(ISSUING), "trips": unshared, "why": why}, informal]
