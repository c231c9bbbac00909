"""Targets of a history match and the implausibility measure (Craig et al. 1997; Vernon,
Goldstein & Bower 2010).

A target is one observed quantity z with its observation error and a stated model discrepancy
(both as standard deviations). For an input x, a target's implausibility is

    I(x) = |z - E[f(x)]| / sqrt(Var_model(x) + Var_obs + Var_discrepancy),

where E[f(x)] and Var_model(x) come from the target's emulator (its own uncertainty, its nugget
and, for a stochastic simulator run over replicates, the run-to-run variance: the record is one
realisation). Over several targets a point is judged on the nth-highest implausibility: a point
is non-implausible when that value is below the cut-off (3 by default, Pukelsheim's three-sigma
rule for any unimodal distribution). Taking the second- rather than the highest guards against
one poorly emulated target ruling out space; by default the highest is used for up to 10 targets
and the second-highest above that, the convention of the R package hmer (Iskauskas et al. 2024).
Nothing here loosens the cut-off: it is the caller's, stated once.

Pure: arrays and frames in, arrays and frames out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

CUTOFF = 3.0  # the usual choice: Pukelsheim's 3-sigma rule holds for any unimodal distribution
MANY_TARGETS = 10  # above this many targets the default judges on the second-highest (as hmer)


@dataclass(frozen=True)
class Target:
    """One observed quantity: its value, observation error and model discrepancy (as sds)."""

    name: str
    value: float
    obs_sd: float = 0.0
    discrepancy_sd: float = 0.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"target {self.name}: its value {self.value} is not a finite number")
        for label, sd in (("obs_sd", self.obs_sd), ("discrepancy_sd", self.discrepancy_sd)):
            if not (math.isfinite(sd) and sd >= 0):
                raise ValueError(f"target {self.name}: {label} must be finite and >= 0, not {sd}")

    @property
    def variance(self) -> float:
        """Observation plus discrepancy variance: what the emulator's variance is added to."""
        return self.obs_sd**2 + self.discrepancy_sd**2


def targets_from_table(
    table: pd.DataFrame,
    *,
    name: str = "name",
    value: str = "value",
    obs: str = "obs_sd",
    discrepancy: str = "discrepancy_sd",
) -> list[Target]:
    """Targets from a table, one row each. A column whose name ends in `_var` holds a variance
    (its square root is taken), any other a standard deviation; a missing discrepancy column
    means no discrepancy is stated (0)."""
    missing = [c for c in (name, value, obs) if c not in table.columns]
    if missing:
        raise ValueError(f"the targets table lacks the column(s) {missing}")

    def sd(column: str, row: pd.Series) -> float:
        if column not in table.columns:
            return 0.0
        v = float(row[column])
        return math.sqrt(v) if column.endswith("_var") and v >= 0 else v

    targets = [
        Target(str(row[name]), float(row[value]), sd(obs, row), sd(discrepancy, row))
        for _, row in table.iterrows()
    ]
    names = [t.name for t in targets]
    if len(set(names)) != len(names):
        raise ValueError(f"target names repeat: {names}")
    return targets


def implausibility(mean: np.ndarray, var: np.ndarray, targets: Sequence[Target]) -> np.ndarray:
    """I per point and target, shape (points, targets): columns follow `targets`; `mean` and
    `var` are the emulators' expectation and every model-side variance, same shape."""
    mean, var = np.atleast_2d(mean), np.atleast_2d(var)
    z = np.array([t.value for t in targets])
    total = var + np.array([t.variance for t in targets])
    if (total <= 0).any():
        raise ValueError("a target has zero total variance: state an observation error")
    return np.abs(z - mean) / np.sqrt(total)


def emulated_implausibility(
    emulators: Sequence,
    targets: Sequence[Target],
    x: np.ndarray,
    used: Sequence[bool] | None = None,
) -> np.ndarray:
    """I at points x under one emulator per target (objects with `predict(x) -> (mean, var)`,
    in the targets' order); a target whose emulator is not `used` gets 0: it rules nothing out."""
    imp = np.zeros((len(x), len(targets)))
    for k, (em, use) in enumerate(zip(emulators, used or [True] * len(targets))):
        if use:
            mean, var = em.predict(x)
            imp[:, k] = implausibility(mean[:, None], var[:, None], [targets[k]])[:, 0]
    return imp


def default_nth(n_targets: int) -> int:
    """The highest implausibility for up to MANY_TARGETS targets, the second-highest above."""
    return 1 if n_targets <= MANY_TARGETS else 2


def nth_max(imp: np.ndarray, nth: int) -> np.ndarray:
    """The nth-highest implausibility of each point (nth=1: the highest)."""
    imp = np.atleast_2d(imp)
    if not 1 <= nth <= imp.shape[1]:
        raise ValueError(f"nth={nth}: must lie between 1 and the {imp.shape[1]} targets")
    return -np.sort(-imp, axis=1)[:, nth - 1]


def non_implausible(imp: np.ndarray, cutoff: float = CUTOFF, nth: int | None = None) -> np.ndarray:
    """Whether each point survives: its nth-highest implausibility lies below the cut-off."""
    imp = np.atleast_2d(imp)
    return nth_max(imp, nth or default_nth(imp.shape[1])) < cutoff


def closest_approach(imp: np.ndarray, names: Sequence[str], cutoff: float = CUTOFF) -> pd.DataFrame:
    """Per target the smallest implausibility any of the points reaches, and whether even that
    is at or above the cut-off (no point can meet the target): the diagnosis when a wave rules
    out everything."""
    imp = np.atleast_2d(imp)
    low = imp.min(axis=0) if len(imp) else np.full(len(names), np.nan)
    frame = pd.DataFrame({"target": list(names), "min_implausibility": low})
    frame["unreachable"] = frame["min_implausibility"] >= cutoff
    return frame.sort_values("min_implausibility", ascending=False, ignore_index=True)
