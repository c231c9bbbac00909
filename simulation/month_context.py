"""What the watchers can read about a month: the month's context handed from the service to
supervision (simulation/model.py::ReformModel.month_context)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.chains import ChainState


@dataclass
class MonthContext:
    """What the watchers can read about this month (per county x matter type unless noted)."""

    chains: ChainState | None = None
    matters_sim: np.ndarray | None = None  # simulated matters
    matters_real: np.ndarray | None = None  # represented matters, expected (not the sample's)
    complaints_real: np.ndarray | None = None  # represented complaints, expected (M8)
    satisfied_km: np.ndarray | None = None  # share of satisfied applicants
    realisation_by_county: np.ndarray | None = None  # (K,) as applicants experienced it
    recorded_by_county: np.ndarray | None = None  # (K,) by the bureaus' own records


def sampled_share(cell: np.ndarray, done: np.ndarray, n_cells: int) -> np.ndarray:
    """Share of the month's sampled matters in each cell that were `done` (1 where none were)."""
    total = np.bincount(cell, minlength=n_cells)
    count = np.bincount(cell, weights=done.astype(float), minlength=n_cells)
    return np.divide(count, total, out=np.ones(n_cells), where=total > 0)
