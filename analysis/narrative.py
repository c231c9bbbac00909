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

import pandas as pd

from analysis.factorial import CELLS, Factorial
from analysis.formatting import listing, mean_with_ci, number, percent, scenario_label
from analysis.stats import Estimate, minimum_replicates
from analysis.summary import METRICS, QUANTITIES

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
    runs: pd.DataFrame, table: dict[tuple[str, str], Estimate], q: str, level: float
) -> str:
    """E.g. 'Agencies grew back under A (rebound 62 %, 95 % CI ...) and B (...), and stayed down
    under C (...).'"""
    groups: dict[str, list[str]] = {v: [] for v in VERDICTS}
    for scenario, part in runs.groupby("scenario", sort=False):
        groups[regrowth_verdict(part, q)].append(scenario)
    clauses = []
    for word in VERDICTS[:3]:
        facts = [
            f"{scenario_label(s)} ({mean_with_ci(table[(s, f'{q}_rebound')], 'ratio', level)})"
            for s in groups[word]
        ]
        if facts:
            clauses.append(f"{word} under {listing(facts)}")
    facts = [
        f"{scenario_label(s)} ({number(table[(s, f'{q}_net_change')].mean, 'share', signed=True)}"
        " since launch)"
        for s in groups["was not cut"]
    ]
    if facts:
        clauses.append(f"were not cut under {listing(facts)}")
    return f"{NOUNS[q]} {listing(clauses)}."


def paper_compliance(table: dict[tuple[str, str], Estimate], scenario: str) -> bool:
    """Did the scenario's pressure (or decree) breed paper compliance (see the docstring)?"""
    share = table[(scenario, "paper_cut_share")]
    return (
        table[(scenario, "realisation_gap_end")].mean >= GAP
        or (share.n > 0 and share.mean >= PAPER_SHARE)
        or table[(scenario, "informal_visits_end")].mean >= VISITS
    )


def formalism_sentence(scenarios: list[str], table: dict[tuple[str, str], Estimate]) -> str:
    """Where pressure produced paper compliance rather than real change, with its figures."""

    def facts(s: str) -> str:
        reported = table[(s, "realisation_rate_reported_end")].mean
        experienced = table[(s, "realisation_rate_end")].mean
        share = table[(s, "paper_cut_share")]
        visits = table[(s, "informal_visits_end")].mean
        parts = [
            f"records report {percent(reported)} of matters done in one trip where applicants "
            f"experienced {percent(experienced)}"
        ]
        if share.n and share.mean >= 0.05:
            parts.append(f"{percent(share.mean)} of reported cuts were made only on paper")
        if visits >= 0.01:
            parts.append(f"{visits:.2f} informal pre-visits per matter")
        return f"{scenario_label(s)} ({'; '.join(parts)})"

    scenarios = [s for s in scenarios if table[(s, "realisation_gap_end")].n > 0]  # measured
    paper = [s for s in scenarios if paper_compliance(table, s)]
    real = [s for s in scenarios if s not in paper]
    text = ""
    if paper:
        text = f"Paper compliance instead of real change showed under {listing([facts(s) for s in paper])}."
    if real:
        text += (
            f" Under {listing([scenario_label(s) for s in real])}, reports and experience agree "
            f"within {percent(GAP)} and most reported cuts were real."
        )
    return text.strip()


def factorial_sentence(results: list[Factorial], missing: list[str], level: float) -> str:
    if missing:
        return (
            "The pressure x technology question needs the scenarios "
            f"{listing([scenario_label(s) for s in CELLS])}; this sweep lacks "
            f"{listing([scenario_label(s) for s in missing])}, so it cannot say whether the two "
            "work better together than apart."
        )
    decided = [f for f in results if f.verdict != "undetermined"]
    if not decided:
        return (
            "Too few paired replicates to say whether pressure and technology work better "
            "together than apart."
        )
    lead = decided[0]
    m = METRICS[lead.metric]
    first = (
        f"Do pressure and technology work better together? On the {m.words} ({m.better} is "
        f"better), pressure alone changed it by {number(lead.pressure.mean, m.unit, True)}, "
        f"technology alone by {number(lead.technology.mean, m.unit, True)} and both together by "
        f"{number(lead.both.mean, m.unit, True)}; the interaction (both minus the sum of each "
        f"alone) is {mean_with_ci(lead.interaction, m.unit, level, True)}, so together they do "
        f"{lead.verdict} of each alone."
    )
    parts = []
    for word in ("more than the sum", "about the sum", "less than the sum"):
        names = [METRICS[f.metric].words for f in decided if f.verdict == word]
        if names:
            parts.append(f"{word} on {len(names)} ({listing(names)})")
    return first + f" Over {len(decided)} key outcomes, the combination does {listing(parts)}."


def caution(n_min: int, level: float) -> str:
    need = minimum_replicates(level)
    if n_min >= need:
        return ""
    return (
        f" Caution: only {n_min} replicate(s) per scenario; the {percent(level)} CIs lean on "
        f"normality (a distribution-free interval needs at least {need}); rerun with more seeds "
        "before relying on them."
    )


def bottom_line(runs: pd.DataFrame, factorials: list[Factorial]) -> str:
    """One plain sentence: where cuts came back (most of the three quantities that were cut)."""
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
        groups[key].append(scenario_label(scenario))
    phrases = {
        "back": "cuts mostly grew back under {}",
        "down": "cuts mostly stayed down under {}",
        "mixed": "cuts partly came back under {}",
        "uncut": "{} made no cuts",
    }
    text = (
        "In short: "
        + "; ".join(phrases[k].format(listing(v)) for k, v in groups.items() if v)
        + "."
    )
    decided = [f for f in factorials if f.verdict != "undetermined"]
    if decided:
        more = sum(f.verdict == "more than the sum" for f in decided)
        less = sum(f.verdict == "less than the sum" for f in decided)
        text += (
            f" Pressure and technology together did more than the sum of each alone on {more} of "
            f"{len(decided)} key outcomes{f' (less than the sum on {less})' if less else ''}."
        )
    return text


def answer(
    runs: pd.DataFrame,
    table: dict[tuple[str, str], Estimate],
    factorials: list[Factorial],
    missing: list[str],
    horizon: str,
    level: float,
    context: str,
) -> str:
    """The first paragraph of the report: what regrows where, and pressure x technology."""
    sentences = [
        bottom_line(runs, factorials),
        context,
        f"Rebound is the share of a cut that came back within {horizon}.",
    ]
    sentences += [quantity_sentence(runs, table, q, level) for q in QUANTITIES]
    sentences.append(formalism_sentence(list(dict.fromkeys(runs["scenario"])), table))
    sentences.append(factorial_sentence(factorials, missing, level))
    n_min = int(runs.groupby("scenario").size().min()) if len(runs) else 0
    return " ".join(sentences) + caution(n_min, level)
