"""The outputs table, declared once: every number a run writes or a study reads from a run, with
what it is, its unit, which direction is better, whether it is a column of the monthly time series
or one number per run, how it is computed, the ODD section that defines it, and where it is shown.

Like an EMA Workbench outcome (a name, a kind, the variable it reads, a function), each output is
one `Output`. Everything else is derived from here: the time series' columns and the model's
DataCollector reporters (simulation/model.py), the comparison's run metrics
(analysis/measures/summary.py METRICS), the validation outcomes (analysis/measures/outcomes.py), the
report's series figures (analysis/reports/figures.py), the dashboard's indicators and panels
(simulation/dashboard/), the robustness study's verdicts (analysis/studies/robustness.py) and
docs/outputs.md (`python -m simulation.outputs`; tests/model/test_outputs.py keeps it in step).
Labels are English source strings; their translations stay in the catalogues (simulation/i18n.py).

A monthly output is computed by its `compute` from the month (simulation/metrics.py `Month`); a
monthly output listed without one raises `OutputError` when a model is built, so no column is ever
recorded as a placeholder. A per-run output is computed by its study's function (`STUDIES`), which
raises the same error for a listed output it does not compute.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulation.items import HIDDEN
from simulation.metrics import Month, mean, ratio

BETTER = ("lower", "higher", "none")
# the function that computes each study's per-run outputs from one run's time series
STUDIES = {
    "comparison": "analysis.measures.summary.run_metrics",
    "validation": "analysis.measures.outcomes.outcomes",
}
# where an output is shown: an output names its places in `shown`
PLACES = {
    "report": "the comparison report draws its series (median and band over replicates)",
    "dashboard": "the dashboard shows this month's value and draws it in its `panel`",
    "dashboard total": "the dashboard shows its sum since the launch",
    "projector": "the dashboard's projector view shows this month's value",
    "lab": "the policy lab draws its band against internal_reform",
    "robustness": "the robustness study judges whether pressure and technology add up on it",
    "paper": "it is read to judge whether a scenario bred paper compliance",
    "studied": "the sensitivity, phase and discovery studies analyse it",
    "claims": "the validation report gives it per scenario, as its claims use it",
    "pulled": "the validation report's pull stage gives its spread over one parameter's range",
}
UNIT = (0.0, 1.0)  # a share or ratio: its confidence intervals are kept inside
# the quantities whose cuts and regrowth the comparison measures (analysis/measures/regrowth.py)
QUANTITIES = {
    "items": "approval items (open + hidden)",
    "agencies": "agencies",
    "staff": "staff (posts)",
}
NOUNS = {"items": "approval items", "agencies": "agencies", "staff": "staff"}


class OutputError(LookupError):
    """An output is listed but not computed, or computed but not listed."""


@dataclass(frozen=True)
class Output:
    name: str
    doc: str  # one line: what it is
    unit: str  # "share" and "ratio" lie in 0-1 (shown as %); "text" is not a number
    better: str  # "lower", "higher" or "none"
    odd: str  # the heading of the docs/ODD.md section that defines it
    compute: Callable[[Month], Any] | None = None  # per month: its value this month
    total_of: tuple[str, ...] = ()  # per month, not recorded: the sum of these columns
    study: str = ""  # per run: the study whose function computes it (STUDIES)
    label: str = ""  # the words of a report's figure or table ("" = the doc)
    short: str = ""  # the words of running text and of the dashboard ("" = the label)
    bounds: tuple[float, float] | None = None  # the values it can take
    shown: tuple[str, ...] = ()  # where it is shown (PLACES)
    panel: str = ""  # the dashboard's trend panel that draws it
    line: str = ""  # its line's name in a panel it shares

    def __post_init__(self) -> None:
        if self.better not in BETTER or not set(self.shown) <= set(PLACES):
            raise ValueError(f"output {self.name}: better {self.better!r}, shown {self.shown}")
        if self.study and self.study not in STUDIES:
            raise ValueError(f"output {self.name}: no study {self.study!r}")
        if self.compute is not None and (self.study or self.total_of):
            raise ValueError(f"output {self.name}: computed monthly, yet a total or per run")

    @property
    def per(self) -> str:
        """'run' (one number per run, computed by a study) or 'month' (a column)."""
        return "run" if self.study else "month"

    @property
    def caption(self) -> str:
        """The words of a figure or table: the label, else the doc."""
        return self.label or self.doc

    @property
    def words(self) -> str:
        return self.short or self.caption


def _month(
    name: str,
    doc: str,
    unit: str,
    better: str,
    odd: str,
    compute: Callable[[Month], Any],
    **where: Any,
) -> Output:
    """A column of the time series, computed every month by `compute`."""
    return Output(name, doc, unit, better, odd, compute=compute, **where)


def _run(
    study: str,
    name: str,
    label: str,
    unit: str,
    better: str,
    short: str = "",
    bounds: tuple[float, float] | None = None,
    **more: Any,
) -> Output:
    """One number per run, computed by `study`'s function; its label is its doc unless one is given."""
    doc = more.pop("doc", label)
    odd = more.pop("odd", OBSERVATION)
    return Output(
        name, doc, unit, better, odd, study=study, label=label, short=short, bounds=bounds, **more
    )


