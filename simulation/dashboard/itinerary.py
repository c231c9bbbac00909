"""One applicant's journey through an approval chain, trip by trip, as the dashboard shows it.

The legs come from the model (simulation/journey.py) as records, a message and its values; the
table renders them in the page's language (`Words.say`, simulation/i18n.py).
"""

from __future__ import annotations

import html
from typing import Any

from simulation import catalogue as cat
from simulation.agents import Citizen, Enterprise
from simulation.i18n import Words
from simulation.model import ReformModel

MATTER_NAMES = [m.name for m in cat.MATTERS]
HEADINGS = ("where", "trips", "informal", "so far", "why")


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
        "kind": who.kind,
        "index": who.index,
        "county": who.county,
        "online": who.uses_platform(),
        "digital_ability": who.digital_ability,
        "expects": who.expectation,
        "history": who.trip_history,
        "legs": legs,
        "trips": total,
        "informal": informal,
    }


def summary(story: dict[str, Any], matter: str, words: Words) -> str:
    """One sentence: who, what they want, what they expect and what it takes today."""
    _ = words
    done = story["history"]
    if story["informal"]:
        said = _(
            "{who} (county {county}, digital ability {ability}, {how}) wants: {matter}. "
            "Expects {expects} trip(s); {trips} trip(s) for {matters} matter(s) so far. Today "
            "this takes {today} trip(s), {informal} of them informal pre-visits the records "
            "leave out."
        )
    else:
        said = _(
            "{who} (county {county}, digital ability {ability}, {how}) wants: {matter}. "
            "Expects {expects} trip(s); {trips} trip(s) for {matters} matter(s) so far. Today "
            "this takes {today} trip(s)."
        )
    return said.format(
        who=_("{kind} #{index}").format(kind=_(story["kind"]), index=story["index"]),
        county=story["county"],
        ability=f"{story['digital_ability']:.2f}",
        how=_("files online") if story["online"] else _("goes in person"),
        matter=_.term("matter", matter, matter.replace("_", " ")),
        expects=f"{story['expects']:.1f}",
        trips=done["trips"],
        matters=done["matters"],
        today=story["trips"],
        informal=story["informal"],
    )


def table_html(story: dict[str, Any], words: Words) -> str:
    """The legs as an HTML table (escaped); a leg with zero trips is drawn faded."""
    _ = words
    head = "<tr><th>#</th>" + "".join(f"<th>{html.escape(_(h))}</th>" for h in HEADINGS) + "</tr>"
    rows = []
    for n, leg in enumerate(story["legs"], 1):
        informal = leg.get("informal", 0)
        style = ' style="color:#999"' if leg["trips"] + informal == 0 else ""
        cells = (n, _.say(leg["where"]), leg["trips"], informal, leg["total"], _.say(leg["why"]))
        rows.append(
            f"<tr{style}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
        )
    if not rows:
        nothing = html.escape(_("nothing left to approve: no trip at all"))
        rows.append(f'<tr><td colspan="6">{nothing}</td></tr>')
    return f'<table class="reform-journey">{head}{"".join(rows)}</table>'
