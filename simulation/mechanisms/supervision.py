"""M9 Supervision: who watches bureaus, what comes to light, and the pressure each watcher sends.

What comes to light is evidence (simulation/mechanisms/observation.py), not a constant:
- a hidden item (pre-review, filing, intermediary, extra material) comes to light when a watcher
  observes a matter on its path and the path's record shows the step (traceability);
- an open item nobody approved is plain to anyone who compares what applicants are asked for
  with a published item list, so with a public list every observed path shows it; the government
  itself notices one only when it reads bureaus' self-reports closely (`internal_scrutiny`),
  which it does while a campaign holds its attention, and a standing reform office does every
  month (`office_attention`);
- an off-book practice of a bureau (informal pre-visits) comes to light like a hidden step, on
  any observed path the bureau is on.
A self-evaluating government reads self-reports: open items, and realisation from bureaus' own
records, which leave out hidden steps and informal visits.
A third party ranks bureaus on its own quarterly sample of `survey_sample` represented matters
(`survey`, `rank_bureaus`), never on every simulated matter, so its noise is its sample's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.chains import ChainState
from simulation.government import Government, Touches
from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms.observation import (
    Evidence,
    chance_by_bureau,
    chance_by_unit,
    yearly,
)
from simulation.mechanisms.workload import matters_passing
from simulation.parameters import Institutions, SupervisionParams

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="host abolished items.n items.owner items.matter items.registered",
    writes="exposed items.status items.cuts items.last_cut",
)


@dataclass
class Exposure:
    """Monthly chances that something comes to light this month."""

    hidden: np.ndarray  # (units, M): a hidden item of a unit's bureau on a matter's chain
    unlisted: np.ndarray  # (units, M): an open item missing from the public list (outside eyes)
    internal: float  # an open item the government never approved, read in a self-report
    practice: np.ndarray  # (bureaus,): an off-book practice of the bureau (informal pre-visits)

    def of_items(self, gov: Government, rows: np.ndarray, hidden: bool) -> np.ndarray:
        """Monthly chance per item row, in the hidden form or as an unapproved open item."""
        unit = gov.dept_unit[gov.items.owner[rows]]
        matter = gov.items.matter[rows]
        if hidden:
            return self.hidden[unit, matter]
        return 1.0 - (1.0 - self.unlisted[unit, matter]) * (1.0 - self.internal)


@dataclass
class Target:
    """The timetable's realisation target as the reform office reads it this month."""

    short: np.ndarray  # per bureau: how far its counties fall short
    on_records: bool  # read from bureaus' own records (no independent survey to check them)


def exposure(
    gov: Government,
    evidence: Evidence,
    chains: ChainState,
    inst: Institutions,
    attention: float,
    sp: SupervisionParams,
) -> Exposure:
    units = (gov.n_units, chains.hidden.shape[1])
    # an unlisted open item is plain to whoever compares the form with the published list
    listed = inst.public_item_list
    return Exposure(
        hidden=chance_by_unit(gov, evidence, evidence.traceability),
        unlisted=chance_by_unit(gov, evidence, 1.0) if listed else np.zeros(units),
        internal=sp.internal_scrutiny * reading(inst, attention, sp),
        practice=chance_by_bureau(gov, chains, evidence),
    )


def reading(inst: Institutions, attention: float, sp: SupervisionParams) -> float:
    """How closely self-reports are read this month (1 = a campaign's full attention): the
    government reads them while a campaign holds its attention; a standing reform office reads
    them every month, campaign or not."""
    campaign = attention if inst.internal_campaigns else 0.0
    office = sp.office_attention if inst.reform_office else 0.0
    return max(campaign, office)