ROUND_QUANTITIES = {
    "items": "approval items (open + hidden)",
    "agencies": "agencies",
    "staff": "staff (posts)",
}


def _round_rows(key: str, label: str) -> list:
    """The five per-run measures of reform rounds for one quantity (analysis/measures/rounds.py)."""
    short = label.split(" (")[0]
    return [
        _run(C, f"{key}_round_depth_mean", f"depth of a reform round, {label}", "share", "none", bounds=UNIT, doc=f"{short}: share cut from the level before a round to its trough, mean over the rounds (analysis/measures/rounds.py)"),
        _run(C, f"{key}_growth_between_rounds", f"growth a year between rounds, {label}", "share", "lower", doc=f"{short}: growth a year from a round's trough to the next round's start (the last: to the end; no round: the whole run)"),
        _run(C, f"{key}_recovered_share", f"share of a round's cut recovered, {label}", "share", "lower", bounds=UNIT, doc=f"{short}: size-weighted share of each round's cut back by the next round or the end; 0 when it stayed down"),
        _run(C, f"{key}_trend_annual", f"growth a year before the reform (trend), {label}", "share", "none", doc=f"{short}: growth a year over the status-quo warm-up, the trend that would be there without a cut"),
        _run(C, f"{key}_growth_beyond_trend", f"growth between rounds beyond the trend, {label}", "share", "lower", doc=f"{short}: growth a year between rounds minus the warm-up trend: what came back beyond the trend"),
    ]  # fmt: skip


def _regrowth(q: str) -> list[Output]:
    """The comparison's measures of one quantity's cuts and regrowth
    (analysis/measures/regrowth.py)."""
    label, noun, c = QUANTITIES[q], NOUNS[q], "comparison"
    # fmt: off
    return [
        _run(c, f"{q}_rebound", f"rebound ratio of cuts, {label}", "ratio", "lower", f"rebound ratio of {noun}", UNIT, shown=("robustness",), doc=f"{noun}: size-weighted share of each cut that came back within the horizon"),
        _run(c, f"{q}_cycles", f"cut-regrow cycles, {label}", "count", "lower", f"cut-regrow cycles of {noun}", doc=f"{noun}: cuts that came back within the horizon"),
        _run(c, f"{q}_half_life", f"half-life of a cut, {label}", "months", "higher", f"half-life of a cut of {noun}", doc=f"{noun}: months until half of a cut came back"),
        _run(c, f"{q}_net_change", f"net change since launch, {label}", "share", "lower", f"net change of {noun}", doc=f"{noun}: relative change from the launch to the end"),
        _run(c, f"{q}_cuts", f"cuts, {label}", "count", "none", doc=f"{noun}: cuts since the launch that the regrowth measures follow"),
        _run(c, f"{q}_stayed_down", f"stayed down, {label}", "yes = 1", "higher", doc=f"{noun}: 1 when something was cut and nothing of any cut came back (a fall that never returns), else 0"),
    ]
    # fmt: on


