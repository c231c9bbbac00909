"""How much each verdict rests on assumptions: the verdicts the reports print, judged again in many
plausible worlds (a Latin hypercube over the plausible ranges of every assumed parameter).

A *world* is one draw of the assumed parameters; in it every scenario runs with the same seeds
(common random numbers). Its runs give one verdict per key, on the replicates' means:

- `regrowth/<scenario>/<items|agencies|staff>`: "came back" (mean rebound ratio >= 0.15: the
  comparison report's "grew back" or "partly grew back"), "stayed down", or "was not cut";
- `sum/<metric>`: pressure and technology together do "more than the sum" of each alone, "about the
  sum" (the interaction is within 10 % of the sum of the two effects) or "less than the sum";
- `paper/<scenario>`: "bred paper compliance" or "no paper compliance" (analysis.words.narrative's
  rule);
- `claim/<n>`: each claim of the article the validation report judges, "holds" or "fails" (the
  replicates' means on the claimed side; a claim that both together beat each alone needs every
  gain to exceed the claim's equivalence margin).

The verdict under the parameter table's values is the *nominal* one. A key's share holding is the
share of worlds that give the nominal verdict; what flips it is PRIM's box (analysis.studies.discovery)
over the worlds where it does not hold, with that box's coverage and density; PRIM peels only the
few parameters whose values differ most between the worlds that flip and those that hold and,
when a one-at-a-time check ran (`acts`), only those it showed to act on the verdict's scenarios:
a parameter that changes none of their runs cannot be what flips the verdict.

The share holding carries its Wilson 95 % interval (`share_low`, `share_high`), and the `label`
judges the interval against the robust line: robust when all of it lies at or above the line,
fragile when all of it lies below, undetermined when it straddles the line (more worlds would
tell), not assessed without worlds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.factorial import CELLS
from analysis.measures.stats import estimate
from analysis.measures.summary import METRICS, QUANTITIES
from analysis.measures.thresholds import ROBUST_SHARE
from analysis.studies import claims, discovery
from analysis.studies.intervals import label, wilson
from analysis.words import narrative
from analysis.words.formatting import mean_with_ci, number
from analysis.words.records import Say, Scenario, Words, _
from simulation import i18n
from simulation.outputs import shown_in

CAME_BACK = narrative.PARTLY  # a mean rebound ratio at or above this: the cut came back
ABOUT_THE_SUM = 0.1  # an interaction within this share of the sum of the two effects
SUSPECTS = 4  # PRIM looks for what flips a verdict among this many parameters
# the run metrics whose factorial verdicts are judged, and those read for paper compliance
KEY_METRICS = tuple(o.name for o in shown_in("robustness", "comparison"))
PAPER_METRICS = tuple(o.name for o in shown_in("paper", "comparison"))
ROBUST, FRAGILE, NOT_ASSESSED = "robust", "fragile", "not assessed"
UNDETERMINED = (
    "undetermined"  # the share's interval straddles the robust line (analysis.studies.intervals)
)
NOTHING_ACTS = "none of the separating parameters acts on its scenarios"  # rests_on
# a verdict in a cell of the report's table, where the column names the quantity
CELL_WORDS = {
    "was not cut": "not cut",
    "bred paper compliance": "yes",
    "no paper compliance": "no",
}
FLIPS_EVERYWHERE = "flips in every draw"  # rests_on when no world holds
# every word a world can give (robustness.csv `verdict` and `shares`)
VERDICT_WORDS = (
    "holds",
    "fails",
    "came back",
    "stayed down",
    "was not cut",
    "bred paper compliance",
    "no paper compliance",
    "more than the sum",
    "about the sum",
    "less than the sum",
)
CLAIMS = (
    # (number in claims.CLAIM_TEXTS, scenario, whether the claim is that regrowth stops)
    (0, claims.INTERNAL, False),
    (1, claims.BOTH, True),
    (2, claims.CLEAN, True),
)


@dataclass(frozen=True)
class Robustness:
    """The robustness of one verdict (a row of robustness.csv)."""

    key: str
    claim: str
    verdict: str  # the nominal verdict
    share_holding: float
    share_low: float  # Wilson 95 % interval of the share holding
    share_high: float
    label: str  # robust, fragile, undetermined or not assessed (see `label`)
    draws: int
    rests_on: str  # PRIM's box over the worlds that flip it ("" if none does)
    coverage: float
    density: float
    shares: str  # every verdict the worlds gave, with its share


# verdicts of one world -----------------------------------------------------------------------------
def regrowth_word(rebound: pd.Series) -> str:
    if rebound.notna().mean() < 0.5:
        return "was not cut"
    return "came back" if rebound.mean() >= CAME_BACK else "stayed down"


def sum_word(runs: pd.DataFrame, metric: str) -> str | None:
    """The factorial's verdict on the replicates' mean effects (None without the four cells)."""
    means = {s: runs.loc[runs["scenario"] == s, metric].mean() for s in CELLS}
    if any(not np.isfinite(m) for m in means.values()):
        return None
    i, p, t, pt = (means[s] for s in CELLS)
    interaction, together = (pt - p) - (t - i), (p - i) + (t - i)
    if abs(interaction) <= ABOUT_THE_SUM * max(abs(together), 1e-9):
        return "about the sum"
    helps = interaction < 0 if METRICS[metric].better == "lower" else interaction > 0
    return "more than the sum" if helps else "less than the sum"


def paper_word(part: pd.DataFrame) -> str:
    table = {("s", m): estimate(part[m]) for m in PAPER_METRICS}
    return (
        "bred paper compliance" if narrative.paper_compliance(table, "s") else "no paper compliance"
    )


def claim_words(outcomes: pd.DataFrame, threshold: float) -> dict[str, str]:
    """The article's claims (analysis.studies.claims.check_claims) on the replicates' means."""
    mean = outcomes.groupby("scenario").mean(numeric_only=True)
    out = {}
    for n, scenario, stops in CLAIMS:
        if scenario in mean.index:
            values = [mean.loc[scenario, c] for c in claims.QUANT.values()]
            below = all(v < threshold for v in values)
            above = all(v >= threshold for v in values)
            out[f"claim/{n}"] = "holds" if (below if stops else above) else "fails"
    together = claims.CLEAN if claims.CLEAN in mean.index else claims.BOTH
    if {together, *claims.ALONE} <= set(mean.index):
        for n, metrics in ((3, claims.REGROWTH_METRICS), (4, claims.SERVICE_METRICS)):
            gains = [
                (mean.loc[a, m] - mean.loc[together, m]) * (1 if lower else -1) >= margin
                for a in claims.ALONE
                for m, _, lower, margin in metrics
            ]
            out[f"claim/{n}"] = "holds" if all(gains) else "fails"
    return out


def world_verdicts(
    metrics: pd.DataFrame, outcomes: pd.DataFrame, threshold: float
) -> dict[str, str]:
    """Every verdict of one world. `metrics`: one row per run with `scenario` and the comparison
    report's run metrics (analysis.measures.summary); `outcomes`: the same runs' validation outcomes
    (analysis.measures.outcomes)."""
    out = {}
    for scenario, part in metrics.groupby("scenario", sort=False):
        for q in QUANTITIES:
            out[f"regrowth/{scenario}/{q}"] = regrowth_word(part[f"{q}_rebound"])
        out[f"paper/{scenario}"] = paper_word(part)
    for metric in KEY_METRICS:
        word = sum_word(metrics, metric)
        if word:
            out[f"sum/{metric}"] = word
    out.update(claim_words(outcomes, threshold))
    return out


# words -----------------------------------------------------------------------------------------------
def parse_key(key: str) -> tuple[str, str, str]:
    """A verdict's key as (kind, subject, quantity): `regrowth/<scenario>/<q>` gives its scenario
    and quantity, `paper/<scenario>` its scenario, `sum/<metric>` and `claim/<n>` their subject
    (a scenario's name may hold "/")."""
    kind, rest = key.split("/", 1)
    if kind == "regrowth":
        scenario, q = rest.rsplit("/", 1)
        return kind, scenario, q
    return kind, rest, ""


def claim_text(key: str, verdict: str) -> Say:
    """The verdict as a sentence, e.g. 'Agencies came back under internal reform'."""
    kind, rest, q = parse_key(key)
    if kind == "regrowth":
        scenario = rest
        said = {
            "came back": _("{noun} came back under {scenario}"),
            "stayed down": _("{noun} stayed down under {scenario}"),
            "was not cut": _("{noun} were not cut under {scenario}"),
        }[verdict]
        return said.format(noun=_(narrative.NOUNS[q]), scenario=Scenario(scenario))
    if kind == "paper":
        said = (
            _("Paper compliance under {scenario}")
            if verdict == "bred paper compliance"
            else _("No paper compliance under {scenario}")
        )
        return said.format(scenario=Scenario(rest))
    if kind == "sum":
        said = {
            "more than the sum": _(
                "Pressure and technology together do more than the sum of each alone on the "
                "{metric}"
            ),
            "about the sum": _(
                "Pressure and technology together do about the sum of each alone on the {metric}"
            ),
            "less than the sum": _(
                "Pressure and technology together do less than the sum of each alone on the "
                "{metric}"
            ),
        }[verdict]
        return said.format(metric=_(METRICS[rest].words))
    text = _(claims.CLAIM_TEXTS[int(rest)])
    return text if verdict == "holds" else _("Not so: {claim}").format(claim=text)


# the table ---------------------------------------------------------------------------------------------
def robustness_table(
    nominal: Mapping[str, str],
    worlds: pd.DataFrame,
    draws: pd.DataFrame,
    min_density: float = 0.8,
    robust_share: float = ROBUST_SHARE,
    acts: Mapping[str, Collection[str]] | None = None,
) -> pd.DataFrame:
    """One row per nominal verdict. `worlds`: one row per draw, one column per key (the verdict
    of that world); `draws`: the same rows' parameter values; `acts`: per key, the parameters a
    one-at-a-time check showed to act on its scenarios (None: no check, every parameter may)."""
    rows = []
    for key, verdict in nominal.items():
        said = worlds[key] if key in worlds else pd.Series(dtype=object)
        known = said.notna().to_numpy()
        holds = (said == verdict).to_numpy()[known]
        flips = ~holds
        rests_on, coverage, density = "", float("nan"), float("nan")
        if flips.any() and holds.any():
            x = draws[known].reset_index(drop=True)
            if acts is not None:
                x = x[[c for c in x.columns if c in set(acts.get(key, ()))]]
            if x.shape[1]:
                box = discovery.find_box(x[most_separating(x, flips)], flips, min_density)
                rests_on = box_text(box.box)
                coverage, density = box.coverage, box.density
            else:
                rests_on = NOTHING_ACTS
        elif flips.any():
            rests_on = FLIPS_EVERYWHERE
        shares = said[known].value_counts(normalize=True)
        low, high = wilson(int(holds.sum()), len(holds))
        rows.append(
            Robustness(
                key=key,
                claim=Words().text(claim_text(key, verdict)),  # the CSV keeps English
                verdict=verdict,
                share_holding=float(holds.mean()) if len(holds) else float("nan"),
                share_low=low,
                share_high=high,
                label=label(low, high, robust_share),
                draws=int(known.sum()),
                rests_on=rests_on,
                coverage=coverage,
                density=density,
                shares="; ".join(f"{w} {s:.3f}" for w, s in shares.items()),
            ).__dict__
        )
    return pd.DataFrame(rows, columns=list(Robustness.__dataclass_fields__))


def most_separating(x: pd.DataFrame, flips: np.ndarray, keep: int = SUSPECTS) -> list[str]:
    """The parameters whose values differ most between worlds that flip and worlds that hold
    (|AUC - 0.5| of each parameter's ranks): PRIM peels only these, so that with a few dozen
    worlds and many parameters it does not fit a box to noise."""
    ranks = x.rank().to_numpy(float)
    n_flip, n_hold = int(flips.sum()), int((~flips).sum())
    auc = (ranks[flips].sum(0) - n_flip * (n_flip + 1) / 2) / (n_flip * n_hold)
    order = np.argsort(-np.abs(auc - 0.5), kind="stable")
    return [x.columns[i] for i in order[:keep]]


def box_text(box: pd.DataFrame) -> str:
    """PRIM's box as 'name from a to b; ...' (the parameters it restricts)."""
    return "; ".join(
        f"{r.parameter} {_bound(r)}" for r in box.itertuples() if r.low > r.min or r.high < r.max
    )


def _bound(r) -> str:
    if r.low > r.min and r.high < r.max:
        return f"from {r.low:.3g} to {r.high:.3g}"
    return f"below {r.high:.3g}" if r.high < r.max else f"above {r.low:.3g}"


def rests_on_text(rests_on: str, lang: str = "en") -> str:
    """A `rests_on` cell of robustness.csv (box_text's English) in `lang`: the CSV keeps English,
    a report reads it in its own language."""
    if lang == "en" or not isinstance(rests_on, str) or not rests_on:
        return rests_on if isinstance(rests_on, str) else ""
    _ = i18n.Words(lang)
    if rests_on == FLIPS_EVERYWHERE:
        return _(FLIPS_EVERYWHERE)
    parts = []
    for part in rests_on.split("; "):
        name, _sep, bound = part.partition(" ")
        words = bound.split(" ")
        if words[0] == "from" and len(words) == 4:
            said = _("{parameter} from {low} to {high}").format(
                parameter=name, low=words[1], high=words[3]
            )
        elif words[0] in ("below", "above") and len(words) == 2:
            said = (
                _("{parameter} below {value}")
                if words[0] == "below"
                else _("{parameter} above {value}")
            ).format(parameter=name, value=words[1])
        else:  # not box_text's shape: leave it as it is
            said = part
        parts.append(said)
    return _("; ").join(parts)


def shares_text(shares: str, lang: str = "en") -> str:
    """A `shares` cell of robustness.csv ('holds 0.750; fails 0.250') in `lang`."""
    if lang == "en" or not isinstance(shares, str) or not shares:
        return shares if isinstance(shares, str) else ""
    _ = i18n.Words(lang)
    parts = []
    for part in shares.split("; "):
        word, _sep, share = part.rpartition(" ")
        parts.append(f"{_(word)} {share}")
    return _("; ").join(parts)


def badge(share: float, robust_share: float = 0.9) -> str:
    if not np.isfinite(share):
        return NOT_ASSESSED
    return ROBUST if share >= robust_share else FRAGILE


def share_of(table: pd.DataFrame | None, key: str, verdict: str) -> float:
    """The share of worlds that gave `verdict` for `key` (NaN when the key was not assessed)."""
    if table is None or key not in set(table["key"]):
        return float("nan")
    row = table[table["key"] == key].iloc[0]
    for part in str(row["shares"]).split("; "):
        word, _, share = part.rpartition(" ")
        if word == verdict:
            return float(share)
    return 0.0


# the comparison report's verdicts -------------------------------------------------------------------
def comparison_verdicts(
    runs: pd.DataFrame,
    table: Mapping[tuple[str, str], Any],
    factorials: list[Any],
    robustness: pd.DataFrame | None,
    robust_share: float = 0.9,
    level: float = 0.95,
) -> list[dict[str, Any]]:
    """The comparison report's opening: one line per verdict, with its figures, how sure its
    replicates are ("supported": the CI is on the verdict's side; "inconclusive": it straddles
    the line) and how much it rests on assumptions (robust / fragile / not assessed, from a
    robustness stage). Its texts are records (analysis/words/records.py)."""
    lines = []
    for scenario, part in runs.groupby("scenario", sort=False):
        for q in QUANTITIES:
            word = regrowth_word(part[f"{q}_rebound"])
            est = table[(scenario, f"{q}_rebound")]
            sure = (
                ""
                if word == "was not cut"
                else "supported"
                if (est.lo >= CAME_BACK if word == "came back" else est.hi < CAME_BACK)
                else "inconclusive"
            )
            if word == "was not cut":
                change = number(table[(scenario, f"{q}_net_change")].mean, "share", signed=True)
                figure = _("{change} since launch").format(change=change)
            else:
                value = mean_with_ci(est, "ratio", level)
                figure = _("rebound {value}").format(value=value)
            key = f"regrowth/{scenario}/{q}"
            lines.append(_line(key, word, sure, figure, robustness, robust_share))
        paper = narrative.paper_compliance(table, scenario)
        word = "bred paper compliance" if paper else "no paper compliance"
        reported = table[(scenario, "realisation_rate_reported_end")].mean
        experienced = table[(scenario, "realisation_rate_end")].mean
        figure = _("at most one trip: {reported} reported, {experienced} experienced").format(
            reported=number(reported, "share"), experienced=number(experienced, "share")
        )
        lines.append(_line(f"paper/{scenario}", word, "", figure, robustness, robust_share))
    for f in factorials:
        if f.verdict == "undetermined" or f.metric not in KEY_METRICS:
            continue
        unit = METRICS[f.metric].unit
        figure = _("interaction {value}").format(
            value=mean_with_ci(f.interaction, unit, level, True)
        )
        key = f"sum/{f.metric}"
        if f.verdict == "about the sum":  # the interval holds 0: no verdict to judge
            lines.append(_line(key, f.verdict, "inconclusive", figure, None, 0.0))
        else:
            lines.append(_line(key, f.verdict, "supported", figure, robustness, robust_share))
    return lines


def _line(
    key: str,
    word: str,
    sure: str,
    figure: Say,
    robustness: pd.DataFrame | None,
    robust_share: float,
) -> dict[str, Any]:
    share = share_of(robustness, key, word)
    return {
        "key": key,
        "word": word,
        "text": claim_text(key, word),
        "figure": figure,
        "verdict": sure,
        "robustness": badge(share, robust_share),
        "share": share,
    }


def verdict_grid(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The regrowth and paper-compliance lines as one row per scenario (the report's table)."""
    rows: dict[str, dict[str, Any]] = {}
    for line in lines:
        kind, scenario, q = parse_key(line["key"])
        if kind not in ("regrowth", "paper"):
            continue
        column = q or "paper"
        rows.setdefault(scenario, {"scenario": scenario})[column] = line
    return list(rows.values())
