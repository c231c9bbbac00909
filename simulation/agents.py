"""The four kinds of agents. Each is a mesa.Agent registered with the model; the state the monthly
mechanisms update in bulk lives in the model's arrays, and these objects read and explain it.

Citizens and enterprises act through the batched schedule in `ReformModel.step` (thousands of
matters a month are served with numpy, not one Python call per idle person). Supervising bodies
are few and act one by one through their own `step`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from simulation import catalogue as cat
from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms import supervision
from simulation.mechanisms.trips import FIRM_ABILITY, uses_platform

if TYPE_CHECKING:
    from simulation.model import ReformModel


class _Applicant(mesa.Agent):
    """Shared view of a citizen or an enterprise: row `index` of the applicants' arrays."""

    kind = ""

    def __init__(self, model: ReformModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def _arrays(self) -> Any:
        return self.model.citizens if self.kind == "citizen" else self.model.enterprises

    @property
    def county(self) -> int:
        return int(self._arrays.county[self.index])

    @property
    def digital_ability(self) -> float:
        return float(self._arrays.digital_ability[self.index])

    @property
    def expectation(self) -> float:
        """Trips this applicant expects for its next matter."""
        return float(self._arrays.expectation[self.index])

    @property
    def satisfaction(self) -> float:
        return float(self._arrays.satisfaction[self.index])

    @property
    def complaint_propensity(self) -> float:
        return float(self._arrays.complaint_propensity[self.index])

    @property
    def trip_history(self) -> dict[str, int]:
        a = self._arrays
        return {
            "matters": int(a.matters_done[self.index]),
            "trips": int(a.trips_total[self.index]),
            "last_trips": int(a.last_trips[self.index]),
        }

    def journey(self, matter: str) -> list[dict[str, Any]]:
        """Trip by trip, what this applicant would go through for `matter` today."""
        return self.model.journey(self.county, cat.MATTER[matter], self.uses_platform())

    def uses_platform(self) -> bool:
        m = self.model
        ability = np.array([FIRM_ABILITY if self.kind == "enterprise" else self.digital_ability])
        return bool(
            uses_platform(ability, m.technology.level, m.technology.platform, m.params.applicants)[
                0
            ]
        )


class Citizen(_Applicant):
    """A person with life events: birth, marriage, housing, social insurance, residence."""

    kind = "citizen"


class Enterprise(_Applicant):
    """A firm with business events: registration, licences, investment projects."""

    kind = "enterprise"

    @property
    def size(self) -> float:
        return float(self.model.enterprises.size[self.index])

    @property
    def sector(self) -> int:
        return int(self.model.enterprises.sector[self.index])

    @property
    def active(self) -> bool:
        """False while the firm has left the province because the burden was too high."""
        return bool(self.model.enterprises.active[self.index])


class Department(mesa.Agent):
    """One functional bureau at one unit (province, city or county)."""

    def __init__(self, model: ReformModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def _gov(self) -> Any:
        return self.model.government

    @property
    def domain(self) -> str:
        return cat.DOMAINS[self._gov.dept_domain[self.index]]

    @property
    def level(self) -> str:
        return cat.LEVELS[self._gov.dept_level[self.index]]

    @property
    def unit(self) -> int:
        return int(self._gov.dept_unit[self.index])

    @property
    def merged_into(self) -> int | None:
        host = int(self._gov.host[self.index])
        return None if host == self.index else host

    @property
    def staff(self) -> float:
        return float(self._gov.staff[self.index])

    @property
    def agencies(self) -> float:
        return float(self._gov.agencies[self.index])

    @property
    def items(self) -> dict[str, int]:
        """Open, hidden and cut items this bureau owns."""
        items = self._gov.items
        mine = items.owner[: items.n] == self.index
        status = items.status[: items.n][mine]
        return {
            "open": int((status == OPEN).sum()),
            "hidden": int((status == HIDDEN).sum()),
            "cut": int((status == CUT).sum()),
        }

    @property
    def workload(self) -> float:
        """Staff-hours arriving this month per unit of capacity."""
        return float(self._gov.load[self.index] / self._gov.capacity[self.index])

    @property
    def budget(self) -> float:
        """Monthly budget (post-months): appropriation for its posts plus fee income."""
        return float(self._gov.budget[self.index])

    @property
    def in_window(self) -> bool:
        return bool(self._gov.in_window[self.index])

    @property
    def shares_data(self) -> bool:
        return bool(self._gov.shares_data[self.index])

    @property
    def pressure(self) -> float:
        return float(self._gov.pressure[self.index])

    @property
    def self_interest(self) -> float:
        return float(self._gov.self_interest[self.index])


class SupervisingBody(mesa.Agent):
    """Who judges reform: the government itself, a reform office, a third-party evaluator, a hotline."""

    ROLES = ("government", "reform_office", "third_party", "complaint_channel")

    def __init__(self, model: ReformModel, role: str):
        super().__init__(model)
        assert role in self.ROLES, role
        self.role = role
        self.findings: dict[str, float] = {}

    def step(self) -> None:
        getattr(self, f"_act_as_{self.role}")()

    def _act_as_government(self) -> None:
        """Self-evaluation: read self-reports, run a campaign when due (M7)."""
        self.model.run_campaign_if_due()

    def _act_as_reform_office(self) -> None:
        """Political timetable: pressure bureaus whose counties lag the target. The office reads
        an independent survey where a third party evaluates, and bureaus' own records (which
        leave out hidden steps and informal visits) where none does."""
        m, sp = self.model, self.model.params.supervision
        progress = min(1.0, m.month / sp.target_months)
        target = m.realisation_at_launch + progress * (
            sp.target_realisation - m.realisation_at_launch
        )
        independent = m.institutions.third_party_evaluation
        seen = m.now.realisation_by_county if independent else m.now.recorded_by_county
        short = supervision.target_shortfall(m.government, seen, target)
        m.target = supervision.Target(short, on_records=not independent)
        items_over = supervision.item_target_shortfall(
            m.government, m.items_at_launch, m.params.campaigns.item_cut_share
        )
        m.signal += sp.weight_target * (short + 0.5 * items_over * progress)
        self.findings = {"target": target, "shortfall_mean": float(short.mean())}

    def _act_as_third_party(self) -> None:
        """Quarterly survey and published ranking of bureaus."""
        m, sp = self.model, self.model.params.supervision
        gov = m.government
        if m.month % 3 == 1:
            score, passing = supervision.bureau_satisfaction(
                gov, m.now.chains, m.now.matters_sim, m.now.satisfied_km
            )
            sampled = sp.survey_sample * passing / max(passing.sum(), 1.0) * 3
            gov.bottom_ranked = supervision.rank_bureaus(
                gov, score, sampled, sp.ranking_bottom_share, m.rng_supervision
            )
            self.findings = {"surveyed": float(min(sp.survey_sample, passing.sum()))}
        m.signal += sp.weight_ranking * gov.bottom_ranked

    def _act_as_complaint_channel(self) -> None:
        """Hotline: complaints attributed to bureaus become pressure."""
        m, sp = self.model, self.model.params.supervision
        gov = m.government
        m.signal += sp.weight_complaints * gov.complaints / np.maximum(gov.matters_handled, 1.0)
        self.findings = {"complaints": float(gov.complaints.sum())}
