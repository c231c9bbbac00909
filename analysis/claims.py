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

from analysis.formatting import listing, scenario_label
from analysis.outcomes import OUTCOMES
from analysis.stats import Estimate, estimate, paired_difference

BOTH = "pressure_and_technology"  # the article's full package
CLEAN = "public_pressure_and_technology"  # exactly the two alone-cells' institutions together
INTERNAL = "internal_reform"
ALONE = ("public_pressure", "technology_only")
QUANT = {"items": "items_rebound", "agencies": "agencies_rebound"}
RATIO = (0.0, 1.0)  # a rebound ratio (and a share) lies within these: so do its CIs
ALONE_LABEL = {"public_pressure": "Outside pressure alone", "technology_only": "Technology alone"}


@dataclass
class Claim:
    claim: str
    evidence: str
    verdict: str  # "supported", "not supported", "inconclusive", "not tested"


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


def ratio(est: Estimate) -> str:
    if not np.isfinite(est.mean):
        return "n/a"
    ci = f" (95 % CI {est.lo:.2f} to {est.hi:.2f})" if np.isfinite(est.lo) else ""
    return f"{est.mean:.2f}{ci}"


def regrowth_claim(
    runs: pd.DataFrame, scenario: str, threshold: float, stops: bool, text: str
) -> Claim:
    """Rebound of items and agencies in one scenario against the threshold."""
    part = runs[runs["scenario"] == scenario]
    if part.empty:
        return Claim(text, f"{scenario_label(scenario)} was not run", "not tested")
    ests = {q: estimate(part[c], bounds=RATIO) for q, c in QUANT.items()}
    verdicts = [side(e, threshold, below=stops) for e in ests.values()]
    evidence = "; ".join(f"{q} rebound ratio {ratio(e)}" for q, e in ests.items())
    return Claim(
        text,
        f"{scenario_label(scenario)}, {len(part)} replicates: {evidence} (threshold {threshold:g})",
        combine(verdicts),
    )


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


def alone_claim(runs: pd.DataFrame, text: str, metrics: tuple) -> Claim:
    """Both together beat each alone on every metric of `metrics` (name, label, lower better, margin)."""
    names = set(runs["scenario"])
    together = CLEAN if CLEAN in names else BOTH
    if not {together, *ALONE} <= names:
        return Claim(text, f"needs {', '.join(ALONE)} and {CLEAN} (or {BOTH})", "not tested")
    by = runs.set_index("seed")
    both = by[by["scenario"] == together]
    parts, verdicts = [], []
    for alone in ALONE:
        other = by[by["scenario"] == alone]
        diffs = []
        for metric, label, lower_better, margin in metrics:
            d = paired_difference(other[metric], both[metric])
            verdicts.append(better(d, lower_better, margin))
            diffs.append(f"{label} {_signed(d)} ({verdicts[-1]})")
        parts.append(
            f"{scenario_label(alone)} minus {scenario_label(together)}: {', '.join(diffs)}"
        )
    return Claim(text, "; ".join(parts), combine(verdicts))


REGROWTH_METRICS = (
    ("items_rebound", "item rebound", True, 0.05),
    ("agencies_rebound", "agency rebound", True, 0.05),
)
SERVICE_METRICS = (("realisation_end", "realisation (last 12 months)", False, 0.02),)


def _signed(d: Estimate) -> str:
    if not np.isfinite(d.mean):
        return "n/a"
    ci = f" [95 % CI {d.lo:+.3f} to {d.hi:+.3f}]" if np.isfinite(d.lo) else ""
    return f"{d.mean:+.3f}{ci}"


CLAIM_TEXTS = (
    "Internally driven reform regrows (items and agencies come back after cuts)",
    "Outside pressure plus technical support stops the regrowth (the full package)",
    "Outside pressure plus technical support stops the regrowth (the two alone, together)",
    "Neither outside pressure alone nor technology alone holds regrowth down as well as both "
    "together",
    "Neither alone serves applicants as well as both together (realisation rate)",
)


