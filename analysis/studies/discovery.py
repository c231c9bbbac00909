"""Scenario discovery with PRIM (ema-workbench): the box of parameter values in which a run's
item rebound ratio stays below a threshold ("regrowth stops").

PRIM peels the parameter space a slice at a time, keeping the part where the share of runs of
interest (density) rises, and traces a peeling trajectory from the whole space (coverage 1) to
small dense boxes. The box reported is the one of highest coverage among those whose density
reaches the bar: `min_density`, and at least halfway from the sample's base rate (the share of
runs of interest overall) to 1, so that a box must add something when most runs are of interest
anyway. If none does, the densest box is reported.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class PrimResult:
    box: pd.DataFrame  # per restricted parameter: low, high (the box) and min, max (the sample)
    coverage: float  # share of all runs of interest that fall in the box
    density: float  # share of the runs in the box that are of interest
    mass: float  # share of all runs in the box
    runs: int
    of_interest: int
    trajectory: pd.DataFrame  # coverage, density, mass, res_dim along the peeling trajectory
    chosen: int  # index of the reported box on the trajectory
    reached_density: bool
    base_rate: float = float("nan")  # share of all runs that are of interest
    bar: float = float("nan")  # the density the reported box had to reach


def find_box(
    x: pd.DataFrame, of_interest: np.ndarray, min_density: float = 0.8, mass_min: float = 0.05
) -> PrimResult:
    """PRIM's first box for the runs flagged `of_interest` (a boolean array, one per row of x)."""
    y = np.asarray(of_interest, dtype=bool)
    if y.all() or not y.any():
        return _trivial(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "ipyparallel not installed", on import
        from ema_workbench.analysis import prim

        logging.getLogger("EMA").setLevel(logging.WARNING)
        box = prim.Prim(x.reset_index(drop=True), y, mass_min=mass_min).find_box()
    trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].astype(float)
    bar = density_bar(float(y.mean()), min_density)
    dense = trajectory.index[trajectory["density"] >= bar]
    chosen = (
        int(trajectory.loc[dense, "coverage"].idxmax())
        if len(dense)
        else int(trajectory["density"].idxmax())
    )
    row = trajectory.loc[chosen]
    return PrimResult(
        box=_restricted(box.box_lims[chosen], box.box_lims[0]),
        coverage=float(row["coverage"]),
        density=float(row["density"]),
        mass=float(row["mass"]),
        runs=len(y),
        of_interest=int(y.sum()),
        trajectory=trajectory.reset_index(drop=True),
        chosen=chosen,
        reached_density=bool(len(dense)),
        base_rate=float(y.mean()),
        bar=bar,
    )


def density_bar(base_rate: float, min_density: float) -> float:
    """The density a reported box must reach."""
    return max(min_density, base_rate + 0.5 * (1.0 - base_rate))


def _restricted(limits: pd.DataFrame, initial: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name in limits.columns:
        low, high = float(limits[name].iloc[0]), float(limits[name].iloc[1])
        lo0, hi0 = float(initial[name].iloc[0]), float(initial[name].iloc[1])
        if low > lo0 or high < hi0:
            rows.append({"parameter": name, "low": low, "high": high, "min": lo0, "max": hi0})
    return pd.DataFrame(rows, columns=["parameter", "low", "high", "min", "max"])


def _trivial(x: pd.DataFrame, y: np.ndarray) -> PrimResult:
    """All runs, or none, are of interest: the box is the whole sample (or empty)."""
    share = float(y.mean()) if len(y) else 0.0
    trajectory = pd.DataFrame(
        [{"coverage": 1.0 if y.any() else 0.0, "density": share, "mass": 1.0, "res_dim": 0.0}]
    )
    return PrimResult(
        box=pd.DataFrame(columns=["parameter", "low", "high", "min", "max"]),
        coverage=trajectory["coverage"][0],
        density=share,
        mass=1.0,
        runs=len(y),
        of_interest=int(y.sum()),
        trajectory=trajectory,
        chosen=0,
        reached_density=share >= 0.8,
        base_rate=share,
        bar=1.0,
    )


def latin_hypercube(bounds: dict[str, tuple[float, float]], n: int, seed: int) -> pd.DataFrame:
    """`n` points, one per stratum of each parameter (scipy's Latin hypercube), scaled to bounds."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(bounds), seed=seed).random(n)
    low = np.array([b[0] for b in bounds.values()])
    high = np.array([b[1] for b in bounds.values()])
    return pd.DataFrame(qmc.scale(unit, low, high), columns=list(bounds))
