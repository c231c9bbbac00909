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
from simulation.government import Touches
from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms import complaints_and_satisfaction as complaints
from simulation.mechanisms import supervision
from simulation.mechanisms.trips import FIRM_ABILITY, uses_platform
from simulation.mechanisms.workload import matters_passing

if TYPE_CHECKING:
    from simulation.model import ReformModel

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads=(
        "host staff registry load capacity budget in_window shares_data pressure complaints "
        "matters_handled items.n items.owner items.status"
    ),
    writes="bottom_ranked",
)


class _Row:
    """A property reading column `column` of the agent's arrays at its row, as `cast`: the agent
    is a view on one row (Department: of the government's arrays, applicants: of theirs)."""

    def __init__(self, column: str, cast: type, doc: str) -> None:
        self.column, self.cast, self.__doc__ = column, cast, doc

    def __get__(self, agent: Any, owner: type | None = None) -> Any:
        if agent is None:
            return self
        return self.cast(getattr(agent._arrays, self.column)[agent.index])


class _Applicant(mesa.Agent):
    """Shared view of a citizen or an enterprise: row `index` of the applicants' arrays."""

    kind = ""

    def __init__(self, model: ReformModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def _arrays(self) -> Any:
        return self.model.citizens if self.kind == "citizen" else self.model.enterprises

    county = _Row("county", int, "County the applicant lives in.")
    digital_ability = _Row("digital_ability", float, "Ability to file online, in [0, 1].")
    expectation = _Row("expectation", float, "Trips this applicant expects for its next matter.")
    satisfaction = _Row("satisfaction", float, "Satisfaction with matters done, in [0, 1].")
    complaint_propensity = _Row(
        "complaint_propensity", float, "Chance of complaining when let down."
    )

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

    size = _Row("size", float, "Size weight of the firm.")
    sector = _Row("sector", int, "Sector index of the firm.")
    active = _Row(
        "active",
        bool,
        "False while the firm has left the province because the burden was too high.",
    )


class Department(mesa.Agent):
    """One functional bureau at one unit (province, city or county)."""

    def __init__(self, model: ReformModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def _arrays(self) -> Any:
        """The government's arrays, one row per bureau."""
        return self.model.government

    @property
    def domain(self) -> str:
        return cat.DOMAINS[self._arrays.dept_domain[self.index]]

    @property
    def level(self) -> str:
        return cat.LEVELS[self._arrays.dept_level[self.index]]

    unit = _Row("dept_unit", int, "Index of the unit (province, city or county) it belongs to.")

    @property
    def merged_into(self) -> int | None:
        host = int(self._arrays.host[self.index])
        return None if host == self.index else host

    staff = _Row("staff", float, "All staff, on and off the establishment.")
    agencies = _Row("agencies", float, "Agencies doing this bureau's function.")

    @property
    def items(self) -> dict[str, int]:
        """Open, hidden and cut items this bureau owns."""
        items = self._arrays.items
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
        return float(self._arrays.load[self.index] / self._arrays.capacity[self.index])

    budget = _Row(
        "budget",
        float,
        "Monthly budget (post-months): appropriation for its posts plus fee income.",
    )
    in_window = _Row("in_window", bool, "Sits in the comprehensive window.")
    shares_data = _Row("shares_data", bool, "Its data silo is open to a shared database.")
    pressure = _Row("pressure", float, "Pressure it feels.")
    self_interest = _Row("self_interest", float, "Its self-interest (mean 1).")


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
        """Quarterly survey of `survey_sample` represented matters and published ranking of
        bureaus on that sample (never on every simulated matter)."""
        m, sp = self.model, self.model.params.supervision
        gov = m.government
        if m.month % 3 == 1:
            satisfied = m.represented(m.now.chains, complaints.satisfaction_chance)
            represented = m.now.matters_real  # the province's matters, not the simulated few
            score, passing = supervision.survey(
                gov, m.now.chains, represented, satisfied, sp.survey_sample, m.rng_supervision
            )
            gov.bottom_ranked = supervision.rank_bureaus(
                gov, score, passing, sp.ranking_bottom_share
            )
            self.findings = {"surveyed": float(sp.survey_sample if represented.sum() else 0)}
        m.signal += sp.weight_ranking * gov.bottom_ranked

    def _act_as_complaint_channel(self) -> None:
        """Hotline: complaints per matter handled become pressure on the bureaus they blame. It
        hears the represented province's complaints (M8 `expected_complaints`) and weighs them
        against the province's matters, so the pressure does not depend on how many applicants
        are simulated."""
        m, sp = self.model, self.model.params.supervision
        gov, now = m.government, m.now
        heard = complaints.blame_paths(gov, now.chains, now.complaints_real, sp.blame_offline_item)
        handled = matters_passing(gov, now.chains, now.matters_real)
        m.signal += sp.weight_complaints * heard / np.maximum(handled, 1.0)
        self.findings = {"complaints": float(gov.complaints.sum())}