OBSERVATION = "4. Design concepts"  # its 'Observation' and 'Emergence' paragraphs
M1, M2, M3, M4 = "M1 Demand", "M2 Trips", "M3 Back-office workload", "M4 Data sharing"
M5, M6 = "M5 Item regrowth", "M6 Staff and agency regrowth"
M7, M8 = "M7 Internal reform campaigns", "M8 Complaints and satisfaction"
M9, M10 = "M9 Supervision and pressure (with devolution)", "M10 Technology"
M11, M12 = "M11 Rent-seeking exposure", "M12 The cascade"
M13 = "M13 Organisational integration"
PAPER, EXIT = "Formalism (paper compliance)", "Firm exit"
C, V = "comparison", "validation"
DASH = ("dashboard",)

# fmt: off
OUTPUTS: tuple[Output, ...] = (
    # one row a month: the time series' columns, in this order
    _month("step", "month: 0 is the reform launch, months before it the shared status-quo warm-up", "month", "none", OBSERVATION, lambda m: m.model.month),
    _month("phase", "'warmup' up to the launch (month 0), 'reform' after it", "text", "none", OBSERVATION, lambda m: "warmup" if m.model.month <= 0 else "reform"),
    _month("items_open", "approval items open: listed, and demanded of applicants", "items", "lower", M5, lambda m: int(m.open_rows.sum()), short="items open", shown=("dashboard", "projector"), panel="approval items", line="open"),
    _month("items_hidden", "approval items hidden: off the list, still demanded of applicants", "items", "lower", PAPER, lambda m: int((m.status == HIDDEN).sum()), short="items hidden", shown=("dashboard", "projector"), panel="approval items", line="hidden"),
    Output("items_total", "approval items, open and hidden", "items", "lower", M5, total_of=("items_open", "items_hidden"), label="Approval items (open + hidden)", short="approval items (open + hidden)", shown=("report", "lab")),
    _month("items_added", "approval items added this month (proposals that passed)", "items", "lower", M5, lambda m: m.regrowth["items_added"]),
    _month("items_cut", "approval items cut this month, for real or only on paper", "items", "none", M5, lambda m: int((m.gov.items.last_cut[: m.gov.items.n] == m.model.month).sum())),
    _month("items_restored", "cut approval items restored this month", "items", "lower", M5, lambda m: m.regrowth["items_restored"]),
    _month("items_withdrawn", "unapproved approval items their bureau withdrew this month, every form costing more than it brings (counted in items_cut too)", "items", "none", PAPER, lambda m: m.regrowth["items_withdrawn"]),
    _month("items_devolved", "approval items handed down to a lower level this month", "items", "none", M9, lambda m: len(m.model.changes.get("devolve_items", []))),
    _month("agencies", "agencies doing the bureaus' functions (splits add some, mergers remove some)", "agencies", "lower", M6, lambda m: float(m.gov.agencies[m.active].sum()), label="Agencies", short="agencies", shown=("dashboard", "lab", "report"), panel="agencies"),
    _month("agencies_founded", "agencies founded this month (splits and new agencies)", "agencies", "none", M6, lambda m: m.model.founded_this_month, short="agencies founded since launch", shown=("dashboard total",)),
    _month("agencies_abolished", "agencies abolished this month for want of work (a round, an audit, a power list's or platform's review)", "agencies", "none", M13, lambda m: m.model.abolished_this_month, short="agencies abolished since launch", shown=("dashboard total",)),
    _month("staff", "staff: posts filled, on and off the establishment", "posts", "lower", M6, lambda m: float(m.gov.staff[m.active].sum()), label="Staff (posts)", short="staff", shown=("dashboard", "lab", "report"), panel="staff", line="all"),
    _month("staff_off_quota", "staff beyond the establishment (paid by fees; not in self-reports)", "posts", "lower", M6, lambda m: float(m.gov.off_quota[m.active].sum()), label="Off-quota staff (beyond the establishment; not in self-reports)", short="of them off-quota", shown=("dashboard", "report"), panel="staff", line="off-quota"),
    _month("staff_utilisation", "staff utilisation: this month's work over the staff's capacity", "ratio", "none", M3, lambda m: ratio(m.gov.load[m.active].sum(), m.gov.capacity[m.active].sum()), short="staff utilisation (work / capacity)", shown=DASH),
    _month("work_on_record", "share of the bureaus' work on a record the organisation department reads (a power list, a platform's logs): where it is high, posts follow the work", "share", "none", M3, lambda m: ratio((m.gov.work_seen * m.gov.load)[m.active].sum(), m.gov.load[m.active].sum())),
    _month("budget", "budget of the bureaus: on-quota posts and fee income", "post-months", "none", M3, lambda m: float(m.gov.budget[m.active].sum())),
    _month("fee_share", "share of the bureaus' budget paid by fees", "share", "none", M3, lambda m: ratio(m.gov.fees[m.active].sum(), m.gov.budget[m.active].sum())),
    _month("matters", "matters the simulated applicants brought this month", "matters", "none", M1, lambda m: len(m.needs)),
    _month("matters_done", "matters completed this month", "matters", "none", M2, lambda m: m.model.completions.done),
    _month("matters_pending", "matters in progress at the month's end", "matters", "lower", M2, lambda m: m.model.completions.pending),
    _month("trips_mean", "trips per matter, as counted (informal pre-visits apart)", "trips", "lower", M2, lambda m: mean(m.trips), label="Trips per matter", short="trips per matter", shown=("dashboard", "projector", "report"), panel="trips per matter", line="counted"),
    _month("trips_p90", "90th percentile of trips per matter", "trips", "lower", M2, lambda m: float(np.percentile(m.trips, 90)) if len(m.needs) else 0.0),
    _month("realisation_rate", "share of matters done in at most one trip, as applicants experienced it", "share", "higher", M2, lambda m: mean(m.outcomes.realised), label="Realisation rate (at most one trip, as applicants went)", short="done in at most one trip", shown=("dashboard", "projector", "lab", "report"), panel="done in at most one trip", line="as applicants went"),
    _month("realisation_rate_reported", "share of matters done in at most one trip by the bureaus' own records", "share", "none", PAPER, lambda m: mean(m.outcomes.realised_recorded), label="Realisation rate as bureaus' own records report it", short="... as bureaus report it", shown=("dashboard", "report"), panel="done in at most one trip", line="as bureaus report"),
    _month("informal_visits", "informal pre-visits per matter (not counted as trips, not in records)", "trips", "lower", PAPER, lambda m: mean(m.outcomes.informal), label="Informal pre-visits per matter (not counted as trips)", short="informal pre-visits per matter", shown=("dashboard", "report"), panel="trips per matter", line="informal"),
    _month("items_relabelled", "approval items cut only on paper this month (relabelled, still demanded)", "items", "lower", PAPER, lambda m: m.model.relabelled_this_month),
    _month("satisfaction_rate", "share of this month's applicants satisfied with their matter", "share", "higher", M8, lambda m: mean(m.satisfied), label="Satisfaction rate", short="satisfied applicants", shown=("dashboard", "report"), panel="satisfied applicants"),
    _month("complaints", "complaints the simulated applicants filed this month", "complaints", "none", M8, lambda m: int(m.complained.sum())),
    _month("complaints_unattributed", "complaints this month about a path where no bureau carries blame (nothing hidden, no paper certificate, every item online): counted, blamed on nobody", "complaints", "none", M8, lambda m: m.unattributed_complaints()),
    _month("waiting_days", "days a matter waited in bureaus' queues", "days", "lower", M3, lambda m: mean(m.outcomes.waiting_days)),
    _month("workload_per_staff", "hours of work arriving per post this month", "hours", "none", M3, lambda m: ratio(m.gov.load.sum(), m.gov.staff[m.active].sum())),
    _month("face_to_face", "face-to-face contacts with officials per matter", "contacts", "lower", M11, lambda m: mean(m.outcomes.face_to_face)),
    _month("data_sharing_coverage", "share of certificate-issuing county bureaus a shared database serves", "share", "higher", M4, lambda m: m.data_sharing_coverage()),
    _month("online_share", "share of open approval items that can be filed online", "share", "higher", M10, lambda m: m.online_share()),
    _month("one_window_share", "share of bureaus in the comprehensive window", "share", "none", M9, lambda m: float(m.gov.in_window[m.active].mean())),
    _month("pressure_mean", "felt pressure to reform, mean over bureaus", "pressure", "none", M9, lambda m: float(m.gov.pressure[m.active].mean())),
    _month("technology_level", "technology level L (0 none, 1 mature)", "level", "none", M10, lambda m: m.model.technology.level),
    _month("travel_hours", "hours an applicant travelled for a matter", "hours", "lower", M2, lambda m: mean(m.outcomes.travel_hours)),
    _month("days_to_completion", "days from filing to completion of a matter", "days", "lower", M2, lambda m: mean(m.outcomes.days)),
    _month("chase_hours", "staff hours spent chasing certificates (staff running instead of applicants)", "hours", "none", M3, lambda m: m.chase_hours()),
    _month("exposures", "approval items that supervisors brought to light (and cut) this month", "items", "none", M9, lambda m: float(m.gov.exposed.sum())),
    _month("enterprise_exits", "simulated firms that left this month", "firms", "lower", EXIT, lambda m: m.model.enterprises.exits),
    _month("investments_dropped", "investment projects firms dropped this month for want of confidence", "matters", "lower", M1, lambda m: m.model.demand.investments_dropped),
    _month("trips_share_0", "share of matters done without a trip", "share", "higher", M2, lambda m: mean(m.trips == 0)),
    _month("trips_share_1", "share of matters done in one trip", "share", "none", M2, lambda m: mean(m.trips == 1)),
    _month("trips_share_2", "share of matters that took two trips", "share", "lower", M2, lambda m: mean(m.trips == 2)),
    _month("trips_share_3plus", "share of matters that took three trips or more", "share", "lower", M2, lambda m: mean(m.trips >= 3)),
    _month("campaign", "1 in a month an internal reform campaign ran, else 0", "flag", "none", M7, lambda m: int(m.model.campaigns.last_month == m.model.month)),
    _month("realisation_citizens", "realisation rate of citizens' matters (as experienced)", "share", "higher", M2, lambda m: mean(m.outcomes.realised[~m.needs.enterprise])),
    _month("realisation_enterprises", "realisation rate of firms' matters (as experienced)", "share", "higher", M2, lambda m: mean(m.outcomes.realised[m.needs.enterprise])),
    _month("investment_trips_mean", "trips per investment project", "trips", "lower", M2, lambda m: mean(m.investment_trips())),
    _month("cascade_process", "bureaus that changed a process this month (window, data, online)", "bureaus", "none", M12, lambda m: m.cascade["cascade_process"]),
    _month("cascade_organisational", "bureaus that changed their organisation this month (merge, split, new agency)", "bureaus", "none", M12, lambda m: m.cascade["cascade_organisational"]),
    _month("cascade_functional", "bureaus that changed their functions this month (cut, devolve)", "bureaus", "none", M12, lambda m: m.cascade["cascade_functional"]),
    # one number per run: the scenario comparison's (analysis/measures/summary.py run_metrics)
    *_regrowth("items"), *_regrowth("agencies"), *_regrowth("staff"),
    _run(C, "items_hidden_share_end", "hidden share of items at the end", "share", "lower", bounds=UNIT),
    _run(C, "staff_growth_annual", "staff growth a year after launch", "share", "lower", doc="staff growth a year, compounded from the launch to the end"),
    _run(C, "trips_mean_end", "trips per matter (last 12 months)", "trips", "lower", "trips per matter"),
    _run(C, "realisation_rate_12", "realisation rate a year after launch", "share", "higher", bounds=UNIT, doc="realisation rate over months 10-12"),
    _run(C, "realisation_rate_end", "realisation rate (last 12 months)", "share", "higher", "realisation rate", UNIT, shown=("robustness", "paper")),
    _run(C, "realisation_rate_reported_end", "realisation rate as bureaus' records report it (last 12 months)", "share", "none", "reported realisation rate", UNIT, shown=("paper",), odd=PAPER),
    _run(C, "realisation_gap_end", "reported minus experienced realisation (last 12 months)", "share", "lower", "gap between reported and experienced realisation", UNIT, shown=("paper",), odd=PAPER),
    _run(C, "informal_visits_end", "informal pre-visits per matter (last 12 months)", "trips", "lower", "informal pre-visits per matter", shown=("paper",), odd=PAPER),
    _run(C, "paper_cut_share", "share of reported item cuts made only on paper, since launch", "share", "lower", "share of cuts made on paper", UNIT, shown=("paper",), odd=PAPER),
    _run(C, "staff_off_quota_share_end", "share of staff off the establishment at the end", "share", "none", "off-quota share of staff", UNIT),
    _run(C, "staff_utilisation_end", "staff utilisation: expected work over capacity (last 12 months)", "ratio", "none"),
    _run(C, "agencies_founded", "agencies founded since launch", "count", "none"),
    _run(C, "agencies_abolished", "agencies abolished since launch", "count", "none"),
    _run(C, "satisfaction_rate_end", "satisfaction rate (last 12 months)", "share", "higher", "satisfaction rate", UNIT),
    _run(C, "waiting_days_end", "waiting days (last 12 months)", "days", "lower"),
    _run(C, "face_to_face_end", "face-to-face contacts per matter (last 12 months)", "contacts", "lower"),
    # no better side: complaints are also the channel that makes bureaus listen
    _run(C, "complaints_per_1000", "complaints per 1,000 matters since launch", "count", "none"),
    # the rounds as the record measures them (DESIGN 9.3; analysis/measures/rounds.py)
    *(row for quantity in ROUND_QUANTITIES.items() for row in _round_rows(*quantity)),
    _run(C, "items_cut_share_10y", "share of the launch's approval items cut within ten years", "share", "none", bounds=UNIT, doc="items cut in months 1-120 (real and paper cuts) over items at the launch, capped at 1"),
    _run(C, "items_stock_left_10y", "approval items left at ten years over the launch", "ratio", "none", doc="approval items (open + hidden) at month 120 over the launch"),
    # one number per run: the validation studies' (analysis/measures/outcomes.py outcomes)
    _run(V, "items_rebound", "item rebound ratio", "ratio", "lower", shown=("studied", "claims", "pulled"), doc="size-weighted share of item cuts that came back, cuts too late to measure counted by the end; 0 for a fall that never came back (stayed down)"),
    _run(V, "agencies_rebound", "agency rebound ratio", "ratio", "lower", shown=("studied", "claims", "pulled"), doc="as items_rebound, of agencies"),
    _run(V, "staff_growth", "staff growth a year (launch to end)", "rate", "lower", shown=("studied", "claims", "pulled")),
    _run(V, "realisation_36", "realisation rate, months 34-36", "share", "higher", shown=("studied",)),
    _run(V, "satisfaction_36", "satisfaction rate, months 34-36", "share", "higher", shown=("studied",)),
    _run(V, "realisation_12", "realisation rate, months 10-12", "share", "higher"),
    _run(V, "satisfaction_12", "satisfaction rate, months 10-12", "share", "higher"),
    _run(V, "realisation_end", "realisation rate, last 12 months", "share", "higher", shown=("claims",)),
    _run(V, "satisfaction_end", "satisfaction rate, last 12 months", "share", "higher", shown=("claims",)),
    _run(V, "staff_growth_10y", "staff growth a year over the first ten years", "rate", "lower"),
    _run(V, "items_net_change", "relative change of approval items from the launch to the end", "share", "lower"),
    _run(V, "agencies_net_change", "relative change of agencies from the launch to the end", "share", "lower"),
    _run(V, "items_cut_share_10y", "share of the launch's approval items cut within ten years (given by the caller, else NaN)", "share", "none"),
)
# fmt: on


