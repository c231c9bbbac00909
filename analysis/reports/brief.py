"""The one-page brief for policy teams (`report/brief.html`, written with every comparison report),
to be read in a minute: its first line answers the question, yes or no, for approval items and
agencies under outside pressure plus technology, with the service applicants got; then what
pressure alone does, where paper compliance showed, how sure each answer is (in plain words, with
the study the robustness comes from), one figure, and a table of every scenario. Every word comes
from the report's verdicts (analysis.studies.robustness.comparison_verdicts, relabelled by
analysis.reports.report) and its table of estimates; each sentence is one catalogue message
(simulation/i18n.py), kept as a record until the page is rendered (analysis/words/records.py)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analysis.measures.stats import Estimate
from analysis.reports.figures import highlighted
from analysis.studies.robustness import parse_key
from analysis.words.formatting import listing, number, quoted, share_down
from analysis.words.narrative import FELL, NEVER_CUT, SHORT_NOUNS, join_clauses
from analysis.words.records import Capitalised, Text, _

PRESSURE_ALONE = "public_pressure"
INTERNAL = "internal_reform"
# outside pressure plus technology: the article's full package, else the clean "both" cell
BOTH = ("pressure_and_technology", "public_pressure_and_technology")
ANSWERED = ("items", "agencies")  # the question asks about these two
STOPPED = ("stayed down", FELL)
Table = Mapping[tuple[str, str], Estimate]


def question() -> Text:
    return _(
        "When a government cuts its approval items and agencies, why do they grow back, and does "
        "outside pressure plus technology (the 'run at most once' reform) stop the regrowth?"
    )


def package(scenarios: list[str]) -> str | None:
    """The scenario that stands for outside pressure plus technology in this sweep."""
    return next((s for s in BOTH if s in scenarios), None)


def headline(lines: list[dict[str, Any]], table: Table, scenarios: list[str]) -> dict:
    """The first line: `answer` (yes or no, per quantity) and `detail` (the figures behind it,
    and the service applicants got)."""
    both = package(scenarios)
    if both is None:
        return {
            "answer": _("No answer from this comparison."),
            "detail": _(
                "It did not run outside pressure plus technology (“pressure and technology”), "
                "so it cannot say whether that stops the regrowth."
            ),
        }
    shown = {q: _shown(lines, both, q) for q in ANSWERED}
    detail = _("Under {scenario}, {facts}; {service}.").format(
        scenario=quoted(both),
        facts=join_clauses([fact(q, shown[q], both, table) for q in ANSWERED]),
        service=service(table, both, scenarios),
    )
    return {"answer": yes_no(shown), "detail": detail}


def yes_no(shown: Mapping[str, str]) -> Text:
    """'Yes for approval items, no for agencies.': did the regrowth stop, per quantity."""
    said = {
        "yes": _("yes for {nouns}"),
        "no": _("no for {nouns}"),
        "never": _("{nouns} were never cut"),
    }
    groups: dict[str, list[str]] = {k: [] for k in said}  # yes first, then no, then never cut
    for q, word in shown.items():
        key = "yes" if word in STOPPED else "never" if word == NEVER_CUT else "no"
        groups[key].append(_(SHORT_NOUNS[q]))
    text = _(", ").join(said[k].format(nouns=listing(v)) for k, v in groups.items() if v)
    return _("{answer}.").format(answer=Capitalised(text))


def fact(q: str, word: str, scenario: str, table: Table) -> Text:
    """'approval items stayed down (3 % of the cut came back)', or the net change of a quantity
    with no measured rebound."""
    noun = _(SHORT_NOUNS[q])
    rebound = number(table[(scenario, f"{q}_rebound")].mean, "ratio")
    change = number(table[(scenario, f"{q}_net_change")].mean, "share", signed=True)
    said = {
        "came back": _("{noun} came back ({rebound} of the cut returned)"),
        "stayed down": _("{noun} stayed down ({rebound} of the cut returned)"),
        FELL: _("{noun} fell and stayed down ({change} since launch)"),
        NEVER_CUT: _("{noun} were never cut ({change} since launch)"),
    }
    return said[word].format(noun=noun, rebound=rebound, change=change)


def service(table: Table, scenario: str, scenarios: list[str]) -> Text:
    """'98 % of matters were done in at most one trip in the last year, against 26 % under
    “internal reform”'."""
    mine = number(table[(scenario, "realisation_rate_end")].mean, "share")
    if INTERNAL not in scenarios or INTERNAL == scenario:
        return _("{share} of matters were done in at most one trip in the last year").format(
            share=mine
        )
    return _(
        "{share} of matters were done in at most one trip in the last year, against {other} "
        "under {internal}"
    ).format(
        share=mine,
        other=number(table[(INTERNAL, "realisation_rate_end")].mean, "share"),
        internal=quoted(INTERNAL),
    )


