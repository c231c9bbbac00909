"""The report's words, written from the numbers of the sweep (nothing here is a fixed conclusion),
as records a `Words` writes in a language where the page shows them (analysis/words/records.py).

Verdicts, per scenario and quantity (items, agencies, staff), from the mean rebound ratio R over
the replicates whose run had a measured cut, against the lines of analysis/measures/thresholds.py:
- "grew back"             R >= GREW_BACK (0.5: at least half of a cut came back within the horizon)
- "partly grew back"      CAME_BACK <= R < GREW_BACK (CAME_BACK = 0.2)
- "stayed down"           R < CAME_BACK
- when fewer than half of the replicates had a measured cut, the net change since the launch
  says which: "fell and stayed down" when the stock fell by at least MIN_SHARE (5 %) and never
  came back far enough to measure a rebound (a fall still under way at the end of the run),
  "was never cut" otherwise.

Paper compliance, per scenario, from the replicates' means: bureaus' own records report a
realisation rate at least `GAP` above what applicants experienced (last 12 months), or at least
half of the reported item cuts were made only on paper (kept as hidden requirements), or
applicants make at least `VISITS` informal pre-visits per matter.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis.measures import thresholds
from analysis.measures.factorial import CELLS, Factorial
from analysis.measures.regrowth import MIN_SHARE
from analysis.measures.stats import Estimate, minimum_replicates
from analysis.measures.summary import METRICS, QUANTITIES
from analysis.words.formatting import (
    interval,
    listing,
    mean_with_ci,
    number,
    percent,
    quoted,
)
from analysis.words.records import Clauses, Sentences, Text, _

GREW_BACK, PARTLY = thresholds.GREW_BACK, thresholds.CAME_BACK
GAP, PAPER_SHARE, VISITS = 0.05, 0.5, 0.05
FELL, NEVER_CUT = "fell and stayed down", "was never cut"
VERDICTS = ("grew back", "partly grew back", "stayed down", FELL, NEVER_CUT)
NOUNS = {"items": "Approval items (open + hidden)", "agencies": "Agencies", "staff": "Staff posts"}
# the same in running text, after another noun ("approval items, agencies and staff posts")
SHORT_NOUNS = {"items": "approval items", "agencies": "agencies", "staff": "staff posts"}
# the verdicts of the "In short" line: "grew back" and "partly grew back" both came back
COARSE = {"grew back": "came back", "partly grew back": "came back"}


def uncut_word(net_change: float) -> str:
    """A quantity with no measured rebound: did it fall (and stay down to the end of the run),
    or was it never cut? A rebound is measured only once a cut is followed for half the horizon,
    so a steady fall has none: it must not read "not cut"."""
    return FELL if net_change <= -MIN_SHARE else NEVER_CUT


def regrowth_verdict(runs: pd.DataFrame, quantity: str) -> str:
    """The verdict for one scenario's runs (see the module docstring)."""
    rebound = runs[f"{quantity}_rebound"]
    if rebound.notna().mean() < 0.5:
        return uncut_word(runs[f"{quantity}_net_change"].mean())
    r = rebound.mean()
    return "grew back" if r >= GREW_BACK else "partly grew back" if r >= PARTLY else "stayed down"


def quantity_sentence(
    runs: pd.DataFrame,
    table: dict[tuple[str, str], Estimate],
    q: str,
    level: float,
) -> Text:
    """E.g. 'Agencies grew back under “A” (rebound 62 %, 95 % CI ...) and “B” (...), and stayed
    down under “C” (...).'"""
    groups: dict[str, list[str]] = {v: [] for v in VERDICTS}
    for scenario, part in runs.groupby("scenario", sort=False):
        groups[regrowth_verdict(part, q)].append(scenario)
    said = {
        "grew back": _("grew back under {facts}"),
        "partly grew back": _("partly grew back under {facts}"),
        "stayed down": _("stayed down under {facts}"),
        FELL: _("fell and stayed down under {facts}"),
        NEVER_CUT: _("were never cut under {facts}"),
    }
    clauses = []
    for word in VERDICTS[:3]:
        facts = [_fact(s, table[(s, f"{q}_rebound")], "ratio", level) for s in groups[word]]
        if facts:
            clauses.append(said[word].format(facts=listing(facts)))
    for word in (FELL, NEVER_CUT):
        facts = [
            _("{scenario} ({change} since launch)").format(
                scenario=quoted(s),
                change=number(table[(s, f"{q}_net_change")].mean, "share", signed=True),
            )
            for s in groups[word]
        ]
        if facts:
            clauses.append(said[word].format(facts=listing(facts)))
    return _("{noun} {clauses}.").format(noun=_(NOUNS[q]), clauses=join_clauses(clauses))