def monthly() -> list[Output]:
    """The monthly outputs (columns and totals), in the table's order."""
    return [o for o in OUTPUTS if not o.study]


def columns() -> list[str]:
    """The time series' columns, in order. Raises OutputError for a monthly output that nothing
    computes: it would otherwise be a column of placeholders."""
    names = []
    for o in monthly():
        if o.compute is None and not o.total_of:
            raise OutputError(f"output {o.name}: listed per month, but no `compute` computes it")
        if o.compute is not None:
            names.append(o.name)
    return names


def reporters() -> dict[str, Callable[[Any], Any]]:
    """The DataCollector's model reporters: each column reads the month's row (`model.metrics`)."""
    return {name: (lambda model, name=name: model.metrics[name]) for name in columns()}


def month_row(month: Month) -> dict[str, Any]:
    """Every column's value this month."""
    row = {o.name: o.compute(month) for o in monthly() if o.compute is not None}
    month.close()
    return row


def with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (time series) with the totals its columns allow, e.g. `items_total`."""
    totals = {
        o.name: functools.reduce(operator.add, (frame[c] for c in o.total_of))
        for o in monthly()
        if o.total_of and all(c in frame for c in o.total_of)
    }
    return frame.assign(**totals)


def of_study(study: str) -> list[Output]:
    """The per-run outputs `study` computes, in the table's order."""
    if study not in STUDIES:
        raise OutputError(f"no study {study!r}; studies: {', '.join(STUDIES)}")
    return [o for o in OUTPUTS if o.study == study]


