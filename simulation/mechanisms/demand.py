"""M1 Demand: citizens and enterprises draw matters; enterprise matters are fewer but longer.

Needs come from their own random stream and are drawn for every applicant slot whatever the
policy, so two scenarios with the same seed meet the same people with the same needs (common
random numbers). Policy only decides whether a vacated firm slot acts on its need, and whether a
firm that has had enough of the burden still goes ahead with an investment project (it does with
chance floor + (1 - floor) x its satisfaction).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation import catalogue as cat
from simulation.government import Touches
from simulation.population import Applicants

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches()

# uniforms per need: omission, non-essential, satisfaction, complaint, certificates, pre-visit,
# investment go-ahead
DRAWS_PER_NEED = 7
INVESTMENT = cat.MATTER["investment_project"]


@dataclass
class Needs:
    """The matters started this month, one entry each."""

    applicant: np.ndarray  # index into the applicants of that kind
    enterprise: np.ndarray  # True for an enterprise matter
    matter: np.ndarray  # matter type index
    county: np.ndarray  # applicant's county
    draws: np.ndarray  # (n, DRAWS_PER_NEED) uniforms from the service stream

    def __len__(self) -> int:
        return len(self.matter)

    def subset(self, mask: np.ndarray) -> Needs:
        return Needs(
            *(
                getattr(self, f)[mask]
                for f in ("applicant", "enterprise", "matter", "county", "draws")
            )
        )


class Demand:
    """Draws each month's needs for both kinds of applicants."""

    def __init__(
        self,
        citizens: Applicants,
        enterprises: Applicants,
        rng: np.random.Generator,
        service_rng: np.random.Generator,
        invest_floor: float = 0.5,
    ):
        self.groups = []
        for applicants in (citizens, enterprises):
            kinds = [i for i, m in enumerate(cat.MATTERS) if m.applicant == applicants.kind]
            rates = np.array([cat.MATTERS[i].annual_rate for i in kinds]) / 12.0
            weights = np.cumsum(applicants.size) / applicants.size.sum()
            self.groups.append((applicants, np.array(kinds), rates, weights))
        self.rng = rng
        self.service_rng = service_rng
        self.invest_floor = invest_floor
        self.investments_dropped = 0

    def step(self) -> Needs:
        parts = []
        for applicants, kinds, rates, weights in self.groups:
            count = self.rng.poisson(applicants.n * rates.sum())
            who = np.searchsorted(weights, self.rng.random(count), side="right").clip(
                0, applicants.n - 1
            )
            matter = kinds[self.rng.choice(len(kinds), count, p=rates / rates.sum())]
            parts.append(
                (
                    who,
                    np.full(count, applicants.kind == "enterprise"),
                    matter,
                    applicants.county[who],
                )
            )
        who, enterprise, matter, county = (np.concatenate(x) for x in zip(*parts))
        draws = self.service_rng.random((len(who), DRAWS_PER_NEED))
        needs = Needs(who, enterprise, matter, county, draws)
        enterprises = self.groups[1][0]
        firm = np.where(needs.enterprise, needs.applicant, 0)
        acting = ~needs.enterprise | enterprises.active[firm]
        confident = self.invest_floor + (1.0 - self.invest_floor) * enterprises.satisfaction[firm]
        dropped = needs.enterprise & (needs.matter == INVESTMENT) & (needs.draws[:, 6] >= confident)
        self.investments_dropped = int((acting & dropped).sum())
        return needs.subset(acting & ~dropped)


def expected_monthly_matters(
    citizens: Applicants, enterprises: Applicants, n_counties: int
) -> np.ndarray:
    """Expected simulated matters per county x matter type in a month (what bureaus plan on and
    watchers hear). Applicants live in every county alike (`Applicants` draws counties
    uniformly), so each county expects an equal share: the sample's own spread over counties is
    noise, and a county the sample left without a firm still has the province's firms' work."""
    expected = np.zeros((n_counties, len(cat.MATTERS)))
    for applicants in (citizens, enterprises):
        per_county = np.full(n_counties, applicants.n / n_counties)
        for i, matter in enumerate(cat.MATTERS):
            if matter.applicant == applicants.kind:
                expected[:, i] = per_county * matter.annual_rate / 12.0
    return expected