def _fact(scenario: str, est: Estimate, unit: str, level: float) -> Text:
    """'“internal reform” (62 %, 95 % CI 58 to 66 %)': a scenario with its mean and CI."""
    mean = number(est.mean, unit)
    if not math.isfinite(est.lo):
        return _("{scenario} ({mean})").format(scenario=quoted(scenario), mean=mean)
    return _("{scenario} ({mean}, {level} CI {interval})").format(
        scenario=quoted(scenario),
        mean=mean,
        level=percent(level),
        interval=interval(est, unit),
    )


def join_clauses(parts: list[Any]) -> Text:
    """Clauses of one sentence: 'a, b and c' in English, '甲，乙，丙' in Chinese."""
    return Clauses(tuple(parts))


def _sentences(parts: list[Any]) -> Text:
    """Sentences of one paragraph: a space between them in English, none in Chinese."""
    return Sentences(tuple(parts))


def paper_compliance(table: dict[tuple[str, str], Estimate], scenario: str) -> bool:
    """Did the scenario's pressure (or decree) breed paper compliance (see the docstring)?"""
    share = table[(scenario, "paper_cut_share")]
    return (
        table[(scenario, "realisation_gap_end")].mean >= GAP
        or (share.n > 0 and share.mean >= PAPER_SHARE)
        or table[(scenario, "informal_visits_end")].mean >= VISITS
    )


def formalism_sentence(scenarios: list[str], table: dict[tuple[str, str], Estimate]) -> Text:
    """Where pressure produced paper compliance rather than real change, with its figures."""

    def facts(s: str) -> Text:
        reported = table[(s, "realisation_rate_reported_end")].mean
        experienced = table[(s, "realisation_rate_end")].mean
        share = table[(s, "paper_cut_share")]
        visits = table[(s, "informal_visits_end")].mean
        parts = [
            _(
                "records report {reported} of matters done in one trip where applicants "
                "experienced {experienced}"
            ).format(reported=percent(reported), experienced=percent(experienced))
        ]
        if share.n and share.mean >= 0.05:
            parts.append(
                _("{share} of reported cuts were made only on paper").format(
                    share=percent(share.mean)
                )
            )
        if visits >= 0.01:
            parts.append(
                _("{visits} informal pre-visits per matter").format(visits=f"{visits:.2f}")
            )
        return _("{scenario} ({facts})").format(scenario=quoted(s), facts=_("; ").join(parts))

    scenarios = [s for s in scenarios if table[(s, "realisation_gap_end")].n > 0]  # measured
    paper = [s for s in scenarios if paper_compliance(table, s)]
    real = [s for s in scenarios if s not in paper]
    said = []
    if paper:
        said.append(
            _("Paper compliance instead of real change showed under {scenarios}.").format(
                scenarios=listing([facts(s) for s in paper])
            )
        )
    if real:
        said.append(
            _(
                "Under {scenarios}, reports and experience agree within {gap} and most reported "
                "cuts were real."
            ).format(scenarios=listing([quoted(s) for s in real]), gap=percent(GAP))
        )
    return _sentences(said)


def factorial_sentence(results: list[Factorial], missing: list[str], level: float) -> Text:

    def names(scenarios: list[str]) -> Text:
        return listing([quoted(s) for s in scenarios])

    if missing:
        return _(
            "The pressure x technology question needs the scenarios {cells}; this sweep lacks "
            "{missing}, so it cannot say whether the two work better together than apart."
        ).format(cells=names(list(CELLS)), missing=names(missing))
    decided = [f for f in results if f.verdict != "undetermined"]
    if not decided:
        return _(
            "Too few paired replicates to say whether pressure and technology work better "
            "together than apart."
        )
    lead = decided[0]
    m = METRICS[lead.metric]

    def change(e: Estimate) -> Text:
        return number(e.mean, m.unit, True)

    first = _(
        "Do pressure and technology work better together? On the {metric} ({better}), pressure "
        "alone changed it by {pressure}, technology alone by {technology} and both together by "
        "{both}; the interaction (both minus the sum of each alone) is {interaction}, so together "
        "they do {verdict} of each alone."
    ).format(
        metric=_(m.words),
        better=_("lower is better") if m.better == "lower" else _("higher is better"),
        pressure=change(lead.pressure),
        technology=change(lead.technology),
        both=change(lead.both),
        interaction=mean_with_ci(lead.interaction, m.unit, level, True),
        verdict=_(lead.verdict),
    )
    said = {
        "more than the sum": _("more than the sum on {count} ({metrics})"),
        "about the sum": _("about the sum on {count} ({metrics})"),
        "less than the sum": _("less than the sum on {count} ({metrics})"),
    }
    parts = []
    for word, text in said.items():
        metrics = [_(METRICS[f.metric].words) for f in decided if f.verdict == word]
        if metrics:
            parts.append(text.format(count=len(metrics), metrics=listing(metrics)))
    over = _("Over {count} key outcomes, the combination does {parts}.").format(
        count=len(decided), parts=join_clauses(parts)
    )
    return _sentences([first, over])


