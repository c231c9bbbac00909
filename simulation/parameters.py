"""The parameter table, declared once: every parameter with its default, what it is, its unit,
where its value comes from, the range where the model is well defined, and — for behavioural
values — the range it may plausibly take.

Each section of the table is a typed, frozen dataclass; Hydra composes the same declarations as
structured configs (experiments/settings.py), so unknown keys and wrong types are refused natively,
and ranges are checked against the metadata (simulation/config.py). `docs/parameters.md` is
generated from here (`python -m simulation.parameters`; tests/model/test_parameters.py keeps it in step).

Origins: *source* (a published figure, named in `ref`), *calibrated* (fitted to the stylized facts
by reform-calibrate, experiments/calibration/), *assumed* (a behavioural value with no direct
source: its plausible range is what the robustness and sensitivity analyses draw from), *setting*
(a choice of the run: population, seed, months, scenario). One step is one month; rates are
monthly probabilities unless named `annual`.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

ORIGINS = ("source", "calibrated", "assumed", "setting")
CALIBRATION = "experiments/calibration/ (reform-calibrate)"


@dataclass(frozen=True)
class Bound:
    """Where a number keeps the model well defined and tractable (not its plausible range)."""

    low: float
    high: float
    above: bool = False  # True: strictly above `low` (the model divides or shapes by it)
    below: bool = False  # True: strictly below `high` (a confidence level, a density)

    def admits(self, value: float) -> bool:
        low_ok = value > self.low if self.above else value >= self.low
        high_ok = value < self.high if self.below else value <= self.high
        return low_ok and high_ok

    def text(self) -> str:
        low = f"greater than {self.low:g}" if self.above else f"at least {self.low:g}"
        high = f"less than {self.high:g}" if self.below else f"at most {self.high:g}"
        return f"{low} and {high}"


SHARE = Bound(0.0, 1.0)
POSITIVE = Bound(0.0, 1e6, above=True)
ANY = Bound(0.0, 1e6)


def param(
    default: Any,
    doc: str,
    *,
    unit: str = "",
    origin: str = "assumed",
    ref: str = "",
    valid: Bound = ANY,
    plausible: tuple[float, float] | None = None,
) -> Any:
    """A field of the table with its metadata (what, unit, origin, reference, valid range,
    plausible range)."""
    assert origin in ORIGINS, origin
    if origin in ("assumed", "calibrated") and isinstance(default, int | float):
        assert plausible is not None and not isinstance(default, bool), doc
    meta = {
        "doc": doc,
        "unit": unit,
        "origin": origin,
        "ref": CALIBRATION if origin == "calibrated" and not ref else ref,
        "bound": valid,
        "plausible": plausible,
    }
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def switch(default: bool, doc: str) -> Any:
    """An institution a scenario switches on or off."""
    return param(default, doc, origin="setting")


# fmt: off
@dataclass(frozen=True)
class Population:
    citizens: int = param(20_000, "simulated citizens (a sample of the represented population)", unit="persons", origin="setting", valid=Bound(1, 5_000_000))
    enterprises: int = param(2_000, "simulated enterprises", unit="firms", origin="setting", valid=Bound(1, 1_000_000))
    represented_citizens: int = param(5_000_000, "real citizens the sample stands for (a mid-size province's share)", unit="persons", origin="setting", valid=Bound(1, 1e10))
    represented_enterprises: int = param(500_000, "real firms the sample stands for (about 1 firm per 10 residents)", unit="firms", origin="setting", valid=Bound(1, 1e9))
    digital_ability_a: float = param(2.5, "Beta(a, b) of citizens' digital ability: a (mean 0.63)", unit="shape", origin="source", ref="CNNIC 2019: 61 % internet penetration", valid=Bound(0, 1000, above=True))
    digital_ability_b: float = param(1.5, "second Beta parameter of digital ability", unit="shape", origin="source", ref="CNNIC 2019 (with digital_ability_a)", valid=Bound(0, 1000, above=True))
    complaint_propensity_mean: float = param(0.25, "mean chance a let-down applicant complains when a channel exists", unit="share", valid=SHARE, plausible=(0.05, 0.5))
    initial_trip_expectation: float = param(3.0, "trips an applicant expects before reform", unit="trips", ref="Zhejiang pre-reform surveys (about 3)", valid=Bound(0, 100), plausible=(2.0, 4.0))
    initial_satisfaction: float = param(0.8, "satisfaction with government services an applicant remembers before its first matter, and a new firm brings into a vacated slot (assumed: most applicants satisfied before the reform; an applicant's memory forgets it within a few matters)", unit="share", valid=SHARE, plausible=(0.6, 0.95))


@dataclass(frozen=True)
class GovernmentParams:
    cities: int = param(6, "cities in the province (Zhejiang has 11; scaled down)", unit="cities", origin="setting", valid=Bound(1, 100))
    counties_per_city: int = param(5, "counties per city (Zhejiang about 8; scaled down)", unit="counties", origin="setting", valid=Bound(1, 50))
    item_spread: float = param(0.5, "extra initial items per department step (Poisson mean)", unit="items", valid=Bound(0, 20), plausible=(0.0, 1.5))
    material_mean: float = param(3.0, "materials an item asks for (1 + Poisson(mean - 1))", unit="materials", ref="Zhejiang item guides", valid=Bound(1, 30), plausible=(2.0, 5.0))
    item_value_sd: float = param(0.5, "spread of an item's worth to its bureau: LogNormal(-sd^2/2, sd), mean 1 (assumed: the upper quartile worth about twice the lower; restoration, the items a round gives up and the form an item takes all read it)", unit="sigma", valid=Bound(0, 5), plausible=(0.25, 1.0))
    initial_staff_slack: float = param(1.49, "initial staff over the staff the initial workload needs", unit="ratio", origin="calibrated", valid=Bound(0, 10, above=True), plausible=(1.0, 1.5))
    min_staff_per_agency: float = param(3.0, "posts an agency keeps whatever happens (leader, deputy, clerk)", unit="posts", valid=Bound(0, 1000), plausible=(2.0, 5.0))
    post_cost: float = param(1.0, "monthly budget of one post (the unit of budget)", unit="post-months", origin="setting", ref="normalisation", valid=POSITIVE)
    fee_per_item: float = param(0.01, "fee income per item handled (a fee share of about a quarter of budgets)", unit="post-months", valid=Bound(0, 1000), plausible=(0.005, 0.02))
    productivity_hours: float = param(120.0, "working hours per staff member a month on approvals", unit="hours", valid=Bound(0, 744, above=True), plausible=(80.0, 160.0))
    load_memory: float = param(0.85, "weight of past load in the trend bureaus plan staffing on: a memory of about 1 / (1 - w) months (assumed: a yearly plan on the last half-year's work)", unit="share", valid=Bound(0, 0.99), plausible=(0.7, 0.95))
    effort_hours_per_item: float = param(2.0, "staff hours to handle one item of one represented matter", unit="hours", valid=Bound(0, 1000), plausible=(1.0, 4.0))
    chase_hours_per_certificate: float = param(3.02, "staff hours to chase one certificate from another bureau", unit="hours", origin="calibrated", valid=Bound(0, 1000), plausible=(1.0, 6.0))
    window_hours_per_matter: float = param(0.5, "front-desk hours per matter at a comprehensive window", unit="hours", valid=Bound(0, 1000), plausible=(0.25, 1.0))
    item_processing_days: float = param(3.0, "legal working days per item", unit="days", ref="Zhejiang promised time limits", valid=Bound(0, 365), plausible=(1.0, 5.0))
    days_per_trip: float = param(1.0, "days an applicant loses per physical trip", unit="days", valid=Bound(0, 365), plausible=(0.5, 2.0))
    chase_days_per_certificate: float = param(3.0, "days added when staff chase a paper certificate", unit="days", valid=Bound(0, 365), plausible=(1.0, 5.0))
    travel_hours: list[float] = param([4.0, 2.0, 1.0], "hours per trip to a province / city / county office", unit="hours", valid=Bound(0, 1000))
    window_parallel_factor: float = param(0.5, "share of sequential waiting left once a window routes files in parallel", unit="share", valid=SHARE, plausible=(0.3, 0.8))
    max_waiting_days: float = param(180.0, "cap of queue waiting at one bureau", unit="days", valid=Bound(0, 3650), plausible=(90.0, 365.0))


@dataclass(frozen=True)
class ApplicantParams:
    omission_per_material: float = param(0.0279, "chance each material is missing or wrong on a first visit", unit="share", origin="calibrated", valid=SHARE, plausible=(0.01, 0.1))
    certificate_missing_share: float = param(0.4, "share of demanded certificates an applicant does not already hold", unit="share", valid=SHARE, plausible=(0.2, 0.6))
    nonessential_share: float = param(0.557, "share of omissions that are non-essential (accept now, complete later)", unit="share", origin="calibrated", valid=SHARE, plausible=(0.3, 0.9))
    expectation_learning: float = param(0.3, "weight of the last matter's trips in the trips expected next time", unit="share", valid=SHARE, plausible=(0.1, 0.6))
    satisfaction_base: float = param(4.31, "logit of satisfaction when trips meet expectations and nobody waits", unit="logit", origin="calibrated", valid=Bound(-50, 50), plausible=(2.5, 6.0))
    satisfaction_per_extra_trip: float = param(2.42, "logit lost per trip above expectation", unit="logit", origin="calibrated", valid=Bound(0, 50), plausible=(0.5, 2.5))
    satisfaction_per_wait_month: float = param(0.377, "logit lost per month of queue waiting", unit="logit", origin="calibrated", valid=Bound(0, 50), plausible=(0.2, 2.0))
    satisfaction_memory: float = param(0.5, "weight of the last matter in an applicant's satisfaction", unit="share", valid=SHARE, plausible=(0.2, 0.8))
    online_threshold_at_zero_tech: float = param(0.95, "digital ability needed to use the platform when technology is 0", unit="share", valid=SHARE, plausible=(0.8, 1.0))
    online_bar_tech_cut: float = param(0.9, "share of the digital-ability bar mature technology removes: an applicant uses the platform when ability >= threshold x (1 - cut x level) (assumed: a mature platform leaves a small bar, for those who cannot go online at all)", unit="share", valid=SHARE, plausible=(0.7, 1.0))
    enterprise_exit_base: float = param(0.002, "monthly chance a firm leaves the province anyway", unit="per month", valid=SHARE, plausible=(0.0, 0.005))
    enterprise_exit_burden: float = param(0.02, "extra monthly exit chance of a fully dissatisfied firm", unit="per month", valid=SHARE, plausible=(0.0, 0.05))
    investment_confidence_floor: float = param(0.5, "chance a fully dissatisfied firm still goes ahead with an investment", unit="share", valid=SHARE, plausible=(0.2, 0.9))
    enterprise_vacancy_months: int = param(6, "months until a vacated firm slot is taken by a new firm", unit="months", valid=Bound(0, 600), plausible=(3, 12))


@dataclass(frozen=True)
class DepartmentParams:
    self_interest_mean: float = param(1.0, "mean weight a bureau puts on power, fees and rents (relative scale)", unit="weight", valid=Bound(0, 100), plausible=(0.5, 1.5))
    self_interest_sd: float = param(0.3, "spread of self-interest across bureaus (lognormal sigma)", unit="sigma", valid=Bound(0, 5), plausible=(0.1, 0.6))
    resistance: float = param(0.695, "pressure a bureau of mean self-interest absorbs before acting", unit="pressure", origin="calibrated", valid=Bound(0, 100), plausible=(0.3, 1.2))
    overload_resistance: float = param(1.0, "extra resistance per unit of workload above capacity", unit="per overload", valid=Bound(0, 100), plausible=(0.0, 2.0))
    information_advantage: float = param(0.5, "extra resistance to opening a data silo", unit="share of resistance", valid=Bound(0, 100), plausible=(0.0, 1.0))
    pressure_memory: float = param(0.8, "share of last month's felt pressure carried over", unit="share", valid=SHARE, plausible=(0.5, 0.95))
    action_step: float = param(0.166, "share of its items a pressed bureau cuts, puts online or devolves a month", unit="share", origin="calibrated", valid=SHARE, plausible=(0.05, 0.2))
    process_cost: float = param(0.848, "pressure, in units of resistance, a bureau needs to change its process (window, online, data)", unit="resistance", origin="calibrated", valid=Bound(0, 100), plausible=(0.5, 3.0))
    organisational_cost: float = param(1.5, "pressure, in units of resistance, needed to accept a merger", unit="resistance", valid=Bound(0, 100), plausible=(1.0, 3.0))
    functional_cost: float = param(2.0, "pressure, in units of resistance, needed to give up or devolve items", unit="resistance", valid=Bound(0, 100), plausible=(1.0, 4.0))
    devolution_staff_follow: float = param(0.5, "share of a devolved item's posts that move down with it", unit="share", valid=SHARE, plausible=(0.0, 1.0))
    self_adoption_rate: float = param(0.03, "monthly chance an overloaded bureau adopts labour-saving technology unpressed", unit="per month", valid=SHARE, plausible=(0.0, 0.1))


@dataclass(frozen=True)
class RegrowthParams:
    new_task_items_annual: float = param(0.015, "legitimate new items per open item a year (new risks and tasks)", unit="per year", valid=Bound(0, 10), plausible=(0.005, 0.03))
    self_interest_items_annual: float = param(0.03, "self-interested new items per open item a year, undeterred", unit="per year", valid=Bound(0, 10), plausible=(0.01, 0.06))
    restore_annual: float = param(0.35, "yearly hazard that a cut item of mean value comes back, undeterred", unit="per year", valid=Bound(0, 10), plausible=(0.1, 0.7))
    rule_density_reference: float = param(40.0, "items per bureau at which new-rule births are halved (rule density)", unit="items", valid=POSITIVE, plausible=(20.0, 80.0))
    hidden_value_share: float = param(0.7, "value a hidden item keeps for its bureau next to an open one", unit="share", valid=SHARE, plausible=(0.4, 0.9))
    hiding_cost: float = param(0.3, "yearly cost of keeping a requirement off the books (an intermediary, a filing to run, deniability)", unit="item value", valid=Bound(0, 100), plausible=(0.0, 0.6))
    penalty: float = param(2.0, "loss to a bureau when an item of its comes to light", unit="item value", valid=Bound(0, 1000), plausible=(0.5, 4.0))
    deterrence_sensitivity: float = param(3.0, "how sharply proposals fall with deterrence: exp(-k d)", unit="per item value", valid=Bound(0, 1000), plausible=(1.0, 5.0))
    new_item_certificate_share: float = param(0.3, "share of new items that demand another bureau's certificate", unit="share", valid=SHARE, plausible=(0.1, 0.5))


@dataclass(frozen=True)
class StaffingParams:
    parkinson_annual: float = param(0.0537, "staff drift with no change in work (Parkinson 1955: 5.17-6.56 % a year in all)", unit="per year", origin="calibrated", valid=SHARE, plausible=(0.01, 0.08))
    overload_hiring: float = param(0.172, "share of the expected overload (in posts) hired a month", unit="share", origin="calibrated", valid=SHARE, plausible=(0.05, 0.4))
    split_annual: float = param(0.02, "yearly chance an agency splits at the reference size (of work per agency, or of staff per agency for the empire-building share)", unit="per year", valid=SHARE, plausible=(0.005, 0.05))
    empire_split_share: float = param(0.5, "share of the splitting pull that is empire building (staff per agency, by self-interest) rather than work per agency (Parkinson's channel)", unit="share", valid=SHARE, plausible=(0.0, 1.0))
    split_reference_staff: float = param(40.0, "staff per agency at which splitting reaches its base rate", unit="posts", valid=Bound(1, 1e6), plausible=(20.0, 80.0))
    new_field_agencies_annual: float = param(0.5, "new agencies a year, province-wide, for new policy fields", unit="per year", valid=Bound(0, 100), plausible=(0.0, 2.0))
    new_agency_staff: float = param(5.0, "posts a new agency starts with", unit="posts", valid=Bound(0, 1000), plausible=(3.0, 10.0))
    attrition_annual: float = param(0.04, "staff who leave a year (retirement and transfers out)", unit="per year", ref="civil servants serve about 30 years; transfers out add about 1 % a year", valid=SHARE, plausible=(0.02, 0.06))
    planned_utilisation: float = param(0.6, "share of staff time an establishment plan counts as full work: the organisation department lets a bureau replace or add staff only up to what its visible work needs at this share", unit="share", ref="utilisation at the launch of the status quo is 0.59", valid=Bound(0.05, 1), plausible=(0.4, 0.8))
    quota_approval: float = param(0.5, "share of the posts asked beyond the establishment that the organisation department approves (less while a reform round holds attention)", unit="share", valid=SHARE, plausible=(0.1, 0.9))


@dataclass(frozen=True)
class CampaignParams:
    interval_months: int = param(60, "months between internal reform rounds", unit="months", origin="source", ref="State Council rounds 1982-2023, about every five years", valid=Bound(1, 1200))
    min_interval_months: int = param(48, "months before a round may follow the last one, however bloated reports look", unit="months", valid=Bound(0, 1200), plausible=(36, 60))
    item_cut_share: float = param(0.22, "share of self-reported items a round asks cut", unit="share", origin="source", ref="State Council's first batch, 2002: 789 of the 3,605 items reviewed (22 %); not the ten-year 69.3 %, which is held out",  valid=Bound(0, 0.95), plausible=(0.15, 0.5))
    merge_share: float = param(0.15, "share of mergeable bureaus merged per round", unit="share", valid=SHARE, plausible=(0.05, 0.3))
    staff_cut_share: float = param(0.1, "share of reported posts cut per round", unit="share", valid=SHARE, plausible=(0.05, 0.2))
    attention_half_life: float = param(6.0, "months for a round's attention to halve", unit="months", valid=Bound(0, 1200, above=True), plausible=(3.0, 12.0))
    bloat_trigger: float = param(0.25, "growth since the last round of reported items, or of reported posts beyond the growth of work, that brings a round forward (assumed: a quarter more than the last round left looks bloated)", unit="share", valid=Bound(0, 10), plausible=(0.05, 0.5))


@dataclass(frozen=True)
class SupervisionParams:
    internal_scrutiny: float = param(0.1, "share of bureaus' self-reports the government reads closely a month at full campaign attention (an unapproved open item is plain in one it reads)", unit="per month", valid=SHARE, plausible=(0.0, 0.5))
    office_attention: float = param(0.5, "attention a standing reform office gives bureaus' self-reports every month, as a share of a campaign's full attention (assumed: the office reads reports against its targets month after month, with fewer hands than a campaign)", unit="share", valid=SHARE, plausible=(0.0, 1.0))
    traceability_paper: float = param(0.02, "chance that observing a matter on a paper path pins a hidden step or off-book practice on the bureau that did it", unit="per observed path-month", ref="bounded by two patterns (CHANGELOG 0.3.0): the 2017 realisation rate needs at least 0.012 (calibration loss 7.0 at 0.008, 0.34 at 0.012, flat from 0.015 up); pressure alone breeds paper compliance (DESIGN 8.2; 'disguised approvals' still pursued in 2022, record.md) only below 0.03; 0.02 is the window's middle: a hidden step seen every month lives about 4 years", valid=SHARE, plausible=(0.0, 0.3))
    traceability_digital: float = param(0.6, "the same on a path whose every step is logged (online filing, e-licences, e-signatures, project codes)", unit="per observed path-month", valid=SHARE, plausible=(0.2, 1.0))
    evidence_memory: float = param(0.8, "share of last month's observations a watcher still holds (files stay open a few months)", unit="share", valid=Bound(0, 0.99), plausible=(0.5, 0.95))
    audit_annual: float = param(0.2, "share of bureaus an establishment audit visits a year, where a scenario has one", unit="per year", valid=Bound(0, 12), plausible=(0.0, 1.0))
    survey_sample: int = param(400, "matters sampled by the third-party evaluator each quarter", unit="matters", valid=Bound(0, 1_000_000), plausible=(0, 2000))
    complaint_followup: float = param(1.0, "share of complaints the hotline follows up in the bureau's records (the 12345 hotline forwards every one)", unit="share", valid=SHARE, plausible=(0.0, 1.0))
    blame_offline_item: float = param(0.1, "blame an open item not online carries for a complaint about its path, next to 1 for a hidden step or a paper certificate (assumed: an offline item costs a visit the applicant expected; a hidden step or a certificate to fetch costs an extra one)", unit="weight", valid=Bound(0, 100), plausible=(0.0, 0.5))
    ranking_bottom_share: float = param(0.2, "share of bureaus named at the bottom of published rankings", unit="share", valid=SHARE, plausible=(0.1, 0.3))
    target_realisation: float = param(0.9, "political target for the 'at most one trip' share", unit="share", origin="source", ref="Zhejiang 2017 target", valid=SHARE)
    target_months: int = param(12, "months to reach the target (the timetable)", unit="months", origin="source", ref="Zhejiang 2017", valid=Bound(1, 600))
    weight_complaints: float = param(4.0, "pressure per complaint per matter handled", unit="pressure", valid=Bound(0, 1000), plausible=(1.0, 8.0))
    weight_ranking: float = param(0.6, "pressure from being named at the bottom of a ranking", unit="pressure", valid=Bound(0, 1000), plausible=(0.2, 1.2))
    weight_target: float = param(3.0, "pressure per unit of target shortfall", unit="pressure", valid=Bound(0, 1000), plausible=(1.0, 6.0))
    weight_delay: float = param(0.02, "pressure per day of visible delay", unit="pressure per day", valid=Bound(0, 1000), plausible=(0.005, 0.05))
    delay_cap_days: float = param(90.0, "waiting days at a bureau that a tracking system turns into delay pressure, at most (assumed: a file a quarter late is flagged overdue, and a longer wait adds no more)", unit="days", valid=Bound(0, 3650), plausible=(30.0, 180.0))
    weight_exposure: float = param(2.0, "pressure from having all of one's items exposed in a month (scaled by the share exposed)", unit="pressure", valid=Bound(0, 1000), plausible=(0.5, 4.0))


@dataclass(frozen=True)
class TechnologyParams:
    initial_level: float = param(0.05, "technology level at model start (0-1)", unit="level", valid=SHARE, plausible=(0.02, 0.1))
    baseline_growth: float = param(0.01, "monthly logistic growth of technology without a platform programme", unit="per month", valid=SHARE, plausible=(0.0, 0.02))
    database_thresholds: list[float] = param([0.15, 0.25, 0.4, 0.5, 0.6], "technology level each shared database needs (population, legal person, e-licence, credit, geospatial)", unit="level", valid=SHARE)
    tracking_threshold: float = param(0.35, "technology level at which project codes track every step of an investment project", unit="level", valid=SHARE, plausible=(0.2, 0.6))
    effort_saving: float = param(0.5, "share of per-item staff effort full technology saves on online items", unit="share", valid=SHARE, plausible=(0.2, 0.8))


@dataclass(frozen=True)
class Institutions:
    internal_campaigns: bool = switch(False, "the government periodically cuts items, merges and cuts staff by itself")
    reform_office: bool = switch(False, "top-down timetable with targets, read from bureaus' records unless a third party evaluates")
    third_party_evaluation: bool = switch(False, "independent surveys and published rankings of bureaus")
    public_item_list: bool = switch(False, "a published list of items ('power list'); items outside it are illegal")
    complaint_channel: bool = switch(False, "a hotline that follows up complaints with the bureaus that caused them")
    at_most_once_promise: bool = switch(False, "public promise that resets applicants' expectation to one trip")
    one_window: bool = switch(False, "comprehensive windows that bureaus may join")
    platform: bool = switch(False, "online service platform with shared databases")
    accept_later: bool = switch(False, "'accept now, complete later' for non-essential missing materials")
    run_nearby: bool = switch(False, "devolution of items to county level is on the table")
    technology_growth: float = param(0.0, "extra monthly logistic technology growth from a platform programme", unit="per month", origin="setting", valid=SHARE)
    establishment_audit: bool = switch(False, "an outside audit of posts against the published establishment (sees off-quota staff)")
    payroll_cap: bool = switch(False, "publicly paid staff 'only fall, never rise' (财政供养人员只减不增, 2013): no post is added to any establishment")


@dataclass(frozen=True)
class Scenario:
    name: str = param("custom", "scenario name (set by the scenario file)", origin="setting")
    description: str = param("", "one sentence for reports", origin="setting")
    order: int = param(1000, "where lists and reports put the scenario: lower first; a file without `order:` (1000) follows, by name", origin="setting", valid=Bound(0, 1000))
    institutions: Institutions = field(default_factory=Institutions)


@dataclass(frozen=True)
class Parameters:
    """The whole table: run settings, then one section per part of the model. The model reads it
    by attribute (`params.regrowth.penalty`) and hands each mechanism its own section."""

    seed: int = param(0, "master seed: every random stream is spawned from it (common random numbers)", origin="setting", valid=Bound(0, 2**32 - 1))
    steps: int = param(240, "months simulated after the reform launch", unit="months", origin="setting", valid=Bound(1, 2400))
    warmup: int = param(60, "months of status quo before the launch, shared by all scenarios (5 years)", unit="months", origin="setting", valid=Bound(0, 600))
    population: Population = field(default_factory=Population)
    government: GovernmentParams = field(default_factory=GovernmentParams)
    applicants: ApplicantParams = field(default_factory=ApplicantParams)
    departments: DepartmentParams = field(default_factory=DepartmentParams)
    regrowth: RegrowthParams = field(default_factory=RegrowthParams)
    staffing: StaffingParams = field(default_factory=StaffingParams)
    campaigns: CampaignParams = field(default_factory=CampaignParams)
    supervision: SupervisionParams = field(default_factory=SupervisionParams)
    technology: TechnologyParams = field(default_factory=TechnologyParams)
    scenario: Scenario = field(default_factory=Scenario)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parameters:
        """The typed table from its plain form (a checked `simulation.config.resolve` result)."""
        return _build(cls, data)

    def to_dict(self) -> dict[str, Any]:
        """The plain form: nested dicts and lists (what config.yaml and summary.json hold)."""
        return dataclasses.asdict(self)
# fmt: on


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        kind = type(getattr(cls(), f.name))
        kwargs[f.name] = (
            _build(kind, value) if dataclasses.is_dataclass(kind) else copy.deepcopy(value)
        )
    return cls(**kwargs)


@dataclass(frozen=True)
class Entry:
    """One leaf of the table with its metadata."""

    key: str  # dotted, e.g. "regrowth.penalty"
    default: Any
    type: Any
    doc: str
    unit: str
    origin: str
    ref: str
    bound: Bound | None
    plausible: tuple[float, float] | None


def entries(cls: type = Parameters, prefix: str = "") -> list[Entry]:
    """Every leaf of the table, in declaration order."""
    out: list[Entry] = []
    defaults_ = cls()
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        value = getattr(defaults_, f.name)
        if dataclasses.is_dataclass(value):
            out += entries(type(value), f"{key}.")
            continue
        meta = f.metadata
        bound = (
            meta["bound"]
            if isinstance(value, int | float | list) and not isinstance(value, bool)
            else None
        )
        out.append(
            Entry(
                key,
                copy.deepcopy(value),
                f.type,
                meta["doc"],
                meta["unit"],
                meta["origin"],
                meta["ref"],
                bound,
                meta["plausible"],
            )  # fmt: skip
        )
    return out


def defaults() -> dict[str, Any]:
    """A fresh nested dict of the defaults (the table as plain data)."""
    return dataclasses.asdict(Parameters())


DEFAULTS: dict[str, Any] = defaults()
ENTRIES: dict[str, Entry] = {e.key: e for e in entries()}
# every number of the table with the range where the model is well defined
BOUNDS: dict[str, Bound] = {k: e.bound for k, e in ENTRIES.items() if e.bound is not None}


def plausible_ranges(origins: tuple[str, ...] = ("assumed",)) -> dict[str, tuple[float, float]]:
    """Dotted key -> plausible range, for the parameters of these origins."""
    return {k: e.plausible for k, e in ENTRIES.items() if e.origin in origins and e.plausible}


def markdown() -> str:
    """docs/parameters.md: the table as documentation, generated from the declarations."""
    lines = [
        "# Parameters",
        "",
        "Generated from `simulation/parameters.py` by `python -m simulation.parameters`; do not edit",
        "by hand (`tests/model/test_parameters.py` checks that this file is in step). Origins: *source*",
        "(a published figure), *calibrated* (fitted by `reform-calibrate`, see",
        "`experiments/calibration/`), *assumed* (no direct source: the robustness and sensitivity",
        "analyses draw it from its plausible range), *setting* (a choice of the run). Valid: where the",
        "model is well defined (anything outside is refused); plausible: the range a value may",
        "credibly take. Rates are monthly unless named `annual`.",
        "",
    ]
    section = None
    for e in ENTRIES.values():
        head = e.key.split(".")[0] if "." in e.key else "run"
        if head != section:
            section = head
            lines += [
                "",
                f"## {section}",
                "",
                "| parameter | default | unit | origin | valid | plausible | what it is |",
                "|---|---|---|---|---|---|---|",
            ]
        valid = e.bound.text() if e.bound else ""
        plausible = f"{e.plausible[0]:g} to {e.plausible[1]:g}" if e.plausible else ""
        origin = e.origin + (f" ({e.ref})" if e.ref else "")
        doc = e.doc.replace("|", "/")
        lines.append(
            f"| `{e.key}` | {e.default} | {e.unit} | {origin} | {valid} | {plausible} | {doc} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"
    target.write_text(markdown(), encoding="utf-8")
    print(f"wrote {target}")
