"""The parameter table: every default, its unit, and where it comes from.

One step is one month. "assumed" marks a behavioural value with no direct source; the sensitivity
analysis (issue 6) shows how much each matters. Rates are monthly probabilities unless named
`annual`. Scenario files (scenarios/*.yaml) set the `scenario.institutions` block only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

# fmt: off
DEFAULTS: dict[str, Any] = {
    "seed": 0,  # master seed; every random stream is spawned from it (common random numbers)
    "steps": 240,  # months simulated after the reform launch
    "warmup": 60,  # months of status quo before launch, shared by all scenarios; 5 years, assumed
    "population": {
        "citizens": 20_000,  # simulated citizens (a sample of the represented population)
        "enterprises": 2_000,  # simulated enterprises
        "represented_citizens": 5_000_000,  # real citizens the sample stands for; a mid-size province's share, assumed
        "represented_enterprises": 500_000,  # real firms the sample stands for; ~1 firm per 10 residents, assumed
        "digital_ability_a": 2.5,  # Beta(a, b) of citizens' digital ability; mean 0.63, near China's 2019 internet penetration (CNNIC 61 %)
        "digital_ability_b": 1.5,  # second Beta parameter of digital ability
        "complaint_propensity_mean": 0.25,  # mean chance a let-down applicant complains when a channel exists; assumed
        "initial_trip_expectation": 3.0,  # trips an applicant expects before reform; Zhejiang pre-reform surveys ~3, assumed
    },
    "government": {
        "cities": 6,  # cities in the province (Zhejiang has 11); scaled down, assumed
        "counties_per_city": 5,  # counties per city (Zhejiang ~8); scaled down, assumed
        "item_spread": 0.5,  # extra initial items per department-step, Poisson mean; assumed
        "material_mean": 3.0,  # materials an item asks for, Poisson mean (+1); Zhejiang item guides, assumed
        "initial_staff_slack": 1.2,  # initial staff / staff needed by the initial workload; calibrated (experiments/calibration/)
        "min_staff_per_agency": 3.0,  # posts an agency keeps whatever happens (leader, deputy, clerk); assumed
        "post_cost": 1.0,  # monthly budget of one post (the unit of budget); normalisation
        "fee_per_item": 0.01,  # fee income per item handled, in post-months; a fee share of ~1/4 of budgets, assumed
        "productivity_hours": 120.0,  # working hours per staff per month on approvals; assumed
        "effort_hours_per_item": 2.0,  # staff hours to handle one item of one matter (per represented matter); assumed
        "chase_hours_per_certificate": 2.81,  # staff hours to chase one certificate from another bureau; calibrated (experiments/calibration/)
        "window_hours_per_matter": 0.5,  # front-desk hours per matter at a comprehensive window; assumed
        "item_processing_days": 3.0,  # legal working days per item; Zhejiang promised time limits, assumed
        "days_per_trip": 1.0,  # days an applicant loses per physical trip; assumed
        "chase_days_per_certificate": 3.0,  # days added when staff chase a paper certificate; assumed
        "travel_hours": [4.0, 2.0, 1.0],  # hours per trip to a province / city / county office; assumed
        "window_parallel_factor": 0.5,  # share of sequential waiting left once a window routes files in parallel; assumed
        "max_waiting_days": 180.0,  # cap of queue waiting at one bureau, days; assumed
    },
    "applicants": {
        "omission_per_material": 0.0325,  # chance each material is missing or wrong on a first visit; calibrated (experiments/calibration/)
        "certificate_missing_share": 0.4,  # share of demanded certificates an applicant does not already hold; assumed
        "nonessential_share": 0.579,  # share of omissions that are non-essential (accept now, complete later); calibrated (experiments/calibration/)
        "expectation_learning": 0.3,  # weight of the last matter's trips in the trips expected next time; assumed
        "satisfaction_base": 4.37,  # logit of satisfaction when trips meet expectations and no wait; calibrated (experiments/calibration/)
        "satisfaction_per_extra_trip": 1.25,  # logit lost per trip above expectation; calibrated (experiments/calibration/)
        "satisfaction_per_wait_month": 1.1,  # logit lost per month of queue waiting; calibrated (experiments/calibration/)
        "satisfaction_memory": 0.5,  # weight of the last matter in an applicant's satisfaction state; assumed
        "online_threshold_at_zero_tech": 0.95,  # digital ability needed to use the platform when technology is 0; assumed
        "enterprise_exit_base": 0.002,  # monthly chance a firm leaves the province anyway; assumed
        "enterprise_exit_burden": 0.02,  # extra monthly exit chance for a fully dissatisfied firm; assumed
        "investment_confidence_floor": 0.5,  # chance a fully dissatisfied firm still goes ahead with an investment; assumed
        "enterprise_vacancy_months": 6,  # months until a vacated firm slot is taken by a new firm; assumed
    },
    "departments": {
        "self_interest_mean": 1.0,  # mean weight a bureau puts on power, fees and rents; relative scale, assumed
        "self_interest_sd": 0.3,  # spread of self-interest across bureaus (lognormal sigma); assumed
        "resistance": 1.02,  # pressure a bureau of mean self-interest absorbs before acting; calibrated (experiments/calibration/)
        "overload_resistance": 1.0,  # extra resistance per unit of workload above capacity; assumed
        "information_advantage": 0.5,  # extra resistance to opening a data silo; assumed
        "pressure_memory": 0.8,  # share of last month's felt pressure carried over; assumed
        "action_step": 0.131,  # share of items a pressed bureau cuts / puts online / devolves per month; calibrated (experiments/calibration/)
        "process_cost": 0.552,  # pressure, in units of resistance, a bureau needs to change its process (window, online, data); calibrated (experiments/calibration/)
        "organisational_cost": 1.5,  # pressure, in units of resistance, needed to accept a merger; assumed
        "functional_cost": 2.0,  # pressure, in units of resistance, needed to give up items or devolve them; assumed
        "devolution_staff_follow": 0.5,  # share of a devolved item's posts that move down with it; assumed
        "self_adoption_rate": 0.03,  # monthly chance an overloaded bureau adopts labour-saving tech unpressed; assumed
    },
    "regrowth": {
        "new_task_items_annual": 0.015,  # legitimate new items per open item per year (new risks and tasks); assumed
        "self_interest_items_annual": 0.03,  # self-interested new items per open item per year without deterrence; assumed
        "restore_annual": 0.35,  # yearly hazard a cut item of mean value comes back, without deterrence; assumed
        "rule_density_reference": 40.0,  # items per bureau at which new-rule births are halved (rule density); assumed
        "hidden_value_share": 0.7,  # value a hidden item keeps for its bureau compared with an open one; assumed
        "hiding_cost": 0.3,  # yearly cost, in item-value units, of keeping a requirement off the books (an intermediary, a filing to run, deniability); assumed
        "penalty": 2.0,  # loss to a bureau when an item is exposed, in item-value units; assumed
        "deterrence_sensitivity": 3.0,  # how sharply proposals fall with deterrence (exp(-k d)); assumed
        "new_item_certificate_share": 0.3,  # share of new items that demand another bureau's certificate; assumed
    },
    "staffing": {
        "parkinson_annual": 0.0668,  # staff drift with no change in work; Parkinson 1955 reports 5.17-6.56 % a year in total, assumed part; calibrated (experiments/calibration/)
        "overload_hiring": 0.135,  # share of a month's overload (in posts) hired the next month; calibrated (experiments/calibration/)
        "split_annual": 0.02,  # yearly chance an agency splits at the reference size; assumed
        "split_reference_staff": 40.0,  # staff per agency at which splitting reaches its base rate; assumed
        "new_field_agencies_annual": 0.5,  # new agencies a year province-wide for new policy fields; assumed
        "new_agency_staff": 5.0,  # posts a new agency starts with; assumed
        "quota_approval": 0.5,  # share of the posts asked beyond the establishment that the organisation department approves (less while a reform round holds attention); assumed
    },
    "campaigns": {
        "interval_months": 60,  # months between internal campaigns; State Council reforms 1998-2018 every 5 years
        "min_interval_months": 48,  # months before a round may follow the last one, however bloated reports look; assumed (no central round came sooner than 5 years)
        "item_cut_share": 0.474,  # share of self-reported items a campaign asks cut; 69.3 % cut over 2002-2012 in ~3 rounds; calibrated (experiments/calibration/)
        "merge_share": 0.15,  # share of mergeable bureaus merged per campaign; assumed
        "staff_cut_share": 0.1,  # share of posts cut per campaign; assumed
        "attention_half_life": 6.0,  # months for campaign attention to halve; assumed
        "bloat_trigger": 0.399,  # growth since the last round of reported items, or of reported posts beyond the growth of work, that brings a round forward; calibrated (experiments/calibration/)
    },
    "supervision": {
        "internal_scrutiny": 0.1,  # share of bureaus' self-reports the government reads closely a month at full campaign attention (an open item it never approved is plain in one it reads); assumed
        "traceability_paper": 0.155,  # chance that observing a matter on a paper path pins a hidden step or off-book practice on the bureau that did it; calibrated (experiments/calibration/)
        "traceability_digital": 0.6,  # the same on a path whose every step is logged (online filing, e-licences, e-signatures, project codes); assumed
        "evidence_memory": 0.8,  # share of last month's observations a watcher still holds (files stay open a few months); assumed
        "audit_annual": 0.2,  # share of bureaus an establishment audit visits a year, where a scenario has one; assumed
        "survey_sample": 400,  # matters sampled by the third-party evaluator each quarter; assumed
        "complaint_followup": 1.0,  # share of complaints the hotline follows up in the bureau's records; assumed (the 12345 hotline forwards every one)
        "ranking_bottom_share": 0.2,  # share of bureaus named at the bottom of published rankings; assumed
        "target_realisation": 0.9,  # political target for the 'at most one trip' share; Zhejiang 2017 target
        "target_months": 12,  # months to reach the target (the timetable); Zhejiang 2017
        "weight_complaints": 4.0,  # pressure per complaint per matter handled; assumed
        "weight_ranking": 0.6,  # pressure from being named at the bottom of a ranking; assumed
        "weight_target": 3.0,  # pressure per unit of target shortfall; assumed
        "weight_delay": 0.02,  # pressure per day of visible delay; assumed
        "weight_exposure": 2.0,  # pressure from having all of one's items exposed in a month (scaled by the share exposed); assumed
    },
    "technology": {
        "initial_level": 0.05,  # technology level at model start (0-1); assumed
        "baseline_growth": 0.01,  # monthly logistic growth of technology without a platform programme; assumed
        "database_thresholds": [0.15, 0.25, 0.4, 0.5, 0.6],  # tech level each database needs (population ... geospatial); assumed
        "tracking_threshold": 0.35,  # tech level at which project codes make delays visible; assumed
        "effort_saving": 0.5,  # share of per-item staff effort saved by full technology on online items; assumed
    },
    "scenario": {
        "name": "custom",  # scenario name (set by the scenario file)
        "description": "",  # one sentence for reports
        "institutions": {
            "internal_campaigns": False,  # the government periodically cuts items, merges and cuts staff by itself
            "reform_office": False,  # top-down timetable with targets, read from self-reports unless evaluators exist
            "third_party_evaluation": False,  # independent surveys and published rankings of bureaus
            "public_item_list": False,  # a published list of items ('power list'); items outside it are illegal
            "complaint_channel": False,  # a hotline that attributes complaints to bureaus
            "at_most_once_promise": False,  # public promise that resets applicants' expectation to one trip
            "one_window": False,  # comprehensive windows that bureaus may join
            "platform": False,  # online service platform with shared databases
            "accept_later": False,  # 'accept now, complete later' for non-essential missing materials
            "run_nearby": False,  # devolution of items to county level is on the table
            "technology_growth": 0.0,  # extra monthly logistic technology growth from investment
            "establishment_audit": False,  # an outside audit of posts against the published establishment (sees off-quota staff)
        },
    },
}
# fmt: on


@dataclass(frozen=True)
class Bound:
    """Where a number keeps the model well defined and tractable (not its plausible range)."""

    low: float
    high: float
    above: bool = False  # True: strictly above `low` (the model divides or shapes by it)

    def admits(self, value: float) -> bool:
        low_ok = value > self.low if self.above else value >= self.low
        return low_ok and value <= self.high

    def text(self) -> str:
        low = f"greater than {self.low:g}" if self.above else f"at least {self.low:g}"
        return f"{low} and at most {self.high:g}"


SHARE = Bound(0.0, 1.0)
POSITIVE = Bound(0.0, 1e6, above=True)
# Every number of the table has its bound here; tests/test_config.py keeps the two in step.
BOUNDS: dict[str, Bound] = {
    "seed": Bound(0, 2**32 - 1),
    "steps": Bound(1, 2400),
    "warmup": Bound(0, 600),
    "population.citizens": Bound(1, 5_000_000),
    "population.enterprises": Bound(1, 1_000_000),
    "population.represented_citizens": Bound(1, 1e10),
    "population.represented_enterprises": Bound(1, 1e9),
    "population.digital_ability_a": Bound(0, 1000, above=True),  # Beta shape
    "population.digital_ability_b": Bound(0, 1000, above=True),  # Beta shape
    "population.complaint_propensity_mean": SHARE,
    "population.initial_trip_expectation": Bound(0, 100),
    "government.cities": Bound(1, 100),
    "government.counties_per_city": Bound(1, 50),
    "government.item_spread": Bound(0, 20),  # Poisson mean of items per bureau: memory
    "government.material_mean": Bound(1, 30),  # 1 + Poisson(mean - 1)
    "government.initial_staff_slack": Bound(0, 10, above=True),
    "government.min_staff_per_agency": Bound(0, 1000),
    "government.post_cost": POSITIVE,
    "government.fee_per_item": Bound(0, 1000),
    "government.productivity_hours": Bound(0, 744, above=True),  # hours in a month at most
    "government.effort_hours_per_item": Bound(0, 1000),
    "government.chase_hours_per_certificate": Bound(0, 1000),
    "government.window_hours_per_matter": Bound(0, 1000),
    "government.item_processing_days": Bound(0, 365),
    "government.days_per_trip": Bound(0, 365),
    "government.chase_days_per_certificate": Bound(0, 365),
    "government.travel_hours": Bound(0, 1000),
    "government.window_parallel_factor": SHARE,
    "government.max_waiting_days": Bound(0, 3650),
    "applicants.omission_per_material": SHARE,
    "applicants.certificate_missing_share": SHARE,
    "applicants.nonessential_share": SHARE,
    "applicants.expectation_learning": SHARE,
    "applicants.satisfaction_base": Bound(-50, 50),  # a logit
    "applicants.satisfaction_per_extra_trip": Bound(0, 50),
    "applicants.satisfaction_per_wait_month": Bound(0, 50),
    "applicants.satisfaction_memory": SHARE,
    "applicants.online_threshold_at_zero_tech": SHARE,
    "applicants.enterprise_exit_base": SHARE,
    "applicants.enterprise_exit_burden": SHARE,
    "applicants.investment_confidence_floor": SHARE,
    "applicants.enterprise_vacancy_months": Bound(0, 600),
    "departments.self_interest_mean": Bound(0, 100),
    "departments.self_interest_sd": Bound(0, 5),  # lognormal sigma
    "departments.resistance": Bound(0, 100),
    "departments.overload_resistance": Bound(0, 100),
    "departments.information_advantage": Bound(0, 100),
    "departments.pressure_memory": SHARE,
    "departments.action_step": SHARE,
    "departments.process_cost": Bound(0, 100),
    "departments.organisational_cost": Bound(0, 100),
    "departments.functional_cost": Bound(0, 100),
    "departments.devolution_staff_follow": SHARE,
    "departments.self_adoption_rate": SHARE,
    "regrowth.new_task_items_annual": Bound(0, 10),
    "regrowth.self_interest_items_annual": Bound(0, 10),
    "regrowth.restore_annual": Bound(0, 10),
    "regrowth.rule_density_reference": POSITIVE,
    "regrowth.hidden_value_share": SHARE,
    "regrowth.hiding_cost": Bound(0, 100),
    "regrowth.penalty": Bound(0, 1000),
    "regrowth.deterrence_sensitivity": Bound(0, 1000),
    "regrowth.new_item_certificate_share": SHARE,
    "staffing.parkinson_annual": SHARE,
    "staffing.overload_hiring": SHARE,
    "staffing.split_annual": SHARE,
    "staffing.split_reference_staff": Bound(1, 1e6),  # below one post, every agency splits
    "staffing.new_field_agencies_annual": Bound(0, 100),
    "staffing.new_agency_staff": Bound(0, 1000),
    "staffing.quota_approval": SHARE,
    "campaigns.interval_months": Bound(1, 1200),
    "campaigns.min_interval_months": Bound(0, 1200),
    "campaigns.item_cut_share": Bound(0, 0.95),  # the target divides by what is left
    "campaigns.merge_share": SHARE,
    "campaigns.staff_cut_share": SHARE,
    "campaigns.attention_half_life": Bound(0, 1200, above=True),
    "campaigns.bloat_trigger": Bound(0, 10),
    "supervision.internal_scrutiny": SHARE,
    "supervision.traceability_paper": SHARE,
    "supervision.traceability_digital": SHARE,
    "supervision.evidence_memory": Bound(0, 0.99),
    "supervision.audit_annual": Bound(0, 12),
    "supervision.survey_sample": Bound(0, 1_000_000),
    "supervision.complaint_followup": SHARE,
    "supervision.ranking_bottom_share": SHARE,
    "supervision.target_realisation": SHARE,
    "supervision.target_months": Bound(1, 600),
    "supervision.weight_complaints": Bound(0, 1000),
    "supervision.weight_ranking": Bound(0, 1000),
    "supervision.weight_target": Bound(0, 1000),
    "supervision.weight_delay": Bound(0, 1000),
    "supervision.weight_exposure": Bound(0, 1000),
    "technology.initial_level": SHARE,
    "technology.baseline_growth": SHARE,
    "technology.database_thresholds": SHARE,
    "technology.tracking_threshold": SHARE,
    "technology.effort_saving": SHARE,
    "scenario.institutions.technology_growth": SHARE,
}


def defaults() -> dict[str, Any]:
    """A fresh deep copy of the parameter table."""
    return copy.deepcopy(DEFAULTS)
