"""How long agencies live (DESIGN 9.1): Kaplan-Meier survival by age from the agencies' lives
(agencies.parquet: `founded`, and `ended` empty while the agency lives).

An agency's age is counted in months from the month it was founded; one still alive at the end of
its run is censored there (it lived at least that long). The agencies the run starts with are
founded at its first month, so their age is counted from there (their earlier life is not in the
run: their curve is one of life since the run began). The estimate at age a is
S(a) = prod over ages a_i <= a of (1 - d_i / n_i), with d_i the agencies that ended at age a_i and
n_i those still followed at that age (ended or censored at a_i or later).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd


def lifetimes(lives: pd.DataFrame, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Each agency's age in months at its end (or at `end`, the run's last month, while it
    lives) and whether it ended (False: censored)."""
    ended = pd.to_numeric(lives["ended"], errors="coerce")
    observed = ended.notna().to_numpy()
    last = ended.fillna(end).to_numpy(float)
    return last - lives["founded"].to_numpy(float), observed


def kaplan_meier(durations: np.ndarray, observed: np.ndarray) -> pd.DataFrame:
    """The survival curve: one row per age at which an agency ended (and age 0, and the oldest
    age followed, so that a curve with no end is still drawn), with the agencies followed
    (`at_risk`), those that ended (`ended`) and `survival`."""
    age = np.asarray(durations, dtype=float)
    died = np.asarray(observed, dtype=bool)
    rows = [(0.0, len(age), 0, 1.0)]
    survival = 1.0
    for a in np.unique(age[died]):
        at_risk = int((age >= a).sum())
        ended = int((died & (age == a)).sum())
        survival *= 1.0 - ended / at_risk
        if a == 0.0:  # agencies that ended in their first month: the curve starts below 1
            rows[0] = (0.0, at_risk, ended, survival)
        else:
            rows.append((float(a), at_risk, ended, survival))
    if len(age) and age.max() > rows[-1][0]:  # followed past the last end: the curve goes on
        rows.append((float(age.max()), int((age >= age.max()).sum()), 0, survival))
    return pd.DataFrame(rows, columns=["age", "at_risk", "ended", "survival"])


def pooled_curve(tables: Iterable[tuple[pd.DataFrame, int]]) -> pd.DataFrame:
    """One curve over several runs' lives (each with its run's last month)."""
    parts = [lifetimes(lives, end) for lives, end in tables]
    if not parts:
        return kaplan_meier(np.array([]), np.array([], dtype=bool))
    return kaplan_meier(
        np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    )


def median_life(curve: pd.DataFrame) -> float:
    """The first age at which half or more of the agencies have ended; NaN while more than half
    are alive at the end (the median life is then longer than the runs followed)."""
    reached = curve[curve["survival"] <= 0.5]
    return float(reached["age"].iloc[0]) if len(reached) else math.nan
