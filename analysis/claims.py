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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.formatting import scenario_label
from analysis.outcomes import OUTCOMES
from analysis.stats import Estimate, estimate, paired_difference
from analysis.thresholds import CAME_BACK
from simulation import i18n

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
    _ = i18n.t(lang)
    if not np.isfinite(est.mean):
        return _("n/a")
    if not np.isfinite(est.lo):
        return f"{est.mean:.2f}"
    return _("{mean} (95 % CI {low} to {high})").format(
        mean=f"{est.mean:.2f}", low=f"{est.lo:.2f}", high=f"{est.hi:.2f}"
    )


def rebound_text(quantity: str, value: str, lang: str = "en") -> str:
    """'items rebound ratio 0.61 (...)' for `quantity` of QUANT."""
    _ = i18n.t(lang)
    said = {
        "items": _("items rebound ratio {value}"),
        "agencies": _("agencies rebound ratio {value}"),
    }[quantity]
    return said.format(value=value)


def regrowth_claim(
    runs: pd.DataFrame, scenario: str, threshold: float, stops: bool, text: str, lang: str = "en"
) -> Claim:
    """Rebound of items and agencies in one scenario against the threshold."""
    _ = i18n.t(lang)
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
    _ = i18n.t(lang)
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
    _ = i18n.t(lang)
    if not np.isfinite(d.mean):
        return _("n/a")
    if not np.isfinite(d.lo):
        return f"{d.mean:+.3f}"
    return _("{mean} [95 % CI {low} to {high}]").format(
        mean=f"{d.mean:+.3f}", low=f"{d.lo:+.3f}", high=f"{d.hi:+.3f}"
    )


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
    _ = i18n.t(lang)
    internal, full, clean, regrowth, service = (_(text) for text in CLAIM_TEXTS)
    return [
        regrowth_claim(runs, INTERNAL, threshold, stops=False, text=internal, lang=lang),
        regrowth_claim(runs, BOTH, threshold, stops=True, text=full, lang=lang),
        regrowth_claim(runs, CLEAN, threshold, stops=True, text=clean, lang=lang),
        alone_claim(runs, regrowth, REGROWTH_METRICS, lang),
        alone_claim(runs, service, SERVICE_METRICS, lang),
    ]


def phase_sentences(table: pd.DataFrame, threshold: float, lang: str = "en") -> list[str]:
    """Where, on the pressure x technology grid, regrowth stops (cell means over seeds)."""
    from analysis.phase import PRESSURE, TECHNOLOGY

    _ = i18n.t(lang)
    ok = (table["items_rebound_mean"] < threshold) & (table["agencies_rebound_mean"] < threshold)
    t = table.assign(ok=ok)
    low_p, low_t = t[PRESSURE].min(), t[TECHNOLOGY].min()
    out = []
    no_pressure = t[t[PRESSURE] == low_p]
    out.append(
        _(
            "Without outside or top-down pressure (strength {strength}), regrowth stops in "
            "{stops} of {levels} technology levels."
        ).format(strength=f"{low_p:g}", stops=int(no_pressure["ok"].sum()), levels=len(no_pressure))
    )
    least_tech = t[(t[TECHNOLOGY] == low_t) & (t[PRESSURE] > low_p)]
    values = {
        "level": f"{low_t:.2f}",
        "stops": int(least_tech["ok"].sum()),
        "strengths": len(least_tech),
        "lowest": f"{low_p:g}",
    }
    if least_tech["ok"].any():
        said = _(
            "At the lowest technology level ({level}), regrowth stops at {stops} of {strengths} "
            "pressure strengths above {lowest}, from strength {first} on."
        )
        values["first"] = f"{least_tech.loc[least_tech['ok'], PRESSURE].min():.2f}"
    else:
        said = _(
            "At the lowest technology level ({level}), regrowth stops at {stops} of {strengths} "
            "pressure strengths above {lowest}."
        )
    out.append(said.format(**values))
    needed = t[t["ok"]].groupby(TECHNOLOGY)[PRESSURE].min()
    if len(needed):
        out.append(
            _("{cells} of {all} cells have both rebound ratios below {threshold}; {effect}").format(
                cells=int(t["ok"].sum()),
                all=len(t),
                threshold=f"{threshold:g}",
                effect=technology_effect(needed, t[TECHNOLOGY].nunique(), lang),
            )
        )
    else:
        out.append(
            _("No cell of the grid has both rebound ratios below {threshold}.").format(
                threshold=f"{threshold:g}"
            )
        )
    return out