def caution(n_min: int, level: float) -> Text | str:
    need = minimum_replicates(level)
    if n_min >= need:
        return ""
    return _(
        "Caution: only {n} replicate(s) per scenario; the {level} CIs lean on normality (a "
        "distribution-free interval needs at least {need}); rerun with more seeds before relying "
        "on them."
    ).format(n=n_min, level=percent(level), need=need)


def bottom_line(runs: pd.DataFrame, factorials: list[Factorial]) -> Text:
    """One plain sentence that weighs items, agencies and staff separately: scenarios with the
    same three verdicts share a clause that names what came back and what stayed down, so that
    staff posts, which grow under every scenario, cannot speak for approval items."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for scenario, part in runs.groupby("scenario", sort=False):
        words = tuple(coarse(regrowth_verdict(part, q)) for q in QUANTITIES)
        groups.setdefault(words, []).append(quoted(scenario))
    clauses = [
        _("{what} under {scenarios}").format(what=what_happened(words), scenarios=listing(s))
        for words, s in groups.items()
    ]
    text = _("In short: {clauses}.").format(clauses=_("; ").join(clauses))
    decided = [f for f in factorials if f.verdict != "undetermined"]
    if decided:
        more = sum(f.verdict == "more than the sum" for f in decided)
        less = sum(f.verdict == "less than the sum" for f in decided)
        said = (
            _(
                "Pressure and technology together did more than the sum of each alone on {more} "
                "of {count} key outcomes (less than the sum on {less})."
            )
            if less
            else _(
                "Pressure and technology together did more than the sum of each alone on {more} "
                "of {count} key outcomes."
            )
        )
        text = _sentences([text, said.format(more=more, count=len(decided), less=less)])
    return text


def coarse(verdict: str) -> str:
    """'came back' for both 'grew back' and 'partly grew back'; the other verdicts as they are."""
    return COARSE.get(verdict, verdict)


def what_happened(words: tuple[str, ...]) -> Text:
    """E.g. 'approval items stayed down, agencies and staff posts came back' from one coarse
    verdict per quantity (in QUANTITIES' order)."""
    said = {
        "came back": _("{nouns} came back"),
        "stayed down": _("{nouns} stayed down"),
        FELL: _("{nouns} fell and stayed down"),
        NEVER_CUT: _("{nouns} were never cut"),
    }
    by_word: dict[str, list[str]] = {}
    for q, word in zip(QUANTITIES, words):
        by_word.setdefault(word, []).append(_(SHORT_NOUNS[q]))
    parts = [said[w].format(nouns=listing(nouns)) for w, nouns in by_word.items()]
    return _(", ").join(parts)


def answer(
    runs: pd.DataFrame,
    table: dict[tuple[str, str], Estimate],
    factorials: list[Factorial],
    missing: list[str],
    horizon: Any,
    level: float,
    context: Any,
) -> Text:
    """The first paragraph of the report: what regrows where, and pressure x technology.
    `horizon` and `context`: words (records or text) of the report."""
    sentences = [
        bottom_line(runs, factorials),
        context,
        _("Rebound is the share of a cut that came back within {horizon}.").format(horizon=horizon),
    ]
    sentences += [quantity_sentence(runs, table, q, level) for q in QUANTITIES]
    sentences.append(formalism_sentence(list(dict.fromkeys(runs["scenario"])), table))
    sentences.append(factorial_sentence(factorials, missing, level))
    n_min = int(runs.groupby("scenario").size().min()) if len(runs) else 0
    warning = caution(n_min, level)
    return _sentences(sentences + ([warning] if warning else []))