def checked(study: str, computed: Mapping[str, Any]) -> Mapping[str, Any]:
    """`computed` (one run's outputs of `study`) if it holds exactly the table's outputs of the
    study; else OutputError, naming what is listed but not computed or computed but not listed."""
    listed = {o.name for o in of_study(study)}
    missing, extra = listed - set(computed), set(computed) - listed
    if missing or extra:
        raise OutputError(
            f"{STUDIES[study]}: listed but not computed: {sorted(missing)}; "
            f"computed but not listed in simulation/outputs.py: {sorted(extra)}"
        )
    return computed


def shown_in(place: str, study: str = "") -> list[Output]:
    """The outputs shown in `place` (PLACES): monthly ones, or `study`'s per-run ones."""
    if place not in PLACES:
        raise OutputError(f"no place {place!r}; places: {', '.join(PLACES)}")
    return [o for o in OUTPUTS if place in o.shown and o.study == study]


def odd_link(heading: str) -> str:
    """A link to the ODD section with this heading (GitHub's anchor of it)."""
    anchor = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -").replace(" ", "-")
    return f"[{heading}](ODD.md#{anchor})"


def markdown() -> str:
    """docs/outputs.md: the table as documentation, generated from the declarations."""
    lines = [
        "# Outputs",
        "",
        "Generated from `simulation/outputs.py` by `python -m simulation.outputs`; do not edit by",
        "hand (`tests/model/test_outputs.py` checks that this file is in step). Units: *share* and",
        "*ratio* lie between 0 and 1. Better: the direction a reform aims at (*none*: no side is",
        "better). Shown: where the output appears (the places are listed at the end). A name may",
        "be both a comparison's and a validation output: each study computes its own.",
    ]
    lines += _section("Every month: the time series", "", monthly())
    for study, function in STUDIES.items():
        lines += _section(f"One number per run: the {study} (`{function}`)", study, of_study(study))
    lines += ["", "## Where outputs are shown", "", "| place | what it means |", "|---|---|"]
    lines += [f"| {place} | {what} |" for place, what in PLACES.items()]
    return "\n".join(lines) + "\n"


def _section(title: str, study: str, outputs: list[Output]) -> list[str]:
    lines = ["", f"## {title}", ""]
    if not study:
        lines += [
            "One row a month, in this order; a *total* is not recorded but added where it is",
            "shown, as the sum of its columns.",
            "",
        ]
    lines += [
        "| output | unit | better | what it is | words shown | ODD | shown |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outputs:
        total = " and ".join(f"`{c}`" for c in o.total_of)
        doc = o.doc + (f" (a total: {total}, added where shown)" if o.total_of else "")
        said = {w.lower(): w for w in (o.short, o.label) if w and w != o.doc}  # one of each
        words = "; ".join(reversed(said.values()))
        cells = (f"`{o.name}`", o.unit, o.better, doc, words, odd_link(o.odd), ", ".join(o.shown))
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return lines


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parent.parent / "docs" / "outputs.md"
    target.write_text(markdown(), encoding="utf-8")
    print(f"wrote {target}")