def technology_effect(needed: pd.Series, levels: int, lang: str = "en") -> str:
    """How the weakest sufficient pressure (per technology level where regrowth stops) moves with
    technology."""
    _ = i18n.t(lang)
    lo, hi = needed.min(), needed.max()
    some = len(needed) < levels
    if lo == hi:
        said = (
            _(
                "the weakest pressure that suffices is {pressure} times the table's strength at "
                "{reached} of {levels} technology levels: on this grid, more technology does not "
                "lower the pressure needed."
            )
            if some
            else _(
                "the weakest pressure that suffices is {pressure} times the table's strength at "
                "every technology level: on this grid, more technology does not lower the "
                "pressure needed."
            )
        )
        return said.format(pressure=f"{lo:.2f}", reached=len(needed), levels=levels)
    first, last = needed.iloc[0], needed.iloc[-1]
    trend = (
        _("more technology lowers the pressure needed")
        if last < first
        else _("more technology raises the pressure needed")
        if last > first
        else _("the pressure needed does not fall from the lowest to the highest level")
    )
    said = (
        _(
            "the weakest pressure that suffices ranges from {low} to {high} times the table's "
            "strength ({reached} of {levels} technology levels reach it): {first} at technology "
            "level {first_level}, {last} at {last_level}; {trend}."
        )
        if some
        else _(
            "the weakest pressure that suffices ranges from {low} to {high} times the table's "
            "strength: {first} at technology level {first_level}, {last} at {last_level}; {trend}."
        )
    )
    return said.format(
        low=f"{lo:.2f}",
        high=f"{hi:.2f}",
        reached=len(needed),
        levels=levels,
        first=f"{first:.2f}",
        first_level=f"{needed.index[0]:.2f}",
        last=f"{last:.2f}",
        last_level=f"{needed.index[-1]:.2f}",
        trend=trend,
    )


def alone_sentences(runs: pd.DataFrame, threshold: float, lang: str = "en") -> list[str]:
    """What each half of the package does by itself: does regrowth stop, and how well are
    applicants served, next to both together (means and CIs over replicates)."""
    _ = i18n.t(lang)
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


def screening_sentences(
    runs: pd.DataFrame | None, factors: int, threshold: float, lang: str = "en"
) -> list[str]:
    """How often regrowth stops across the screening runs, where every screened assumption moves
    (does a scenario's verdict survive the assumptions?)."""
    if runs is None or runs.empty:
        return []
    _ = i18n.t(lang)
    out = []
    for s, part in runs.groupby("scenario", sort=False):
        items = part["items_rebound"].to_numpy(float)
        agencies = part["agencies_rebound"].to_numpy(float)
        known = np.isfinite(items) & np.isfinite(agencies)
        stops = int(((items < threshold) & (agencies < threshold) & known).sum())
        n = int(known.sum())
        if not n:
            continue
        out.append(
            _(
                "Across the {runs} screening runs of {scenario} ({factors} assumed or calibrated "
                "parameters each varied over its plausible range), regrowth stopped (both rebound "
                "ratios below {threshold}) in {stops} ({share}) and continued in {rest}."
            ).format(
                runs=n,
                scenario=scenario_label(s, lang),
                factors=factors,
                threshold=f"{threshold:g}",
                stops=stops,
                share=f"{stops / n:.0%}",
                rest=n - stops,
            )
        )
    return out


