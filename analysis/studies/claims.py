"""The article's claims, judged from the validation's numbers (nothing here is a fixed conclusion).

Verdict rule for a claim about a mean m with confidence interval [lo, hi] (Student's t over
replicates) and a claimed side of a threshold c: "supported" when the whole interval is on the
claimed side, "not supported" when the whole interval is on the other side, "inconclusive" when it
straddles c (more replicates would decide). Regrowth "stops" when the item (or agency) rebound
ratio is below the study's threshold (0.2 by default); it "continues" when it is at or above it.
For "neither alone works as well as both", each alone-scenario (public_pressure, technology_only)
is compared with public_pressure_and_technology (exactly their institutions together; the full
package pressure_and_technology adds a reform office, windows and devolution, so it is used only
when the clean cell was not run) by the paired difference d = alone - both over
common-random-number seeds: "supported" when the CI of d shows both together better, "not
supported" when it shows the one alone better or lies within an equivalence margin of 0 (0.05 for
a rebound ratio, 2 points for the realisation rate: no material difference), "inconclusive"
otherwise. A claim over several comparisons is supported only if every one is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.measures.stats import Estimate, estimate, paired_difference

# The studies' sentences live in analysis.studies.study_sentences; the report reads them from here.
from analysis.studies.study_sentences import (
    fact_sentence,
    phase_sentences,
    prim_sentence,
    screening_sentences,
    sensitivity_sentence,
    technology_effect,
)
from analysis.words.formatting import scenario_label
from simulation import i18n

__all__ = [
    "ALONE",
    "ALONE_LABEL",
    "BOTH",
    "CLAIM_TEXTS",
    "CLEAN",
    "INTERNAL",
    "QUANT",
    "RATIO",
    "REGROWTH_METRICS",
    "SERVICE_METRICS",
    "VERDICT_RULE",
    "Claim",
    "alone_claim",
    "alone_sentences",
    "better",
    "check_claims",
    "combine",
    "fact_sentence",
    "phase_sentences",
    "prim_sentence",
    "ratio",
    "rebound_text",
    "regrowth_claim",
    "screening_sentences",
    "sensitivity_sentence",
    "side",
    "technology_effect",
    "verdict_rule",
]

BOTH = "pressure_and_technology"  # the article's full package
CLEAN = "public_pressure_and_technology"  # exactly the two alone-cells' institutions together
INTERNAL = "internal_reform"
ALONE = ("public_pressure", "technology_only")
QUANT = {"items": "items_rebound", "agencies": "agencies_rebound"}
RATIO = (0.0, 1.0)  # a rebound ratio (and a share) lies within these: so do its CIs
ALONE_LABEL = {"public_pressure": "Outside pressure alone", "technology_only": "Technology alone"}
# the rule above, as the report prints it (translated whole: msgid is this text)
VERDICT_RULE = __doc__


@dataclass
class Claim:
    claim: str
    evidence: str
    verdict: str  # "supported", "not supported", "inconclusive", "not tested" (English: a key)


def side(est: Estimate, threshold: float, below: bool) -> str:
    """The verdict for 'the mean is below (or at/above) the threshold'."""
    if est.n < 2 or not np.isfinite(est.lo):
        return "inconclusive"
    inside = est.hi < threshold if below else est.lo >= threshold
    outside = est.lo >= threshold if below else est.hi < threshold
    return "supported" if inside else "not supported" if outside else "inconclusive"


def combine(verdicts: list[str]) -> str:
    if all(v == "supported" for v in verdicts):
        return "supported"
    if any(v == "not supported" for v in verdicts):
        return "not supported"
    return "inconclusive"


def ratio(est: Estimate, lang: str = "en") -> str:
    """A rebound ratio as the evidence says it: '0.61 (95 % CI 0.52 to 0.70)'."""
    _ = i18n.Words(lang)
    return _with_ci(est, ".2f", _("{mean} (95 % CI {low} to {high})"), _("n/a"))


def _with_ci(est: Estimate, spec: str, said: str, missing: str) -> str:
    """`est` written by `said` (its mean, low and high each formatted by `spec`), its mean alone
    when it has no interval (one replicate), `missing` when it has no mean."""
    if not np.isfinite(est.mean):
        return missing
    if not np.isfinite(est.lo):
        return format(est.mean, spec)
    low, high = format(est.lo, spec), format(est.hi, spec)
    return said.format(mean=format(est.mean, spec), low=low, high=high)


def rebound_text(quantity: str, value: str, lang: str = "en") -> str:
    """'items rebound ratio 0.61 (...)' for `quantity` of QUANT."""
    _ = i18n.Words(lang)
    said = {
        "items": _("items rebound ratio {value}"),
        "agencies": _("agencies rebound ratio {value}"),
    }[quantity]
    return said.format(value=value)


def regrowth_claim(
    runs: pd.DataFrame, scenario: str, threshold: float, stops: bool, text: str, lang: str = "en"
) -> Claim:
    """Rebound of items and agencies in one scenario against the threshold."""
    _ = i18n.Words(lang)
    part = runs[runs["scenario"] == scenario]
    if part.empty:
        said = _("{scenario} was not run").format(scenario=scenario_label(scenario, lang))
        return Claim(text, said, "not tested")
    ests = {q: estimate(part[c], bounds=RATIO) for q, c in QUANT.items()}
    verdicts = [side(e, threshold, below=stops) for e in ests.values()]
    evidence = _("; ").join(rebound_text(q, ratio(e, lang), lang) for q, e in ests.items())
    said = _("{scenario}, {n} replicates: {evidence} (threshold {threshold})").format(
        scenario=scenario_label(scenario, lang),
        n=len(part),
        evidence=evidence,
        threshold=f"{threshold:g}",
    )
    return Claim(text, said, combine(verdicts))


def better(d: Estimate, lower_is_better: bool, margin: float) -> str:
    """Verdict for 'both together do better than one alone', from d = alone minus both."""
    if d.n < 2 or not np.isfinite(d.lo):
        return "inconclusive"
    # the gain of both together over one alone
    gain_lo, gain_hi = (d.lo, d.hi) if lower_is_better else (-d.hi, -d.lo)
    if gain_lo > 0:
        return "supported"
    if gain_hi < 0 or (-margin < gain_lo and gain_hi < margin):
        return "not supported"  # alone is better, or the two are equivalent within the margin
    return "inconclusive"


def alone_claim(runs: pd.DataFrame, text: str, metrics: tuple, lang: str = "en") -> Claim:
    """Both together beat each alone on every metric of `metrics` (name, label, lower better, margin)."""
    _ = i18n.Words(lang)
    names = set(runs["scenario"])
    together = CLEAN if CLEAN in names else BOTH
    if not {together, *ALONE} <= names:
        said = _("needs {alone} and {clean} (or {both})").format(
            alone=", ".join(ALONE), clean=CLEAN, both=BOTH
        )
        return Claim(text, said, "not tested")
    by = runs.set_index("seed")
    both = by[by["scenario"] == together]
    parts, verdicts = [], []
    for alone in ALONE:
        other = by[by["scenario"] == alone]
        diffs = []
        for metric, label, lower_better, margin in metrics:
            d = paired_difference(other[metric], both[metric])
            verdicts.append(better(d, lower_better, margin))
            diffs.append(
                _("{label} {difference} ({verdict})").format(
                    label=_(label), difference=_signed(d, lang), verdict=_(verdicts[-1])
                )
            )
        parts.append(
            _("{alone} minus {together}: {differences}").format(
                alone=scenario_label(alone, lang),
                together=scenario_label(together, lang),
                differences=_(", ").join(diffs),
            )
        )
    return Claim(text, _("; ").join(parts), combine(verdicts))


REGROWTH_METRICS = (
    ("items_rebound", "item rebound", True, 0.05),
    ("agencies_rebound", "agency rebound", True, 0.05),
)
SERVICE_METRICS = (("realisation_end", "realisation (last 12 months)", False, 0.02),)


def _signed(d: Estimate, lang: str = "en") -> str:
    """A paired difference, signed: '+0.012 [95 % CI -0.004 to +0.028]'."""
    _ = i18n.Words(lang)
    return _with_ci(d, "+.3f", _("{mean} [95 % CI {low} to {high}]"), _("n/a"))


CLAIM_TEXTS = (
    "Internally driven reform regrows (items and agencies come back after cuts)",
    "Outside pressure plus technical support stops the regrowth (the full package)",
    "Outside pressure plus technical support stops the regrowth (the two alone, together)",
    "Neither outside pressure alone nor technology alone holds regrowth down as well as both "
    "together",
    "Neither alone serves applicants as well as both together (realisation rate)",
)


def check_claims(runs: pd.DataFrame, threshold: float, lang: str = "en") -> list[Claim]:
    """The article's claims with their evidence in `lang`; each Claim's verdict stays the English
    key (the report translates it, and robustness keys on it)."""
    _ = i18n.Words(lang)
    internal, full, clean, regrowth, service = (_(text) for text in CLAIM_TEXTS)
    return [
        regrowth_claim(runs, INTERNAL, threshold, stops=False, text=internal, lang=lang),
        regrowth_claim(runs, BOTH, threshold, stops=True, text=full, lang=lang),
        regrowth_claim(runs, CLEAN, threshold, stops=True, text=clean, lang=lang),
        alone_claim(runs, regrowth, REGROWTH_METRICS, lang),
        alone_claim(runs, service, SERVICE_METRICS, lang),
    ]


def alone_sentences(runs: pd.DataFrame, threshold: float, lang: str = "en") -> list[str]:
    """What each half of the package does by itself: does regrowth stop, and how well are
    applicants served, next to both together (means and CIs over replicates)."""
    _ = i18n.Words(lang)
    names = set(runs["scenario"])
    together = CLEAN if CLEAN in names else BOTH
    out = []
    for alone in ALONE:
        part = runs[runs["scenario"] == alone]
        if part.empty:
            continue
        ests = {q: estimate(part[c], bounds=RATIO) for q, c in QUANT.items()}
        verdict = combine([side(e, threshold, below=True) for e in ests.values()])
        does = {
            "supported": _("regrowth stops"),
            "not supported": _("regrowth does not stop"),
            "inconclusive": _("whether regrowth stops is not decided by these replicates"),
        }[verdict]
        values = {
            "label": _(ALONE_LABEL[alone]),
            "name": alone,
            "does": does,
            "items": ratio(ests["items"], lang),
            "agencies": ratio(ests["agencies"], lang),
            "threshold": f"{threshold:g}",
        }
        if together in names and "realisation_end" in runs:
            mine = estimate(part["realisation_end"])
            both = estimate(runs.loc[runs["scenario"] == together, "realisation_end"])
            said = _(
                "{label} ({name}): {does} (item rebound {items}, agency rebound {agencies}, "
                "threshold {threshold}); realisation rate in the last 12 months {mine} against "
                "{both} with {together}."
            )
            values.update(
                mine=f"{mine.mean:.0%}",
                both=f"{both.mean:.0%}",
                together=scenario_label(together, lang),
            )
        else:
            said = _(
                "{label} ({name}): {does} (item rebound {items}, agency rebound {agencies}, "
                "threshold {threshold})."
            )
        out.append(said.format(**values))
    return out


def verdict_rule(lang: str = "en") -> str:
    """The verdict rule (this module's docstring) in `lang`."""
    return i18n.Words(lang)(VERDICT_RULE)
