"""M10 Technology: a level in [0, 1] that grows with investment and sets what is possible.

It caps the share of items that can be online, decides which shared databases exist, saves staff
effort per online item (M3) and, past a threshold, gives project codes and online tracking that
make each bureau's delay visible. It never makes a bureau share, cut or go online by itself.
"""

from __future__ import annotations

import numpy as np

from simulation.government import Government, Touches
from simulation.items import OPEN, first_per_group
from simulation.parameters import TechnologyParams

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(reads="host items.n items.owner items.status", writes="items.online")


class Technology:
    """The province's technology level and what it enables."""

    def __init__(self, tp: TechnologyParams):
        self.tp = tp
        self.level = self.tp.initial_level
        self.investment = 0.0  # extra logistic growth from a platform programme (scenario)
        self.platform = False

    def step(self) -> None:
        growth = self.tp.baseline_growth + self.investment
        self.level = min(1.0, self.level + growth * self.level * (1.0 - self.level))

    @property
    def database_ready(self) -> np.ndarray:
        """Which shared databases the platform can run at this level."""
        return self.platform & (self.level >= np.asarray(self.tp.database_thresholds))

    @property
    def online_cap(self) -> float:
        """Largest share of a bureau's items that can be put online."""
        return self.level if self.platform else 0.0

    @property
    def tracking(self) -> bool:
        """Project codes and online tracking make each bureau's delay attributable."""
        return self.platform and self.level >= self.tp.tracking_threshold


def put_items_online(gov: Government, bureaus: np.ndarray, cap: float, share: float) -> np.ndarray:
    """Bureaus put a share of their offline open items online, up to the technology cap.
    Returns the rows put online."""
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] == OPEN)
    host = gov.host[items.owner[rows]]
    total = np.bincount(host, minlength=gov.n_departments)
    done = np.bincount(host, weights=items.online[rows], minlength=gov.n_departments)
    quota = np.zeros(gov.n_departments, int)
    quota[bureaus] = np.maximum(
        0, np.minimum(np.floor(cap * total), done + np.ceil(share * total)) - done
    )[bureaus]
    offline = ~items.online[rows]
    pick = first_per_group(rows[offline], host[offline], quota)
    items.online[pick] = True
    return pick