def check_claims(runs: pd.DataFrame, threshold: float) -> list[Claim]:
    internal, full, clean, regrowth, service = CLAIM_TEXTS
    return [
        regrowth_claim(runs, INTERNAL, threshold, stops=False, text=internal),
        regrowth_claim(runs, BOTH, threshold, stops=True, text=full),
        regrowth_claim(runs, CLEAN, threshold, stops=True, text=clean),
        alone_claim(runs, regrowth, REGROWTH_METRICS),
        alone_claim(runs, service, SERVICE_METRICS),
    ]


def phase_sentences(table: pd.DataFrame, threshold: float) -> list[str]:
    """Where, on the pressure x technology grid, regrowth stops (cell means over seeds)."""
    from analysis.phase import PRESSURE, TECHNOLOGY

    ok = (table["items_rebound_mean"] < threshold) & (table["agencies_rebound_mean"] < threshold)
    t = table.assign(ok=ok)
    low_p, low_t = t[PRESSURE].min(), t[TECHNOLOGY].min()
    out = []
    no_pressure = t[t[PRESSURE] == low_p]
    out.append(
        f"Without outside or top-down pressure (strength {low_p:g}), regrowth stops in "
        f"{int(no_pressure['ok'].sum())} of {len(no_pressure)} technology levels."
    )
    least_tech = t[(t[TECHNOLOGY] == low_t) & (t[PRESSURE] > low_p)]
    out.append(
        f"At the lowest technology level ({low_t:.2f}), regrowth stops at "
        f"{int(least_tech['ok'].sum())} of {len(least_tech)} pressure strengths above {low_p:g}"
        + (
            f", from strength {least_tech.loc[least_tech['ok'], PRESSURE].min():.2f} on."
            if least_tech["ok"].any()
            else "."
        )
    )
    needed = t[t["ok"]].groupby(TECHNOLOGY)[PRESSURE].min()
    if len(needed):
        out.append(
            f"{int(t['ok'].sum())} of {len(t)} cells have both rebound ratios below {threshold:g}; "
            + technology_effect(needed, t[TECHNOLOGY].nunique())
        )
    else:
        out.append(f"No cell of the grid has both rebound ratios below {threshold:g}.")
    return out


def technology_effect(needed: pd.Series, levels: int) -> str:
    """How the weakest sufficient pressure (per technology level where regrowth stops) moves with
    technology."""
    lo, hi = needed.min(), needed.max()
    where = (
        f"at {len(needed)} of {levels} technology levels"
        if len(needed) < levels
        else "at every technology level"
    )
    if lo == hi:
        return (
            f"the weakest pressure that suffices is {lo:.2f} times the table's strength {where}: "
            "on this grid, more technology does not lower the pressure needed."
        )
    first, last = needed.iloc[0], needed.iloc[-1]
    trend = (
        "more technology lowers the pressure needed"
        if last < first
        else "more technology raises the pressure needed"
        if last > first
        else "the pressure needed does not fall from the lowest to the highest level"
    )
    where = f" ({where.removeprefix('at ')} reach it)" if len(needed) < levels else ""
    return (
        f"the weakest pressure that suffices ranges from {lo:.2f} to {hi:.2f} times the table's "
        f"strength{where}: {first:.2f} at technology level {needed.index[0]:.2f}, {last:.2f} at "
        f"{needed.index[-1]:.2f}; {trend}."
    )


def alone_sentences(runs: pd.DataFrame, threshold: float) -> list[str]:
    """What each half of the package does by itself: does regrowth stop, and how well are
    applicants served, next to both together (means and CIs over replicates)."""
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
            "supported": "regrowth stops",
            "not supported": "regrowth does not stop",
            "inconclusive": "whether regrowth stops is not decided by these replicates",
        }[verdict]
        text = (
            f"{ALONE_LABEL[alone]} ({alone}): {does} (item rebound "
            f"{ratio(ests['items'])}, agency rebound {ratio(ests['agencies'])}, threshold "
            f"{threshold:g})"
        )
        if together in names and "realisation_end" in runs:
            mine = estimate(part["realisation_end"])
            both = estimate(runs.loc[runs["scenario"] == together, "realisation_end"])
            text += (
                f"; realisation rate in the last 12 months {mine.mean:.0%} against "
                f"{both.mean:.0%} with {scenario_label(together)}"
            )
        out.append(text + ".")
    return out