def pressure_sentence(lines: list[dict[str, Any]], table: Table, scenarios: list[str]) -> Text:
    """What outside pressure does alone, next to pressure with technology."""
    both = package(scenarios)
    if PRESSURE_ALONE not in scenarios or both is None:
        return _(
            "This comparison did not run both outside pressure alone and pressure with "
            "technology, so it cannot say what technology adds."
        )
    facts = [fact(q, _shown(lines, PRESSURE_ALONE, q), PRESSURE_ALONE, table) for q in ANSWERED]
    return _(
        "Outside pressure alone ({alone}): {facts}; {share} of matters were done in at most one "
        "trip, against {both_share} with technology too."
    ).format(
        alone=quoted(PRESSURE_ALONE),
        facts=join_clauses(facts),
        share=number(table[(PRESSURE_ALONE, "realisation_rate_end")].mean, "share"),
        both_share=number(table[(both, "realisation_rate_end")].mean, "share"),
    )


def paper_sentence(lines: list[dict[str, Any]]) -> Text:
    paper = [
        parse_key(v["key"])[1]
        for v in lines
        if v["key"].startswith("paper/") and v["word"] == "bred paper compliance"
    ]
    if not paper:
        return _(
            "Bureaus' records and applicants' experience agreed under every scenario: no paper "
            "compliance."
        )
    return _(
        "Paper compliance (bureaus' records ahead of what applicants experienced, or cuts made "
        "only on paper) showed under {scenarios}."
    ).format(scenarios=listing([quoted(s) for s in paper]))


def how_sure(lines: list[dict[str, Any]], scenarios: list[str], checked: bool) -> Text | str:
    """How sure the first line is, in plain words: do the replicates agree, and (when robustness
    was `checked`) in how many plausible worlds each answer holds."""
    both = package(scenarios)
    if both is None:
        return ""
    by_key = {v["key"]: v for v in lines}
    parts = [
        _("{noun}: {sure}").format(
            noun=_(SHORT_NOUNS[q]), sure=sureness(by_key[f"regrowth/{both}/{q}"], checked)
        )
        for q in ANSWERED
    ]
    return _("How sure, under {scenario}: {parts}.").format(
        scenario=quoted(both), parts=_("; ").join(parts)
    )


def sureness(v: Mapping[str, Any], checked: bool) -> Text:
    """'the replicates agree, robust: holds in 46 of 48 plausible worlds (95 %)'; without a
    robustness study (`checked` false) the brief says so once, not here."""
    agree = {
        "supported": _("the replicates agree"),
        "inconclusive": _("the replicates disagree"),
    }
    parts = [agree[v["verdict"]]] if v["verdict"] in agree else []
    if checked:
        parts.append(worlds(v))
    return _(", ").join(parts) if parts else _("no rebound to measure")


def worlds(v: Mapping[str, Any]) -> Text:
    """In how many plausible worlds a verdict holds, its share rounded down (43 of 48 is 89 %)."""
    if not math.isfinite(v["share"]):
        return _("robustness not checked")
    if v.get("count") is None:
        return _("{robustness}: holds in {share} of plausible worlds").format(
            robustness=_(v["robustness"]), share=share_down(v["share"])
        )
    return _("{robustness}: holds in {count} of {worlds} plausible worlds ({share})").format(
        robustness=_(v["robustness"]),
        count=v["count"],
        worlds=v["draws"],
        share=share_down(v["share"]),
    )


def _shown(lines: list[dict[str, Any]], scenario: str, q: str) -> str:
    """The verdict a reader sees for one scenario and quantity ('fell and stayed down' where
    the robustness word is 'was not cut')."""
    key = f"regrowth/{scenario}/{q}"
    line = next(v for v in lines if v["key"] == key)
    return line.get("shown", line["word"])


def rows(
    lines: list[dict[str, Any]], table: Table, scenarios: list[str], words: Mapping[str, str]
) -> list[dict[str, Any]]:
    """One row per scenario: each quantity's verdict (in the report's cell words) with its figure,
    and the share done in one trip; the figure's highlighted scenarios marked."""
    bright = highlighted(scenarios)
    out = []
    for s in scenarios:
        row: dict[str, Any] = {"scenario": s, "bright": s in bright, "cells": []}
        for q in ("items", "agencies", "staff"):
            word = _shown(lines, s, q)
            measure = (
                number(table[(s, f"{q}_rebound")].mean, "ratio")
                if word in ("came back", "stayed down")
                else number(table[(s, f"{q}_net_change")].mean, "share", signed=True)
            )
            row["cells"].append({"word": words.get(word, word), "figure": measure})
        row["trip"] = number(table[(s, "realisation_rate_end")].mean, "share")
        out.append(row)
    return out
