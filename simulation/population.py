"""Citizens' and enterprises' states as arrays; the agent objects in agents.py are views on them."""

from __future__ import annotations

import numpy as np

from simulation.parameters import Population


class Applicants:
    """One kind of applicant (citizens or enterprises): every state the hot path reads in bulk."""

    def __init__(
        self, kind: str, n: int, n_counties: int, pp: Population, rng: np.random.Generator
    ):
        self.kind = kind
        self.n = n
        self.county = rng.integers(0, n_counties, n)
        self.digital_ability = rng.beta(pp.digital_ability_a, pp.digital_ability_b, n)
        mean = pp.complaint_propensity_mean
        self.complaint_propensity = (
            rng.beta(2.0 * mean / (1 - mean + 1e-9) + 1e-9, 2.0, n) if mean > 0 else np.zeros(n)
        )
        self.expectation = np.full(n, pp.initial_trip_expectation)
        # remembered satisfaction with government services (0-1)
        self.satisfaction = np.full(n, pp.initial_satisfaction)
        self.matters_done = np.zeros(n, np.int32)
        self.trips_total = np.zeros(n, np.int32)
        self.last_trips = np.full(n, -1, np.int16)
        self.last_matter = np.full(n, -1, np.int16)
        if kind == "enterprise":
            self.size = rng.lognormal(0.0, 1.0, n)  # relative size; larger firms bring more matters
            self.sector = rng.integers(
                0, 4, n
            )  # 0 retail/catering, 1 services, 2 manufacturing, 3 construction
            self.active = np.ones(n, bool)
            self.vacant_until = np.zeros(n, np.int32)
            self.exits = 0
        else:
            self.size = np.ones(n)
            self.active = np.ones(n, bool)

    def remember(self, who: np.ndarray, matters: np.ndarray, trips: np.ndarray) -> None:
        """Record finished matters in the applicants' histories."""
        np.add.at(self.matters_done, who, np.int32(1))  # a typed scalar keeps ufunc.at fast
        np.add.at(self.trips_total, who, trips)
        self.last_trips[who] = trips
        self.last_matter[who] = matters
