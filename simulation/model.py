"""ReformModel: the Mesa model. It builds the government, the applicants and the watchers, and its
`step` is the schedule of one month."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation import catalogue as cat
from simulation.agents import Citizen, Department, Enterprise, SupervisingBody
from simulation.arguments import checked_steps, model_parameters
from simulation.chains import ChainState, build_chains
from simulation.government import Government, Touches
from simulation.items import CUT, HIDDEN, OPEN
from simulation.journey import journey
from simulation.mechanisms import complaints_and_satisfaction as satisfaction
from simulation.mechanisms import (
    formalism,
    item_regrowth,
    observation,
    pressure,
    supervision,
    workload,
)
from simulation.mechanisms import organisational_integration as integration
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.mechanisms.campaigns import Campaigns, Reported
from simulation.mechanisms.cascade import Cascade
from simulation.mechanisms.demand import Demand, expected_monthly_matters
from simulation.mechanisms.technology import Technology
from simulation.mechanisms.trips import FIRM_ABILITY, CompletionQueue, count_trips, uses_platform
from simulation.metrics import Month
from simulation.month_context import MonthContext, sampled_share
from simulation.outputs import month_row, reporters
from simulation.parameters import Institutions, Parameters
from simulation.population import Applicants

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="host abolished registry exposed waiting_days items.n items.owner items.status items.matter",
    writes="complaints matters_handled",
)

STREAMS = ("structure", "population", "demand", "service", "government", "supervision")


class ReformModel(mesa.Model):
    """Administrative reform in a province: bureaus, items, applicants and those who judge reform.

    `ReformModel(config)` takes a `Parameters` (trusted as it is: `simulation.config.from_config`
    checked it when it was built) or a mapping shaped like `simulation.parameters.DEFAULTS` (or a
    Hydra config, checked once by `from_config`); keyword overrides use `__` for nesting
    (`population__citizens=2000`), so `mesa.batch_run` can drive it. Month 1 is the first month after the reform launch; the
    `warmup` months before it run under the status quo and are identical for every scenario.

    Seeding follows Mesa's convention: `rng` (a number or anything numpy accepts) or a `seed` in
    the config or the keyword overrides (not both) reproduces a run exactly; with neither, the model draws
    fresh entropy, and the seed it used is in `params.seed` (so `mesa.batch_run(...,
    iterations=5)` gives five different replicates, each reproducible from its recorded seed).
    """

    def __init__(
        self,
        config: Parameters | Mapping[str, Any] | None = None,
        *,
        rng: Any = None,
        **overrides: Any,
    ):
        params = self.params = model_parameters(config, overrides, rng)
        super().__init__(rng=params.seed)
        streams = np.random.SeedSequence(params.seed).spawn(len(STREAMS))
        rngs = dict(zip(STREAMS, (np.random.default_rng(s) for s in streams)))
        self.rng_government, self.rng_supervision = rngs["government"], rngs["supervision"]

        self.month = -params.warmup
        self.government = Government(params, rngs["structure"])
        pp, K = params.population, self.government.n_counties
        self.citizens = Applicants("citizen", pp.citizens, K, pp, rngs["population"])
        self.enterprises = Applicants("enterprise", pp.enterprises, K, pp, rngs["population"])
        self.scale = np.array(
            [
                pp.represented_citizens / pp.citizens,
                pp.represented_enterprises / pp.enterprises,
            ]
        )
        self.demand = Demand(
            self.citizens,
            self.enterprises,
            rngs["demand"],
            rngs["service"],
            params.applicants.investment_confidence_floor,
        )
        self.technology = Technology(params.technology)
        self.campaigns = Campaigns(params)
        self.cascade = Cascade(self.government.n_departments)
        self.completions = CompletionQueue()
        self.institutions = Institutions()  # none before the launch
        self.signal = np.zeros(self.government.n_departments)
        self.evidence = observation.Evidence()
        self.target = supervision.Target(np.zeros(self.government.n_departments), False)
        self.relabelled_this_month = 0
        self.abolished_this_month = 0.0
        self.audited = np.zeros(self.government.n_departments, bool)  # visited by an audit
        self._staff_government()

        Citizen.create_agents(self, pp.citizens, list(range(pp.citizens)))
        Enterprise.create_agents(self, pp.enterprises, list(range(pp.enterprises)))
        Department.create_agents(
            self, self.government.n_departments, list(range(self.government.n_departments))
        )
        self.metrics: dict[str, float] = {}
        self.now = MonthContext()
        self.realisation_at_launch = 0.0
        self.items_at_launch = np.zeros(self.government.n_departments)
        self.datacollector = mesa.DataCollector(model_reporters=reporters())

    @classmethod
    def from_scenario(cls, name: str, **overrides: Any) -> ReformModel:
        """The model of scenario `name` (a file of scenarios/), e.g.
        `ReformModel.from_scenario("internal_reform", population__citizens=5000, seed=3)`."""
        from simulation import scenarios

        return cls({"scenario": scenarios.load(name)}, **overrides)

    # the schedule of one month --------------------------------------------------------------------
    def step(self) -> None:
        self.month += 1
        self.government.registry.month = self.month  # the date of agencies born or ended
        if self.month == 1:
            self.launch()  # the scenario's institutions switch on
        self.technology.step()  # M10 technology grows
        chains = self.approval_chains()  # what each county's applicants face this month
        needs = self.demand.step()  # M1 demand
        outcomes = self.serve(needs, chains)  # M2 trips, M11 face-to-face contacts
        self.back_office(needs, chains)  # M3 workload and queues; budgets
        satisfied, complained = self.judge_service(needs, outcomes, chains)  # M8
        self.now = self.month_context(chains, needs, outcomes, satisfied, complained)
        self.gather_evidence()  # M9: which matters watchers observed, how traceable their paths
        self.watch()  # M9 supervising bodies (M7 campaigns), what came to light, felt pressure
        changes = self.respond_to_pressure()  # M9 responses, real or on paper: data, online, cuts
        regrowth = self.regrow_items()  # M5 proposals, restorations, each item's form
        self.hand_out_functions()  # each live item's matter is a function of one agency
        grown = self.grow_organisation()  # M6 hiring, splits, new agencies
        self.integrate()  # M13 agencies whose work has gone end where a channel sees them
        self.enterprises_leave()
        self.record(changes, grown)  # M12 cascade
        month = Month(self, needs, outcomes, satisfied, complained, regrowth, chains)
        self.metrics = month_row(month)  # simulation/outputs.py: one value per column
        self.datacollector.collect(self)

    def run(self, steps: int | None = None) -> pd.DataFrame:
        """Warm up (if not done) and run `steps` months after launch (the table's `steps` if
        None); return the time series."""
        steps = self.params.steps if steps is None else checked_steps(steps)
        end = max(self.month, 0) + steps
        while self.month < end:
            self.step()
        return self.timeseries()

    # parts of the month ---------------------------------------------------------------------------
    def launch(self) -> None:
        """The scenario's institutions switch on (the reform launch)."""
        inst = self.institutions = self.params.scenario.institutions
        self.cascade.start_counting_firsts()
        self.technology.investment = inst.technology_growth
        self.technology.platform = inst.platform
        if inst.at_most_once_promise:
            satisfaction.reset_expectations((self.citizens, self.enterprises))
        roles = [
            ("government", inst.internal_campaigns),
            ("reform_office", inst.reform_office),
            ("third_party", inst.third_party_evaluation),
            ("complaint_channel", inst.complaint_channel),
        ]
        for role, present in roles:
            if present:
                SupervisingBody(self, role)
        self.realisation_at_launch = self.metrics.get("realisation_rate", 0.0)
        self.items_at_launch = self.government.live_items().astype(float)

    def approval_chains(self) -> ChainState:
        return build_chains(
            self.government, self.technology.database_ready, self.technology.platform
        )

    def serve(self, needs, chains: ChainState):
        """M2: every matter of the month meets the chains as they stand."""
        ability = np.where(
            needs.enterprise,
            FIRM_ABILITY,
            self.citizens.digital_ability[np.where(needs.enterprise, 0, needs.applicant)],
        )
        online = self.online(ability)
        outcomes = count_trips(needs, chains, online, self.institutions.accept_later, self.params)
        self.completions.step(outcomes.days)
        return outcomes

    def online(self, ability: np.ndarray) -> np.ndarray:
        """Who of these applicants files online this month."""
        tech = self.technology
        return uses_platform(ability, tech.level, tech.platform, self.params.applicants)

    def back_office(self, needs, chains: ChainState) -> None:
        """M3: the represented population's work reaches each bureau's queue; fees and posts
        make its budget. Bureaus handle the real province's matters, whose month-to-month count
        is steady; the simulated sample's draws would only add noise, so the work is the
        expected demand through this month's chains."""
        gov, gp = self.government, self.params.government
        work = self.expected_matters()
        load = workload.monthly_load(gov, chains, work, self.technology.level, self.params)
        workload.step(gov, load, gp)
        workload.record_work(
            gov, chains, work, self.technology.level, self.institutions, self.params
        )
        fees = workload.fee_income(gov, chains, work, gp.fee_per_item)
        workload.update_budget(gov, fees, gp.post_cost)
        gov.matters_handled = workload.matters_passing(gov, chains, self.matters_by_place(needs)[0])

    def expected_matters(self) -> np.ndarray:
        """Represented matters per county x type a month: expected demand, firms that left apart."""
        firms = self.enterprises.active.mean()
        return self.expected_demand * np.where(self.enterprise_matter, firms, 1.0)

    def judge_service(self, needs, outcomes, chains: ChainState):
        """M8: applicants judge their matters; complaints reach the bureaus that caused them."""
        inst = self.institutions
        satisfied, complained = satisfaction.step(
            needs, outcomes, (self.citizens, self.enterprises),
            inst.at_most_once_promise, inst.complaint_channel, self.params.applicants,
        )  # fmt: skip
        self.government.complaints = satisfaction.attribute_complaints(
            self.government, chains, needs, complained, self.params.supervision.blame_offline_item
        )
        return satisfied, complained

    def respond_to_pressure(self) -> dict[str, np.ndarray]:
        changes = pressure.respond(
            self.government,
            self.technology,
            self.institutions,
            self.exposure,
            self.target,
            self.rng_government,
            self.params,
            self.month,
        )
        self.relabelled_this_month += len(changes["relabelled_items"])
        return changes

    def matters_by_place(self, needs) -> tuple[np.ndarray, np.ndarray]:
        """Matters per county x type, simulated and scaled to the represented population."""
        K, M = self.government.n_counties, len(cat.MATTERS)
        index = needs.county * M + needs.matter
        simulated = np.bincount(index, minlength=K * M).reshape(K, M).astype(float)
        real = np.bincount(
            index, weights=self.scale[needs.enterprise.astype(int)].astype(float), minlength=K * M
        )
        return simulated, real.reshape(K, M).astype(float)

    def month_context(self, chains, needs, outcomes, satisfied, complained) -> MonthContext:
        """What the watchers can read about this month."""
        K, M = self.government.n_counties, len(cat.MATTERS)
        return MonthContext(
            chains=chains,
            matters_sim=self.matters_by_place(needs)[0],
            matters_real=self.expected_matters(),
            complaints_real=self.expected_complaints(chains),
            satisfied_km=sampled_share(needs.county * M + needs.matter, satisfied, K * M).reshape(
                K, M
            ),
            realisation_by_county=sampled_share(needs.county, outcomes.realised, K),
            recorded_by_county=sampled_share(needs.county, outcomes.realised_recorded, K),
        )

    def expected_complaints(self, chains: ChainState) -> np.ndarray:
        """M8: complaints the represented province files this month, per county x type."""
        if not self.institutions.complaint_channel:
            return np.zeros_like(self.expected_demand)
        return self.represented(chains, satisfaction.complaint_chance) * self.expected_matters()

    def represented(self, chains: ChainState, chance: Any) -> np.ndarray:
        """An M8 chance per county x type (`complaint_chance`, `satisfaction_chance`) over the
        applicants who stand for each county."""
        groups, inst = (self.citizens, self.enterprises), self.institutions
        paths = satisfaction.Paths(
            chains, groups, self.online, inst.accept_later, self.params.applicants
        )
        return chance(paths)

    def gather_evidence(self) -> None:
        """M9 / M10: this month's observations of matters, and the traceability of their paths."""
        now, tech = self.now, self.technology
        trace = observation.traceability(now.chains, tech.tracking, self.params.supervision)
        self.evidence = observation.observe(
            self.evidence, self.institutions, tech.tracking, now.matters_real,
            now.complaints_real, trace, self.params.supervision,
        )  # fmt: skip
        self.exposure = self.expose()

    def expose(self) -> supervision.Exposure:
        """What could come to light this month, given the evidence and the government's attention."""
        return supervision.exposure(
            self.government, self.evidence, self.now.chains, self.institutions,
            self.campaigns.attention, self.params.supervision,
        )  # fmt: skip

    def watch(self) -> None:
        """Supervising bodies act; their signals become felt pressure; exposed items are cut."""
        inst, sp, gov = self.institutions, self.params.supervision, self.government
        self.signal = np.zeros(gov.n_departments)
        self.relabelled_this_month = 0
        self.abolished_this_month = 0.0
        self.audited = np.zeros(gov.n_departments, bool)
        if SupervisingBody in self.agents_by_type:
            self.agents_by_type[SupervisingBody].do("step")
        if self.technology.tracking and (inst.reform_office or inst.third_party_evaluation):
            self.signal += sp.weight_delay * np.minimum(gov.waiting_days, sp.delay_cap_days)
        exposed = supervision.expose_items(gov, self.exposure, self.month, self.rng_supervision)
        self.cascade.record(
            self.month, "cut", gov.host[gov.items.owner[exposed]], source="exposure"
        )
        caught = formalism.drop_seen_practices(gov, self.exposure, self.rng_supervision)
        stock = gov.live_items() + gov.exposed
        self.signal += sp.weight_exposure * gov.exposed / np.maximum(stock, 1.0)
        self.signal[caught] += sp.weight_exposure  # a practice seen is a scandal of its own
        if inst.establishment_audit:
            self.audit_posts()
        pressure.feel(gov, self.signal, self.params.departments.pressure_memory)
        self.campaigns.fade()

    def audit_posts(self) -> None:
        """An establishment audit (a channel that sees staffing) visits some bureaus' payrolls."""
        gov, sp = self.government, self.params.supervision
        visited = gov.active & (self.rng_supervision.random(gov.n_departments) < self.audit_chance)
        self.audited = visited
        found = organisation.audit(gov, visited)
        self.signal += sp.weight_exposure * (found > 0)

    @property
    def audit_chance(self) -> float:
        """Monthly chance that the audit visits a bureau (0 without an audit)."""
        if not self.institutions.establishment_audit:
            return 0.0
        return -np.expm1(-self.params.supervision.audit_annual / 12.0)

    def regrow_items(self) -> dict[str, int]:
        """M5, deterred by what watchers could bring to light."""
        return item_regrowth.step(
            self.government, self.deterrence(), self.exposure, self.month, self.rng_government,
            self.params.regrowth,
        )  # fmt: skip

    def grow_organisation(self) -> dict[str, list]:
        """M6, inside the establishment; an audit (if any) deters off-quota hiring."""
        audit_risk = 1.0 - (1.0 - self.audit_chance) ** 12
        return organisation.step(
            self.government, self.campaigns.attention, audit_risk, self.rng_government,
            self.params, self.institutions.payroll_cap,
        )  # fmt: skip

    def hand_out_functions(self) -> None:
        gov = self.government
        gov.registry.hold(gov.function_cells(), gov.host)

    def integrate(self) -> None:
        """M13: the audit's visits, the power list's and the platform's yearly reviews."""
        self.abolished_this_month += integration.review(
            self.government, self.month, self.institutions, self.audited, self.rng_government,
            self.params,
        )  # fmt: skip

    def deterrence(self) -> item_regrowth.Deterrence:
        open_risk, hidden_risk = supervision.form_risks(self.government, self.exposure)
        return item_regrowth.deterrence(open_risk, hidden_risk, self.params.regrowth)

    def run_campaign_if_due(self) -> None:
        """M7, called by the government's own supervising body."""
        if not self.campaigns.due(self.month, Reported.of(self.government)):
            return
        self.campaigns.attention = 1.0  # bureaus weigh the scrutiny the campaign brings
        self.exposure = self.expose()
        did = self.campaigns.run(self.government, self.exposure, self.month, self.rng_government)
        self.relabelled_this_month += len(did["relabelled"])
        cutting = self.government.host[
            self.government.items.owner[np.concatenate([did["cut"], did["relabelled"]])]
        ]
        self.cascade.record(self.month, "cut", cutting, source="campaign")
        self.abolished_this_month += did["abolished"]
        self.cascade.record(self.month, "merge", did["merged"], source="campaign")

    def enterprises_leave(self) -> None:
        """Firms facing a heavy burden leave; vacated slots fill with new firms after a while."""
        ap, firms = self.params.applicants, self.enterprises
        u = self.demand.service_rng.random(firms.n)
        reopen = ~firms.active & (firms.vacant_until <= self.month)
        firms.active[reopen] = True
        firms.satisfaction[reopen] = self.params.population.initial_satisfaction
        p_exit = ap.enterprise_exit_base + ap.enterprise_exit_burden * (1.0 - firms.satisfaction)
        leaving = firms.active & (u < p_exit)
        firms.active[leaving] = False
        firms.vacant_until[leaving] = self.month + ap.enterprise_vacancy_months
        firms.exits = int(leaving.sum())

    def record(self, changes: dict[str, np.ndarray], grown: dict[str, list]) -> None:
        """M12: each change counts the bureaus that made it this month."""
        for kind in ("join_window", "open_data", "put_online", "merge", "cut", "devolve"):
            self.cascade.record(self.month, kind, changes.get(kind, []))
        plain_splits = np.setdiff1d(grown["split"], grown["unmerged"])
        self.cascade.record(self.month, "split", plain_splits)
        self.cascade.record(self.month, "unmerge", grown["unmerged"])
        self.cascade.record(self.month, "new_agency", grown["founded"])
        self.changes = changes
        self.founded_this_month = len(plain_splits) + len(grown["founded"])

    # set-up and views -----------------------------------------------------------------------------
    def _staff_government(self) -> None:
        """Initial posts sized to the initial workload, with some slack."""
        gov, gp = self.government, self.params.government
        chains = build_chains(gov, self.technology.database_ready, False)
        expected = expected_monthly_matters(self.citizens, self.enterprises, gov.n_counties)
        self.enterprise_matter = np.array([m.applicant == "enterprise" for m in cat.MATTERS])
        self.expected_demand = expected * self.scale[self.enterprise_matter.astype(int)]
        load = workload.monthly_load(gov, chains, self.expected_demand, 0.0, self.params)
        need = load / gp.productivity_hours * gp.initial_staff_slack
        organisation.establish(gov, need, gp)
        workload.start(gov, load, gp.productivity_hours)

    def journey(self, county: int, matter: int, online: bool) -> list[dict[str, Any]]:
        """Trip-by-trip account of `matter` for an applicant of `county` under today's chains."""
        chains = build_chains(
            self.government, self.technology.database_ready, self.technology.platform
        )
        return journey(self.government, chains, county, matter, online, self.institutions)

    def timeseries(self) -> pd.DataFrame:
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return df

    @property
    def item_counts(self) -> dict[str, int]:
        status = self.government.items.status[: self.government.items.n]
        return {
            "open": int((status == OPEN).sum()),
            "hidden": int((status == HIDDEN).sum()),
            "cut": int((status == CUT).sum()),
        }
