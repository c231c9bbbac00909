"""The information panel, in the sections of NetLogo's Info tab.

Plain text with a light markup ('- ' starts a bullet, `code` marks a name), turned into HTML
here so the page needs no Markdown renderer (Solara's pulls mermaid and KaTeX from a CDN).
The text avoids a capitalised 'month', 'step' or 'time' followed by a number: the page's month
counter must be the first such phrase on the page. Each heading and each paragraph or bullet
(without its '- ') is one message of the catalogue, so the Chinese page has the same sections.
"""

from __future__ import annotations

import html
import re

from simulation.i18n import Words

SECTIONS: dict[str, list[str]] = {
    "WHAT IS IT?": [
        "An agent-based model of government administrative reform in a Chinese province. It asks "
        "why reform that a government runs on itself keeps sliding back (cut approval items come "
        "back, merged agencies swell again) and whether outside pressure plus technology stops "
        "the regrowth, as the source article argues from Zhejiang's 'run at most once' reform.",
        "The claim under test: internally driven reform regrows; outside pressure plus technical "
        "support stops the regrowth, and neither works alone as well as both together. The model "
        "can show where that claim fails too: no scenario sets item counts, staff, trips or "
        "satisfaction directly; it only sets institutions.",
    ],
    "HOW IT WORKS": [
        "One tick is one month. A province has cities and counties; each level has 15 functional "
        "bureaus (development and reform, natural resources, housing, market regulation, public "
        "security, ...). Bureaus own approval items; a matter such as a housing-fund loan or an "
        "investment project needs items from several bureaus in order (its approval chain).",
        "- Citizens and firms bring matters; each matter costs physical trips: one per bureau "
        "counter, more for paper certificates from other bureaus and for forgotten materials.",
        "- A one-stop window takes the whole file at one door; without shared data the staff then "
        "chase certificates instead of the applicant, and their workload grows.",
        "- Bureaus grow items (new tasks and self-interest) and staff (Parkinson's drift and "
        "overload). Cut items come back openly or hidden as pre-reviews and intermediary steps, "
        "unless someone is likely to notice.",
        "- Internal campaigns cut and merge from the bureaus' own reports, then attention fades.",
        "- Outside pressure (complaints, third-party evaluation, a public item list) and a "
        "political target make bureaus join the window, open their data, put items online, cut "
        "and devolve items. Technology sets what is possible; it never forces a bureau to act.",
        "Every run first lives 60 warm-up months under the status quo, so the government has "
        "grown its items, staff and agencies by its own logic. The dashboard runs that warm-up "
        "when you press Reset, so the class starts at month 0, the last month of the status quo, "
        "and the scenario's institutions switch on in month 1. The last two warm-up years are "
        "drawn left of the dashed line in the charts.",
    ],
    "HOW TO USE IT": [
        "- Pick a scenario in Model Parameters. Each switch (complaints, third-party evaluation, "
        "political target, one window, data sharing) either keeps the scenario's setting or "
        "forces it on or off.",
        "- Set the technology level at the start, the campaign interval, the number of citizens "
        "(firms are a tenth of it) and the seed, then press Reset. Changes take effect on Reset.",
        "- Step advances one month; the play button runs month after month (Play Interval sets "
        "the pause between months). The Month counter at the top of the side bar counts from the "
        "launch; the Information card counts every simulated month, warm-up included.",
        "- The tab 'this run' shows the model; 'against internal_reform' runs `internal_reform` "
        "beside it with the same seed and controls. Every browser has its own model: what you do "
        "here does not change what your classmates see.",
        "- In the journey view pick a matter and press 'another applicant' to follow someone else.",
    ],
    "THINGS TO NOTICE": [
        "- Under `internal_reform` each campaign (at the launch, then every campaign interval) "
        "cuts open items, agencies and staff at once. Between campaigns hidden items pile up: "
        "cut items come back as pre-reviews, filings and intermediary services. Staff and "
        "agencies creep back up.",
        "- In every scenario hidden items jump at the launch: the first campaign makes part of its "
        "cuts only on paper. Under `pressure_and_technology` they then fall back within a few "
        "years, because someone outside is looking, and the share done in at most one trip "
        "climbs above 90 %; under `internal_reform` they keep piling up.",
        "- With `one_window_no_data` applicants' trips fall to about a third of internal_reform's, "
        "but for the first years staff grow faster than there: the chasing of paper "
        "certificates moved from citizens to bureau staff (later both runs' campaigns cut posts).",
        "- In the network, bureaus turn orange (one window) months before they turn green (window "
        "and data): a bureau gives up its information advantage last.",
    ],
    "THINGS TO TRY": [
        "- Switch off the complaint channel in `pressure_and_technology`. Does the reform still hold?",
        "- Run `technology_only`: does technology alone make bureaus share data or cut items?",
        "- Make campaigns more frequent under `internal_reform`. Does that stop the regrowth or just "
        "make the saw teeth shorter?",
        "- Force the one window on and data sharing off in any scenario and follow an investment "
        "project applicant through the chain.",
        "- Same settings, different seeds: how much of what you see is chance?",
    ],
    "EXTENDING THE MODEL": [
        "- A new scenario is one YAML file in `scenarios/`: it sets institutions only, and it shows "
        "up in the scenario picker.",
        "- Any parameter in `simulation/parameters.py` can be overridden (e.g. the regrowth "
        "penalty, bureaus' resistance, the political target).",
        "- Ideas: word of mouth between applicants, a budget that limits technology investment, "
        "elections or leadership turnover that reset the political target.",
    ],
    "RELATED MODELS": [
        "- `reform-compare` runs every scenario over many seeds and reports the rebound of items, "
        "agencies and staff; `reform-run` runs one scenario from the command line.",
        "- Mesa's example models (Schelling, Boltzmann wealth) have the same SolaraViz controls.",
    ],
    "CREDITS AND REFERENCES": [
        "Source article: Li Xiaoyuan (李小园), 'Pressure mechanism and technical support: the "
        "practical logic of government system reform' (压力机制与技术支撑：政府体制改革的实践逻辑), "
        "Journal of the Party School of Tianjin Committee of the CPC (中共天津市委党校学报), "
        "2018, no. 5, pp. 83-88.",
        "- Zhejiang 'run at most once' figures: realisation 87.9 % and satisfaction 94.7 % in 2017 "
        "(the source article); 92.9 % and 97.1 % in 2019 (China Daily, 27 December 2019).",
        "- Parkinson, C. N. (1955). Parkinson's law. The Economist, 19 November 1955.",
        "- Built with Mesa (ter Hoeven et al., 2025, Mesa 3: agent-based modeling with Python in "
        "2025, Journal of Open Source Software) and Solara. The Info sections follow NetLogo "
        "(Wilensky, U., 1999, NetLogo, Center for Connected Learning, Northwestern University).",
        "- reform-dynamics is open source (MIT licence).",
    ],
}


def messages(sections: dict[str, list[str]] = SECTIONS) -> list[str]:
    """Every text the catalogue translates: the headings, then each block without its '- '."""
    return [*sections, *(b.removeprefix("- ") for blocks in sections.values() for b in blocks)]


def to_html(words: Words, sections: dict[str, list[str]] = SECTIONS) -> str:
    """Headings, paragraphs and bullet lists in the page's words; all text escaped."""
    _ = words
    parts = []
    for title, blocks in sections.items():
        parts.append(f"<h3>{html.escape(_(title))}</h3>")
        bullets = []
        for block in blocks + [""]:
            if block.startswith("- "):
                bullets.append(f"<li>{_inline(_(block[2:]))}</li>")
                continue
            if bullets:
                parts.append(f"<ul>{''.join(bullets)}</ul>")
                bullets = []
            if block:
                parts.append(f"<p>{_inline(_(block))}</p>")
    return "".join(parts)


def _inline(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