def form_risks(gov: Government, exp: Exposure) -> tuple[np.ndarray, np.ndarray]:
    """Per bureau: the yearly chance that an unapproved open item, and a hidden item, of the kind
    it holds comes to light (the mean over its live items)."""
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] != CUT)
    host = gov.host[items.owner[rows]]
    count = np.maximum(np.bincount(host, minlength=gov.n_departments), 1)
    open_risk = yearly(exp.of_items(gov, rows, hidden=False))
    hidden_risk = yearly(exp.of_items(gov, rows, hidden=True))
    return (
        np.bincount(host, weights=open_risk, minlength=gov.n_departments) / count,
        np.bincount(host, weights=hidden_risk, minlength=gov.n_departments) / count,
    )


def expose_items(
    gov: Government, exp: Exposure, month: int, rng: np.random.Generator
) -> np.ndarray:
    """Unapproved open items and hidden items that came to light are cut. Returns their rows."""
    items = gov.items
    n = items.n
    status = items.status[:n]
    unapproved = (status == OPEN) & ~items.registered[:n]
    hidden = np.flatnonzero(status == HIDDEN)
    loose = np.flatnonzero(unapproved)
    p = np.concatenate([exp.of_items(gov, hidden, True), exp.of_items(gov, loose, False)])
    candidates = np.concatenate([hidden, loose])
    exposed = candidates[rng.random(len(candidates)) < p]
    items.cut(exposed, month)
    gov.exposed = np.bincount(gov.host[items.owner[exposed]], minlength=gov.n_departments).astype(
        float
    )
    return exposed


def bureau_satisfaction(
    gov: Government, chains, matters: np.ndarray, satisfied: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Satisfaction of the matters passing each bureau, and how many passed (per county x type input)."""
    count = matters_passing(gov, chains, matters)
    happy = matters_passing(gov, chains, matters * satisfied)
    return np.divide(happy, count, out=np.ones_like(happy), where=count > 0), count


def survey(
    gov: Government,
    chains: ChainState,
    represented: np.ndarray,
    satisfied: np.ndarray,
    size: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The third party's quarterly survey: `size` matters drawn from the represented matters of
    the month (per county x type), each applicant satisfied with the chance its path's applicants
    were (`satisfied`). Returns each bureau's satisfaction among the sampled matters that passed
    it, and how many did. The sample's size, not the simulated population's, sets its noise."""
    share = represented.ravel() / max(represented.sum(), 1e-9)
    drawn = rng.multinomial(size, share) if share.sum() > 0 else np.zeros(share.size, int)
    drawn = drawn.reshape(represented.shape)
    happy = rng.binomial(drawn, np.clip(satisfied, 0.0, 1.0))
    return bureau_satisfaction(gov, chains, drawn.astype(float), happy / np.maximum(drawn, 1))


def rank_bureaus(
    gov: Government, score: np.ndarray, sampled: np.ndarray, bottom_share: float
) -> np.ndarray:
    """Published ranking from a survey: the bureaus the sample reached that scored at the bottom
    of their level (the sample's own noise is in `score`)."""
    bottom = np.zeros(gov.n_departments, bool)
    for level in range(3):
        ranked = np.flatnonzero(gov.active & (gov.dept_level == level) & (sampled > 0))
        if len(ranked) == 0:
            continue
        order = np.argsort(score[ranked], kind="stable")
        bottom[ranked[order[: int(np.ceil(bottom_share * len(ranked)))]]] = True
    return bottom


def target_shortfall(
    gov: Government, realisation_by_county: np.ndarray, target: float
) -> np.ndarray:
    """Per bureau: how far the counties it serves are from the timetable's target, as the office
    reads their realisation."""
    short = np.maximum(0.0, target - realisation_by_county)
    per_unit = (gov.cover * short).sum(axis=1) / gov.cover.sum(axis=1)
    return per_unit[gov.dept_unit]


def item_target_shortfall(
    gov: Government, reported_at_launch: np.ndarray, goal_share: float
) -> np.ndarray:
    """Per bureau: open items above the cut target (the office sees only self-reported items)."""
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] == OPEN)
    now = np.bincount(gov.host[items.owner[rows]], minlength=gov.n_departments)
    goal = (1.0 - goal_share) * np.maximum(reported_at_launch, 1)
    return np.maximum(0.0, now / goal - 1.0) * gov.active
