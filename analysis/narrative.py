"""The report's words, written from the numbers of the sweep (nothing here is a fixed conclusion).

Verdicts, per scenario and quantity (items, agencies, staff), from the mean rebound ratio R over
the replicates whose run had a measured cut:
- "grew back"         R >= 0.5  (at least half of a cut came back within the horizon)
- "partly grew back"  0.15 <= R < 0.5
- "stayed down"       R < 0.15
- "was not cut"       fewer than half of the replicates had a measured cut; the net change says
                      where the stock went instead.

Paper compliance, per scenario, from the replicates' means: bureaus' own records report a
realisation rate at least `GAP` above what applicants experienced (last 12 months), or at least
half of the reported item cuts were made only on paper (kept as hidden requirements), or
applicants make at least `VISITS` informal pre-visits per matter.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.factorial import CELLS, Factorial
from analysis.formatting import interval, listing, mean_with_ci, number, percent, scenario_label
from analysis.stats import Estimate, minimum_replicates
from analysis.summary import METRICS, QUANTITIES
from simulation import i18n

GREW_BACK, PARTLY = 0.5, 0.15
GAP, PAPER_SHARE, VISITS = 0.05, 0.5, 0.05
VERDICTS = ("grew back", "partly grew back", "stayed down", "was not cut")
NOUNS = {"items": "Approval items (open + hidden)", "agencies": "Agencies", "staff": "Staff posts"}


def regrowth_verdict(runs: pd.DataFrame, quantity: str) -> str:
    """The verdict for one scenario's runs (see the module docstring)."""
    rebound = runs[f"{quantity}_rebound"]
    if rebound.notna().mean() < 0.5:
        return "was not cut"
    r = rebound.mean()
    return "grew back" if r >= GREW_BACK else "partly grew back" if r >= PARTLY else "stayed down"


def quantity_sentence(
    runs: pd.DataFrame,
    table: dict[tuple[str, str], Estimate],
    q: str,
    level: float,
    lang: str = "en",
) -> str:
    """E.g. 'Agencies grew back under A (rebound 62 %, 95 % CI ...) and B (...), and stayed down
    under C (...).'"""
    _ = i18n.t(lang)
    groups: dict[str, list[str]] = {v: [] for v in VERDICTS}
    for scenario, part in runs.groupby("scenario", sort=False):
        groups[regrowth_verdict(part, q)].append(scenario)
    said = {
        "grew back": _("grew back under {facts}"),
        "partly grew back": _("partly grew back under {facts}"),
        "stayed down": _("stayed down under {facts}"),
        "was not cut": _("were not cut under {facts}"),
    }
    clauses = []
    for word in VERDICTS[:3]:
        facts = [_fact(s, table[(s, f"{q}_rebound")], "ratio", level, lang) for s in groups[word]]
        if facts:
            clauses.append(said[word].format(facts=listing(facts, lang)))
    facts = [
        _("{scenario} ({change} since launch)").format(
            scenario=scenario_label(s, lang),
            change=number(table[(s, f"{q}_net_change")].mean, "share", signed=True, lang=lang),
        )
        for s in groups["was not cut"]
    ]
    if facts:
        clauses.append(said["was not cut"].format(facts=listing(facts, lang)))
    return _("{noun} {clauses}.").format(noun=_(NOUNS[q]), clauses=_clauses(clauses, lang))


def _fact(scenario: str, est: Estimate, unit: str, level: float, lang: str) -> str:
    """'internal reform (62 %, 95 % CI 58 to 66 %)': a scenario with its mean and CI."""
    _ = i18n.t(lang)
    mean = number(est.mean, unit, lang=lang)
    if not math.isfinite(est.lo):
        return _("{scenario} ({mean})").format(scenario=scenario_label(scenario, lang), mean=mean)
    return _("{scenario} ({mean}, {level} CI {interval})").format(
        scenario=scenario_label(scenario, lang),
        mean=mean,
        level=percent(level),
        interval=interval(est, unit, lang=lang),
    )


def _clauses(parts: list[str], lang: str) -> str:
    """Clauses of one sentence: 'a, b and c' in English, '甲，乙，丙' in Chinese."""
    return "，".join(parts) if lang == "zh" else listing(parts, lang)


def _sentences(parts: list[str], lang: str) -> str:
    """Sentences of one paragraph: a space between them in English, none in Chinese."""
    return "".join(parts) if lang == "zh" else " ".join(parts)


def paper_compliance(table: dict[tuple[str, str], Estimate], scenario: str) -> bool:
    """Did the scenario's pressure (or decree) breed paper compliance (see the docstring)?"""
    share = table[(scenario, "paper_cut_share")]
    return (
        table[(scenario, "realisation_gap_end")].mean >= GAP
        or (share.n > 0 and share.mean >= PAPER_SHARE)
        or table[(scenario, "informal_visits_end")].mean >= VISITS
    )


