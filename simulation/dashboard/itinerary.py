"""One applicant's journey through an approval chain, trip by trip, as the dashboard shows it."""

from __future__ import annotations

import html
from typing import Any

from simulation import catalogue as cat
from simulation.agents import Citizen, Enterprise
from simulation.model import ReformModel

MATTER_NAMES = [m.name for m in cat.MATTERS]


def applicant(model: ReformModel, matter: str, number: int) -> Citizen | Enterprise:
    """The `number`-th citizen (or firm, for a firm's matter), wrapping around the population."""
    kind = Enterprise if cat.MATTERS[cat.MATTER[matter]].applicant == "enterprise" else Citizen
    agents = model.agents_by_type[kind]
    return agents[number % len(agents)]


def follow(model: ReformModel, matter: str, number: int) -> dict[str, Any]:
    """Who is followed, and each leg of the matter with the running count of trips."""
    who = applicant(model, matter, number)
    legs, total, informal = [], 0, 0
    for leg in who.journey(matter):
        total += leg["trips"] + leg.get("informal", 0)
        informal += leg.get("informal", 0)
        legs.append({"informal": 0, **leg, "total": total})
    return {
        "who": f"{who.kind} #{who.index}",
        "county": who.county,
        "online": who.uses_platform(),
        "digital_ability": who.digital_ability,
        "expects": who.expectation,
        "history": who.trip_history,
        "legs": legs,
        "trips": total,
        "informal": informal,
    }


def summary(story: dict[str, Any], matter: str) -> str:
    """One sentence: who, what they want, what they expect and what it takes today."""
    how = "files online" if story["online"] else "goes in person"
    done = story["history"]
    return (
        f"{story['who']} (county {story['county']}, digital ability "
        f"{story['digital_ability']:.2f}, {how}) wants: {matter.replace('_', ' ')}. "
        f"Expects {story['expects']:.1f} trip(s); {done['trips']} trip(s) for "
        f"{done['matters']} matter(s) so far. Today this takes {story['trips']} trip(s)"
        + (
            f", {story['informal']} of them informal pre-visits the records leave out."
            if story["informal"]
            else "."
        )
    )


def table_html(story: dict[str, Any]) -> str:
    """The legs as an HTML table (escaped); a leg with zero trips is drawn faded."""
    head = (
        "<tr><th>#</th><th>where</th><th>trips</th><th>informal</th><th>so far</th>"
        "<th>why</th></tr>"
    )
    rows = []
    for n, leg in enumerate(story["legs"], 1):
        informal = leg.get("informal", 0)
        style = ' style="color:#999"' if leg["trips"] + informal == 0 else ""
        cells = (n, leg["where"], leg["trips"], informal, leg["total"], leg["why"])
        rows.append(
            f"<tr{style}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="6">nothing left to approve: no trip at all</td></tr>')
    return f'<table class="reform-journey">{head}{"".join(rows)}</table>'
