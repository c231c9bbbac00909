"""The sentences the validation report says about its studies beyond the claims: where on the
pressure x technology grid regrowth stops, how the screening runs came out, PRIM's box, the
assumptions each conclusion rests on (sensitivity), and the stylized facts met. Like
analysis.studies.claims, nothing here is a fixed conclusion: every sentence is read from the
numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.outcomes import OUTCOMES
from analysis.measures.thresholds import CAME_BACK
from analysis.words.formatting import scenario_label
from simulation import i18n


def phase_sentences(table: pd.DataFrame, threshold: float, lang: str = "en") -> list[str]:
    """Where, on the pressure x technology grid, regrowth stops (cell means over seeds)."""
    from analysis.studies.phase import PRESSURE, TECHNOLOGY

    _ = i18n.Words(lang)
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
    _ = i18n.Words(lang)
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


def screening_sentences(
    runs: pd.DataFrame | None, factors: int, threshold: float, lang: str = "en"
) -> list[str]:
    """How often regrowth stops across the screening runs, where every screened assumption moves
    (does a scenario's verdict survive the assumptions?)."""
    if runs is None or runs.empty:
        return []
    _ = i18n.Words(lang)
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
    _ = i18n.Words(lang)
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
    values["limits"] = _.listing(
        [
            f"{r['parameter'].split('.', 1)[-1]} {r['low']:.3g}-{r['high']:.3g}"
            for r in box.box.to_dict("records")
        ]
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
    _ = i18n.Words(lang)
    out = []
    if sobol is not None and len(sobol):
        for (s, o), part in sobol.groupby(["scenario", "outcome"], sort=False):
            if o not in ("items_rebound", "agencies_rebound"):
                continue
            top = part.sort_values("ST", ascending=False).head(2)
            named = _.listing(
                [
                    f"{f.split('.', 1)[-1]} (ST {st:.2f} ± {c:.2f})"
                    for f, st, c in zip(top["factor"], top["ST"], top["ST_conf"])
                ]
            )
            sd = part["output_sd"].iloc[0]
            text = _(
                "The {outcome} under {scenario} (sd {sd} over the Sobol sample) rests most on "
                "{factors}"
            ).format(
                outcome=_(OUTCOMES[o].caption),
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
                    outcome=_(OUTCOMES[o].caption),
                    scenario=scenario_label(s, lang),
                    factors=_.listing([f.split(".", 1)[-1] for f in top["factor"]]),
                )
            )
    return out


def fact_sentence(fit: pd.DataFrame, lang: str = "en") -> str:
    _ = i18n.Words(lang)
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
    return said.format(met=len(met), facts=len(fit), missed=_.listing(missed))


def _observed(row: Mapping[str, Any]) -> str:
    lo, hi = row["observed_low"], row["observed_high"]
    return f"{lo:.3f}" if lo == hi else f"{lo:.3f}-{hi:.3f}"


def pull_sentences(spread: pd.DataFrame, lang: str = "en") -> list[str]:
    """How far each parameter of the pull stage, alone over its plausible range, moves agency
    rebound in each scenario (means over replicates)."""
    from analysis.studies.pull import SAID

    _ = i18n.Words(lang)
    out = []
    outcome = _(OUTCOMES[SAID].caption)
    for r in spread[spread["outcome"] == SAID].to_dict("records"):
        out.append(
            _(
                "Over its plausible range ({low:g} to {high:g}), {factor} moves {outcome} under "
                "{scenario} from {lowest} to {highest}: a spread of {spread}."
            ).format(
                low=r["range_low"],
                high=r["range_high"],
                factor=r["factor"],
                outcome=outcome,
                scenario=scenario_label(r["scenario"], lang),
                lowest=f"{r['lowest']:.3f}",
                highest=f"{r['highest']:.3f}",
                spread=f"{r['spread']:.3f}",
            )
        )
    return out