def screening_sentences(runs: pd.DataFrame | None, factors: int, threshold: float) -> list[str]:
    """How often regrowth stops across the screening runs, where every screened assumption moves
    (does a scenario's verdict survive the assumptions?)."""
    if runs is None or runs.empty:
        return []
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
            f"Across the {n} screening runs of {scenario_label(s)} ({factors} assumed or calibrated "
            f"parameters each varied over its plausible range), regrowth stopped "
            f"(both rebound ratios below {threshold:g}) in {stops} ({stops / n:.0%}) and "
            f"continued in {n - stops}."
        )
    return out


def prim_sentence(box: Any, threshold: float) -> str:
    if box.runs == 0:
        return "PRIM had no finished runs."
    base = f"{box.of_interest} of {box.runs} sampled runs ({box.of_interest / box.runs:.0%})"
    if box.box.empty:
        return (
            f"In {base} the item rebound ratio stayed below {threshold:g}; PRIM found no restriction "
            "of the parameters that separates them from the others."
        )
    limits = listing(
        [
            f"{r['parameter'].split('.', 1)[-1]} {r['low']:.3g}-{r['high']:.3g}"
            for r in box.box.to_dict("records")
        ]
    )
    quality = (
        ""
        if box.reached_density
        else f" (no box reached the density bar of {box.bar:.0%}; this is the densest)"
    )
    return (
        f"The item rebound ratio stays below {threshold:g} in {base}; PRIM's box is {limits}: coverage "
        f"{box.coverage:.0%} (share of all such runs inside it), density {box.density:.0%} (share of the "
        f"box's runs that are such runs){quality}."
    )


def sensitivity_sentence(
    sobol: pd.DataFrame | None, morris: pd.DataFrame | None, threshold: float = 0.2
) -> list[str]:
    """The assumptions each conclusion rests on: the largest total-order effects (or mu*), with
    how far to trust them (an outcome that hardly varies, or intervals wider than the indices)."""
    out = []
    if sobol is not None and len(sobol):
        for (s, o), part in sobol.groupby(["scenario", "outcome"], sort=False):
            if o not in ("items_rebound", "agencies_rebound"):
                continue
            top = part.sort_values("ST", ascending=False).head(2)
            named = listing(
                [
                    f"{f.split('.', 1)[-1]} (ST {st:.2f} ± {c:.2f})"
                    for f, st, c in zip(top["factor"], top["ST"], top["ST_conf"])
                ]
            )
            sd = part["output_sd"].iloc[0]
            text = (
                f"The {OUTCOMES[o].label} under {scenario_label(s)} (sd {sd:.3f} over the "
                f"Sobol sample) rests most on {named}"
            )
            caveats = []
            if sd < threshold / 10:
                caveats.append(
                    f"it varies little against the threshold {threshold:g}, so none of these "
                    "assumptions moves the verdict much"
                )
            if (top["ST_conf"] >= top["ST"]).any():
                caveats.append("the intervals are as wide as the indices: the ranking is uncertain")
            out.append(text + ("; " + "; ".join(caveats) if caveats else "") + ".")
    elif morris is not None and len(morris):
        for (s, o), part in morris.groupby(["scenario", "outcome"], sort=False):
            top = part.sort_values("mu_star", ascending=False).head(2)
            out.append(
                f"The {OUTCOMES[o].label} under {scenario_label(s)} moves most with "
                f"{listing([f.split('.', 1)[-1] for f in top['factor']])}."
            )
    return out


def fact_sentence(fit: pd.DataFrame) -> str:
    met = [r["target"] for r in fit.to_dict("records") if r["fits"]]
    missed = [
        f"{r['target']} (model {r['model']:.3f}, observed {_observed(r)})"
        for r in fit.to_dict("records")
        if not r["fits"]
    ]
    text = f"{len(met)} of {len(fit)} stylized facts are met within their tolerance"
    return text + (f"; missed: {listing(missed)}." if missed else ".")


def _observed(row: Mapping[str, Any]) -> str:
    lo, hi = row["observed_low"], row["observed_high"]
    return f"{lo:.3f}" if lo == hi else f"{lo:.3f}-{hi:.3f}"