def prim_sentence(box: Any, threshold: float, lang: str = "en") -> str:
    _ = i18n.t(lang)
    if box.runs == 0:
        return _("PRIM had no finished runs.")
    values = {
        "of_interest": box.of_interest,
        "runs": box.runs,
        "share": f"{box.of_interest / box.runs:.0%}",
        "threshold": f"{threshold:g}",
    }
    if box.box.empty:
        return _(
            "In {of_interest} of {runs} sampled runs ({share}) the item rebound ratio stayed below "
            "{threshold}; PRIM found no restriction of the parameters that separates them from "
            "the others."
        ).format(**values)
    values["limits"] = i18n.listing(
        [
            f"{r['parameter'].split('.', 1)[-1]} {r['low']:.3g}-{r['high']:.3g}"
            for r in box.box.to_dict("records")
        ],
        lang,
    )
    values.update(
        coverage=f"{box.coverage:.0%}", density=f"{box.density:.0%}", bar=f"{box.bar:.0%}"
    )
    said = (
        _(
            "The item rebound ratio stays below {threshold} in {of_interest} of {runs} sampled "
            "runs ({share}); PRIM's box is {limits}: coverage {coverage} (share of all such runs "
            "inside it), density {density} (share of the box's runs that are such runs)."
        )
        if box.reached_density
        else _(
            "The item rebound ratio stays below {threshold} in {of_interest} of {runs} sampled "
            "runs ({share}); PRIM's box is {limits}: coverage {coverage} (share of all such runs "
            "inside it), density {density} (share of the box's runs that are such runs) (no box "
            "reached the density bar of {bar}; this is the densest)."
        )
    )
    return said.format(**values)


def sensitivity_sentence(
    sobol: pd.DataFrame | None,
    morris: pd.DataFrame | None,
    threshold: float = CAME_BACK,
    lang: str = "en",
) -> list[str]:
    """The assumptions each conclusion rests on: the largest total-order effects (or mu*), with
    how far to trust them (an outcome that hardly varies, or intervals wider than the indices)."""
    _ = i18n.t(lang)
    out = []
    if sobol is not None and len(sobol):
        for (s, o), part in sobol.groupby(["scenario", "outcome"], sort=False):
            if o not in ("items_rebound", "agencies_rebound"):
                continue
            top = part.sort_values("ST", ascending=False).head(2)
            named = i18n.listing(
                [
                    f"{f.split('.', 1)[-1]} (ST {st:.2f} ± {c:.2f})"
                    for f, st, c in zip(top["factor"], top["ST"], top["ST_conf"])
                ],
                lang,
            )
            sd = part["output_sd"].iloc[0]
            text = _(
                "The {outcome} under {scenario} (sd {sd} over the Sobol sample) rests most on "
                "{factors}"
            ).format(
                outcome=_(OUTCOMES[o].label),
                scenario=scenario_label(s, lang),
                sd=f"{sd:.3f}",
                factors=named,
            )
            caveats = []
            if sd < threshold / 10:
                caveats.append(
                    _(
                        "it varies little against the threshold {threshold}, so none of these "
                        "assumptions moves the verdict much"
                    ).format(threshold=f"{threshold:g}")
                )
            if (top["ST_conf"] >= top["ST"]).any():
                caveats.append(
                    _("the intervals are as wide as the indices: the ranking is uncertain")
                )
            out.append(_("{sentence}.").format(sentence=_("; ").join([text, *caveats])))
    elif morris is not None and len(morris):
        for (s, o), part in morris.groupby(["scenario", "outcome"], sort=False):
            top = part.sort_values("mu_star", ascending=False).head(2)
            out.append(
                _("The {outcome} under {scenario} moves most with {factors}.").format(
                    outcome=_(OUTCOMES[o].label),
                    scenario=scenario_label(s, lang),
                    factors=i18n.listing([f.split(".", 1)[-1] for f in top["factor"]], lang),
                )
            )
    return out


def fact_sentence(fit: pd.DataFrame, lang: str = "en") -> str:
    _ = i18n.t(lang)
    met = [r["target"] for r in fit.to_dict("records") if r["fits"]]
    missed = [
        _("{target} (model {model}, observed {observed})").format(
            target=r["target"], model=f"{r['model']:.3f}", observed=_observed(r)
        )
        for r in fit.to_dict("records")
        if not r["fits"]
    ]
    if not missed:
        said = _("{met} of {facts} stylized facts are met within their tolerance.")
    else:
        said = _(
            "{met} of {facts} stylized facts are met within their tolerance; missed: {missed}."
        )
    return said.format(met=len(met), facts=len(fit), missed=i18n.listing(missed, lang))


def _observed(row: Mapping[str, Any]) -> str:
    lo, hi = row["observed_low"], row["observed_high"]
    return f"{lo:.3f}" if lo == hi else f"{lo:.3f}-{hi:.3f}"


def verdict_rule(lang: str = "en") -> str:
    """The verdict rule (this module's docstring) in `lang`."""
    return i18n.t(lang)(VERDICT_RULE)
