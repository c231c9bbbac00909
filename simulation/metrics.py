"""What a month's outputs are computed from (docs/ODD.md, section 4 'Observation'): the state the
month leaves, and the few derived values several outputs share. Each output's own computation sits
beside its name in the table of simulation/outputs.py; this module keeps the longer ones."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from simulation import catalogue as cat
from simulation.items import OPEN
from simulation.mechanisms import complaints_and_satisfaction, data_sharing, workload

if TYPE_CHECKING:
    from simulation.chains import ChainState
    from simulation.government import Government
    from simulation.model import ReformModel


def mean(values: np.ndarray) -> float:
    """The mean, 0.0 for no values (a month may bring no matter of a kind)."""
    return float(np.mean(values)) if len(values) else 0.0


def ratio(part: float, whole: float) -> float:
    """`part / whole`, with the whole kept off zero (a government with no capacity, no budget)."""
    return float(part / max(whole, 1e-9))


@dataclass
class Month:
    """One month as its outputs read it: the model after the month's schedule, this month's
    matters (`needs`), what they met (`outcomes`), the applicants' judgement, M5's counts and the
    approval chains."""

    model: ReformModel
    needs: Any  # simulation.mechanisms.demand.Needs
    outcomes: Any  # simulation.mechanisms.trips.Outcomes
    satisfied: np.ndarray
    complained: np.ndarray
    regrowth: dict[str, int]
    chains: ChainState

    @property
    def gov(self) -> Government:
        return self.model.government

    @property
    def active(self) -> np.ndarray:
        """Bureaus that exist (merged guests and abolished agencies do not)."""
        return self.gov.active

    @property
    def trips(self) -> np.ndarray:
        return self.outcomes.trips

    @cached_property
    def status(self) -> np.ndarray:
        items = self.gov.items
        return items.status[: items.n]

    @cached_property
    def open_rows(self) -> np.ndarray:
        return self.status == OPEN

    @cached_property
    def cascade(self) -> dict[str, int]:
        """This month's cascade counts by category. Read once: reading starts next month's count."""
        return self.model.cascade.close_month()

    def online_share(self) -> float:
        """Share of the open items that can be filed online."""
        if not self.open_rows.any():
            return 0.0
        items = self.gov.items
        return float(items.online[: items.n][self.open_rows].mean())

    def chase_hours(self) -> float:
        real = self.model.matters_by_place(self.needs)[1]
        return workload.chase_hours(self.chains, real, self.model.params.government)

    def data_sharing_coverage(self) -> float:
        return data_sharing.coverage(self.gov, self.model.technology.database_ready)

    def unattributed_complaints(self) -> int:
        blame = self.model.params.supervision.blame_offline_item
        return complaints_and_satisfaction.unattributed_complaints(
            self.gov, self.chains, self.needs, self.complained, blame
        )

    def investment_trips(self) -> np.ndarray:
        return self.trips[self.needs.matter == cat.MATTER["investment_project"]]

    def close(self) -> dict[str, int]:
        """End the month: the cascade's counts restart, whichever outputs read them."""
        return self.cascade
