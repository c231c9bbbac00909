"""The factorial question: outside pressure (off/on) x technology (off/on).

The four scenarios that differ only in these two factors (all keep the government's own
campaigns) are the cells of a 2 x 2 design:

                       technology off      technology on
    pressure off       internal_reform     technology_only
    pressure on        public_pressure     public_pressure_and_technology

The "both" cell is the exact union of the two single-factor scenarios; pressure_and_technology (the
article's full package, with a reform office, windows and devolution besides) is not a cell.

For seed k (common random numbers pair the cells), with I, P, T, PT the run metric:
    pressure alone   P_k - I_k            technology alone   T_k - I_k
    both             PT_k - I_k           sum of the two     (P_k - I_k) + (T_k - I_k)
    interaction      (PT_k - P_k) - (T_k - I_k)  =  both - sum of the two
The interaction's mean and t CI say whether the two together do more than the sum of each alone
(in the metric's better direction), less, or about the sum (the CI holds 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.measures.stats import Estimate, estimate

CELLS = {
    "internal_reform": (0, 0),
    "public_pressure": (1, 0),
    "technology_only": (0, 1),
    "public_pressure_and_technology": (1, 1),
}


@dataclass(frozen=True)
class Factorial:
    metric: str
    pressure: Estimate
    technology: Estimate
    both: Estimate
    sum_alone: Estimate
    interaction: Estimate
    verdict: str  # "more than the sum", "less than the sum", "about the sum", "undetermined"


def missing_cells(scenarios: set[str]) -> list[str]:
    return [s for s in CELLS if s not in scenarios]


def paired_cells(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per seed, one column per cell, only seeds with all four cells finite."""
    part = runs[runs["scenario"].isin(CELLS)]
    wide = part.pivot_table(index="seed", columns="scenario", values=metric, aggfunc="first")
    return wide.reindex(columns=list(CELLS)).dropna()


def factorial(runs: pd.DataFrame, metric: str, better: str, level: float = 0.95) -> Factorial:
    w = paired_cells(runs, metric)
    i, p, t, pt = (w[s] for s in CELLS)
    inter = estimate((pt - p) - (t - i), level)
    return Factorial(
        metric,
        pressure=estimate(p - i, level),
        technology=estimate(t - i, level),
        both=estimate(pt - i, level),
        sum_alone=estimate((p - i) + (t - i), level),
        interaction=inter,
        verdict=verdict(inter, better),
    )


def verdict(interaction: Estimate, better: str) -> str:
    """Does the combination do more than the sum of each alone, in the better direction?"""
    if interaction.n < 2 or better not in ("lower", "higher"):
        return "undetermined"
    if not interaction.excludes_zero:
        return "about the sum"
    helps = interaction.mean < 0 if better == "lower" else interaction.mean > 0
    return "more than the sum" if helps else "less than the sum"
