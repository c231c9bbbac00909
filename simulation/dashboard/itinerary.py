"""One applicant's journey through an approval chain, trip by trip, as the dashboard shows it.

The legs come from the model (simulation/journey.py) as English sentences; `leg_text` puts them
in the page's language by matching them against `LEG_TEXTS`, the same sentences with named
placeholders, each one message of the catalogue. A sentence no pattern matches is shown as the
model wrote it (tests/test_dashboard_i18n.py checks that every leg of every matter matches).
"""

from __future__ import annotations

import html
import re
from typing import Any

from simulation import catalogue as cat
from simulation.agents import Citizen, Enterprise
from simulation.dashboard import network
from simulation.i18n import t as translate
from simulation.model import ReformModel

MATTER_NAMES = [m.name for m in cat.MATTERS]
# simulation/journey.py's sentences; {name} is a bureau at a level, "housing_fund (city)"
NAME = "{bureau} ({level})"
LEG_TEXTS = (
    "comprehensive window",
    "issuing bureaus",
    "intermediary / pre-review",
    "{name}: {count} item(s) handled by the back office",
    "{count} item(s) at the bureau's own counter",
    "{count} item(s) done online",
    "{count} hidden step(s) outside the window for {name}",
    "{count} paper certificate(s) for {name}: staff chase them",
    "{count} paper certificate(s) for {name}: you fetch them",
    "informal pre-visit(s) before the counted one: not in the bureau's records",
    NAME,
)
HEADINGS = ("where", "trips", "informal", "so far", "why")


def _pattern(text: str) -> re.Pattern[str]:
    """A message as a regular expression: each {placeholder} a named group."""
    parts = re.split(r"\{(\w+)\}", text)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    )


PATTERNS = [(text, _pattern(text)) for text in LEG_TEXTS]


def matter_name(matter: str, lang: str) -> str:
    """A matter as the page shows it: its model name in English, its Chinese name in Chinese."""
    return matter if lang == "en" else translate(lang)(f"matter: {matter}")


def leg_text(text: str, lang: str) -> str:
    """A journey sentence of the model in `lang` (unchanged in English, or if no message fits)."""
    if lang == "en":
        return text
    _ = translate(lang)
    for message, pattern in PATTERNS:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = found.groupdict()
        if message == NAME:
            if values["bureau"] not in cat.DOMAINS or values["level"] not in cat.LEVELS:
                continue
            values["bureau"] = network.bureau_name(values["bureau"], lang)
            values["level"] = _(values["level"])
        elif "name" in values:
            values["name"] = leg_text(values["name"], lang)
        return _(message).format(**values)
    return text


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


def summary(story: dict[str, Any], matter: str, lang: str = "en") -> str:
    """One sentence: who, what they want, what they expect and what it takes today."""
    _ = translate(lang)
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
    who = _("{kind} #{index}").format(kind=_(story["kind"]), index=story["index"])
    return said.format(
        who=story["who"] if lang == "en" else who,
        county=story["county"],
        ability=f"{story['digital_ability']:.2f}",
        how=_("files online") if story["online"] else _("goes in person"),
        matter=matter.replace("_", " ") if lang == "en" else matter_name(matter, lang),
        expects=f"{story['expects']:.1f}",
        trips=done["trips"],
        matters=done["matters"],
        today=story["trips"],
        informal=story["informal"],
    )


def table_html(story: dict[str, Any], lang: str = "en") -> str:
    """The legs as an HTML table (escaped); a leg with zero trips is drawn faded."""
    _ = translate(lang)
    head = "<tr><th>#</th>" + "".join(f"<th>{html.escape(_(h))}</th>" for h in HEADINGS) + "</tr>"
    rows = []
    for n, leg in enumerate(story["legs"], 1):
        informal = leg.get("informal", 0)
        style = ' style="color:#999"' if leg["trips"] + informal == 0 else ""
        where, why = leg_text(str(leg["where"]), lang), leg_text(str(leg["why"]), lang)
        cells = (n, where, leg["trips"], informal, leg["total"], why)
        rows.append(
            f"<tr{style}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
        )
    if not rows:
        nothing = html.escape(_("nothing left to approve: no trip at all"))
        rows.append(f'<tr><td colspan="6">{nothing}</td></tr>')
    return f'<table class="reform-journey">{head}{"".join(rows)}</table>'
