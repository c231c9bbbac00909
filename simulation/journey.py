"""One applicant's journey through an approval chain, trip by trip (for the dashboard and
notebooks). It reads the same chain cells as M2, bureau by bureau in chain order. Where a bureau
has applicants come informally before the counted visit (formalism), a return with a fetched
certificate becomes an informal pre-visit (`informal`), which its records leave out."""

from __future__ import annotations

from typing import Any

import networkx as nx

from simulation import catalogue as cat
from simulation.chains import ChainState
from simulation.government import Government


def journey(
    gov: Government,
    chains: ChainState,
    county: int,
    matter: int,
    online: bool,
    inst: dict[str, Any],
) -> list[dict[str, Any]]:
    """A list of legs: where the applicant goes (or not) and why, in chain order."""
    mt = cat.MATTERS[matter]
    legs: list[dict[str, Any]] = []
    window_done = False
    seen: set[int] = set()
    for node in nx.topological_sort(mt.chain()):
        domain = cat.DOMAIN[mt.steps[node].domain]
        for level in range(3):
            open_items = int(chains.open_items[county, matter, domain, level])
            hidden = int(chains.hidden_cells[county, matter, domain, level])
            if open_items == 0 and hidden == 0:
                continue
            bureau = int(chains.handler[county, domain, level])
            name = f"{cat.DOMAINS[gov.dept_domain[bureau]]} ({cat.LEVELS[level]})"
            offline = open_items - int(chains.online_items[county, matter, domain, level])
            in_window = bool(chains.window_cell[county, domain, level])
            if bureau not in seen and open_items:
                seen.add(bureau)
                if online and offline == 0:
                    legs.append(
                        {"where": name, "trips": 0, "why": f"{open_items} item(s) done online"}
                    )
                elif in_window:
                    legs.append(
                        {
                            "where": "comprehensive window",
                            "trips": 0 if window_done else 1,
                            "why": f"{name}: {open_items} item(s) handled by the back office",
                        }
                    )
                    window_done = True
                else:
                    legs.append(
                        {
                            "where": name,
                            "trips": 1,
                            "why": f"{open_items} item(s) at the bureau's own counter",
                        }
                    )
            unshared = int(chains.unshared[county, matter, domain, level])
            if unshared:
                trips = 0 if in_window else (1 if online else 2)
                who = "staff chase" if in_window else "you fetch"
                legs.append(
                    {
                        "where": "issuing bureaus",
                        "trips": trips * unshared,
                        "why": f"{unshared} paper certificate(s) for {name}: {who} them",
                    }
                )
                if trips == 2 and gov.pre_visits[bureau]:
                    legs[-1]["trips"] = unshared  # the fetching trips
                    legs.append(
                        {
                            "where": name,
                            "trips": 0,
                            "informal": unshared,
                            "why": "informal pre-visit(s) before the counted one: not in the "
                            "bureau's records",
                        }
                    )
            if hidden:
                legs.append(
                    {
                        "where": "intermediary / pre-review",
                        "trips": hidden,
                        "why": f"{hidden} hidden step(s) outside the window for {name}",
                    }
                )
    return legs