def formalism_sentence(
    scenarios: list[str], table: dict[tuple[str, str], Estimate], lang: str = "en"
) -> str:
    """Where pressure produced paper compliance rather than real change, with its figures."""
    _ = i18n.t(lang)

    def facts(s: str) -> str:
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
        return _("{scenario} ({facts})").format(
            scenario=scenario_label(s, lang), facts=_("; ").join(parts)
        )

    scenarios = [s for s in scenarios if table[(s, "realisation_gap_end")].n > 0]  # measured
    paper = [s for s in scenarios if paper_compliance(table, s)]
    real = [s for s in scenarios if s not in paper]
    said = []
    if paper:
        said.append(
            _("Paper compliance instead of real change showed under {scenarios}.").format(
                scenarios=listing([facts(s) for s in paper], lang)
            )
        )
    if real:
        said.append(
            _(
                "Under {scenarios}, reports and experience agree within {gap} and most reported "
                "cuts were real."
            ).format(
                scenarios=listing([scenario_label(s, lang) for s in real], lang), gap=percent(GAP)
            )
        )
    return _sentences(said, lang)


def factorial_sentence(
    results: list[Factorial], missing: list[str], level: float, lang: str = "en"
) -> str:
    _ = i18n.t(lang)

    def names(scenarios: list[str]) -> str:
        return listing([scenario_label(s, lang) for s in scenarios], lang)

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

    def change(e: Estimate) -> str:
        return number(e.mean, m.unit, True, lang=lang)

    first = _(
        "Do pressure and technology work better together? On the {metric} ({better}), pressure "
        "alone changed it by {pressure}, technology alone by {technology} and both together by "
        "{both}; the interaction (both minus the sum of each alone) is {interaction}, so together "
        "they do {verdict} of each alone."
    ).format(
        metric=m.words_in(lang),
        better=_("lower is better") if m.better == "lower" else _("higher is better"),
        pressure=change(lead.pressure),
        technology=change(lead.technology),
        both=change(lead.both),
        interaction=mean_with_ci(lead.interaction, m.unit, level, True, lang),
        verdict=_(lead.verdict),
    )
    said = {
        "more than the sum": _("more than the sum on {count} ({metrics})"),
        "about the sum": _("about the sum on {count} ({metrics})"),
        "less than the sum": _("less than the sum on {count} ({metrics})"),
    }
    parts = []
    for word, text in said.items():
        metrics = [METRICS[f.metric].words_in(lang) for f in decided if f.verdict == word]
        if metrics:
            parts.append(text.format(count=len(metrics), metrics=listing(metrics, lang)))
    over = _("Over {count} key outcomes, the combination does {parts}.").format(
        count=len(decided), parts=_clauses(parts, lang)
    )
    return _sentences([first, over], lang)


def caution(n_min: int, level: float, lang: str = "en") -> str:
    need = minimum_replicates(level)
    if n_min >= need:
        return ""
    return i18n.t(lang)(
        "Caution: only {n} replicate(s) per scenario; the {level} CIs lean on normality (a "
        "distribution-free interval needs at least {need}); rerun with more seeds before relying "
        "on them."
    ).format(n=n_min, level=percent(level), need=need)


def bottom_line(runs: pd.DataFrame, factorials: list[Factorial], lang: str = "en") -> str:
    """One plain sentence: where cuts came back (most of the three quantities that were cut)."""
    _ = i18n.t(lang)
    groups: dict[str, list[str]] = {"back": [], "down": [], "mixed": [], "uncut": []}
    for scenario, part in runs.groupby("scenario", sort=False):
        cut = [v for v in (regrowth_verdict(part, q) for q in QUANTITIES) if v != "was not cut"]
        back = sum(v in ("grew back", "partly grew back") for v in cut)
        key = (
            "uncut"
            if not cut
            else "back"
            if 2 * back > len(cut)
            else "down"
            if 2 * back < len(cut)
            else "mixed"
        )
        groups[key].append(scenario_label(scenario, lang))
    phrases = {
        "back": _("cuts mostly grew back under {scenarios}"),
        "down": _("cuts mostly stayed down under {scenarios}"),
        "mixed": _("cuts partly came back under {scenarios}"),
        "uncut": _("{scenarios} made no cuts"),
    }
    text = _("In short: {clauses}.").format(
        clauses=_("; ").join(
            phrases[k].format(scenarios=listing(v, lang)) for k, v in groups.items() if v
        )
    )
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
        text = _sentences([text, said.format(more=more, count=len(decided), less=less)], lang)
    return text


def answer(
    runs: pd.DataFrame,
    table: dict[tuple[str, str], Estimate],
    factorials: list[Factorial],
    missing: list[str],
    horizon: str,
    level: float,
    context: str,
    lang: str = "en",
) -> str:
    """The first paragraph of the report: what regrows where, and pressure x technology.
    `horizon` and `context` come written in `lang`."""
    _ = i18n.t(lang)
    sentences = [
        bottom_line(runs, factorials, lang),
        context,
        _("Rebound is the share of a cut that came back within {horizon}.").format(horizon=horizon),
    ]
    sentences += [quantity_sentence(runs, table, q, level, lang) for q in QUANTITIES]
    sentences.append(formalism_sentence(list(dict.fromkeys(runs["scenario"])), table, lang))
    sentences.append(factorial_sentence(factorials, missing, level, lang))
    n_min = int(runs.groupby("scenario").size().min()) if len(runs) else 0
    warning = caution(n_min, level, lang)
    return _sentences(sentences + ([warning] if warning else []), lang)
