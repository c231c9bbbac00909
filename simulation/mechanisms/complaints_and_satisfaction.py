"""M8 Complaints and satisfaction: trips against expectation, and waiting, make satisfaction.

A public 'at most one trip' promise resets expectations to one. A let-down applicant complains
when a channel exists. A complaint is blamed on the bureaus of its chain by the burden the
applicant could see there: a paper certificate the bureau asked for, a return to its counter
before the counted visit (informal pre-visits), and, less, an item it did not put online. A
hidden step is a trip to a requirement on no list (a pre-review, a filing, an intermediary): the
applicant cannot name the bureau behind it, so it draws no blame; only evidence (M9) brings it to
light. A complaint about a path where no bureau carries visible burden blames nobody: it is
counted apart (`complaints_unattributed`), so the bureaus' complaint counts plus those add up to
the month's complaints.

What the hotline hears in a month (`complaint_chance` times the represented matters) is what the represented province's
applicants would file: on each county x matter path, its represented matters times the chance
that an applicant of that county is let down by the path's trips and complains, averaged over the
simulated applicants who stand for that county. It does not depend on which few of them happened
to have a matter this month, so what a complaint reveals does not depend on the sample's size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulation import catalogue as cat
from simulation.chains import ChainState
from simulation.government import Government, Touches
from simulation.mechanisms.demand import Needs
from simulation.mechanisms.trips import FIRM_ABILITY, Outcomes, trip_chances
from simulation.parameters import ApplicantParams
from simulation.population import Applicants

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(reads="pre_visits")

# applicants are grouped by expectation in steps of 1/EXPECTATION_STEPS of a trip, up to
# MOST_TRIPS (being let down by whole trips is exact on that grid; satisfaction nearly so)
EXPECTATION_STEPS = 20
MOST_TRIPS = 32


def satisfaction_probability(
    trips: np.ndarray, expectation: np.ndarray, waiting_days: np.ndarray, ap: ApplicantParams
) -> np.ndarray:
    """Chance an applicant is satisfied with one matter."""
    logit = (
        ap.satisfaction_base
        - ap.satisfaction_per_extra_trip * np.maximum(0.0, trips - expectation)
        - ap.satisfaction_per_wait_month * waiting_days / 30.0
    )
    return 1.0 / (1.0 + np.exp(-logit))


def step(
    needs: Needs,
    outcomes: Outcomes,
    groups: tuple[Applicants, Applicants],
    promise: bool,
    channel: bool,
    ap: ApplicantParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Judge every matter; update applicants. Returns (satisfied, complained) per matter."""
    satisfied = np.zeros(len(needs), bool)
    complained = np.zeros(len(needs), bool)
    for is_enterprise, applicants in zip((False, True), groups):
        sel = needs.enterprise == is_enterprise
        who, trips = needs.applicant[sel], outcomes.physical[sel]  # informal visits count too
        expected = applicants.expectation[who]
        p = satisfaction_probability(trips, expected, outcomes.waiting_days[sel], ap)
        happy = needs.draws[sel, 2] < p
        let_down = trips > expected
        complain = channel & let_down & (needs.draws[sel, 3] < applicants.complaint_propensity[who])
        satisfied[sel], complained[sel] = happy, complain
        memory = ap.satisfaction_memory
        applicants.satisfaction[who] = (1 - memory) * applicants.satisfaction[who] + memory * happy
        learned = expected + ap.expectation_learning * (trips - expected)
        applicants.expectation[who] = np.minimum(learned, 1.0) if promise else learned
        applicants.remember(who, needs.matter[sel], trips)
    return satisfied, complained


@dataclass(frozen=True)
class Paths:
    """The month's paths and the applicants who stand for each county: what `complaint_chance`
    and `satisfaction_chance` average over (`online` says who of given digital abilities files
    online)."""

    chains: ChainState
    groups: tuple[Applicants, Applicants]
    online: Callable[[np.ndarray], np.ndarray]
    accept_later: bool
    ap: ApplicantParams


def complaint_chance(paths: Paths) -> np.ndarray:
    """(K, M): chance that a matter of each county x type brings a complaint (given a channel):
    the share of the county's applicants of that kind whose trips on the path let them down
    (`path_mean`), times the kind's mean propensity to complain. That propensity is a personal
    trait drawn alike in every county, so it is read from all the kind's applicants, not from
    the county's few."""

    def let_down(outcomes, expectation, county, kind):
        return sum(p * (trips > expectation) for trips, p in outcomes)

    rate = path_mean(paths, let_down)
    for applicants, kind in zip(paths.groups, _kinds()):
        live = applicants.active
        rate[:, kind] *= applicants.complaint_propensity[live].mean() if live.any() else 0.0
    return rate


def satisfaction_chance(paths: Paths) -> np.ndarray:
    """(K, M): chance that an applicant of each county x type is satisfied with a matter this
    month (`satisfaction_probability` over the trips the path can cost, `path_mean`)."""

    def satisfied(outcomes, expectation, county, kind):
        waiting = paths.chains.waiting_days[county, kind]
        chance = satisfaction_probability
        return sum(p * chance(trips, expectation, waiting, paths.ap) for trips, p in outcomes)

    return path_mean(paths, satisfied)


def path_mean(paths: Paths, judge: Callable[..., np.ndarray]) -> np.ndarray:
    """(K, M): the mean over each county's simulated active applicants of the matter's kind
    (who carry the county's learned expectations; `online` says who of given digital abilities
    files online) of `judge(trip chances, expectation, county, type)`; a county with none of them takes the
    province's mean. Applicants are grouped by county, online use and expectation (to
    1/EXPECTATION_STEPS of a trip, exact for being let down by whole trips), so the cost does
    not grow with their number."""
    chains, groups, online, ap = paths.chains, paths.groups, paths.online, paths.ap
    K, M = chains.hidden.shape
    mean = np.zeros((K, M))
    levels = EXPECTATION_STEPS * MOST_TRIPS
    for applicants, kind in zip(groups, _kinds()):
        live = np.flatnonzero(applicants.active)
        firm = applicants.kind == "enterprise"
        ability = np.full(len(live), FIRM_ABILITY) if firm else applicants.digital_ability[live]
        level = np.clip(np.floor(applicants.expectation[live] * EXPECTATION_STEPS), 0, levels - 1)
        key = (applicants.county[live] * 2 + online(ability)) * levels + level.astype(int)
        members = np.bincount(key, minlength=K * 2 * levels)
        group = np.flatnonzero(members)
        county, rest = np.divmod(group, 2 * levels)
        uses, level = np.divmod(rest, levels)
        outcomes = trip_chances(
            chains,
            county[:, None],
            kind[None, :],
            uses.astype(bool)[:, None],
            paths.accept_later,
            ap,
        )
        expectation = (level / EXPECTATION_STEPS)[:, None]
        judged = judge(outcomes, expectation, county[:, None], kind[None, :])
        cell = county[:, None] * len(kind) + np.arange(len(kind))
        total = np.bincount(cell.ravel(), (judged * members[group][:, None]).ravel(), K * len(kind))
        total = total.reshape(K, len(kind))
        people = np.bincount(applicants.county[live], minlength=K)[:, None]
        province = total.sum(axis=0) / max(len(live), 1)
        mean[:, kind] = np.where(people > 0, total / np.maximum(people, 1), province)
    return mean


def _kinds() -> tuple[np.ndarray, np.ndarray]:
    """The matter types of citizens and of enterprises."""
    firm = np.array([mt.applicant == "enterprise" for mt in cat.MATTERS])
    return np.flatnonzero(~firm), np.flatnonzero(firm)


def attribute_complaints(
    gov: Government, chains: ChainState, needs: Needs, complained: np.ndarray, offline_blame: float
) -> np.ndarray:
    """Spread each complaint over the chain's bureaus by their share of the burden the applicant
    could see: 1 for a paper certificate asked for, 1 for a bureau that has applicants return
    informally before the counted visit, `offline_blame` for an open item not online. A
    complaint about a path that carries no such burden reaches no bureau
    (`unattributed_complaints`)."""
    return blame_paths(gov, chains, _per_path(chains, needs, complained), offline_blame)


def blame_paths(
    gov: Government, chains: ChainState, per_path: np.ndarray, offline_blame: float
) -> np.ndarray:
    """Complaints per county x type (simulated or represented) spread over the bureaus of each
    path by the burden applicants could see there (`attribute_complaints`)."""
    blame, total = _blame(gov, chains, offline_blame)
    share = np.divide(blame, total, out=np.zeros_like(blame, dtype=float), where=total > 0)
    handler = np.broadcast_to(chains.handler[:, None], share.shape).ravel()
    weights = (per_path[:, :, None, None] * share).ravel()
    return np.bincount(handler, weights=weights, minlength=gov.n_departments)


def unattributed_complaints(
    gov: Government,
    chains: ChainState,
    needs: Needs,
    complained: np.ndarray,
    offline_blame: float,
) -> int:
    """Complaints about a path where no bureau carries visible burden (no paper certificate, no
    informal return, every item online, or nothing but hidden steps): counted, blamed on nobody."""
    _, total = _blame(gov, chains, offline_blame)
    return int(round(_per_path(chains, needs, complained)[total[:, :, 0, 0] == 0].sum()))


def _blame(
    gov: Government, chains: ChainState, offline_blame: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each chain cell's blame (county x matter x domain x level) and each path's total: the
    burden an applicant sees at the cell's bureau. Hidden items are not read: nobody sees them."""
    offline = chains.open_items - chains.online_items
    returns = (chains.open_items > 0) * gov.pre_visits[chains.handler][:, None]
    blame = chains.unshared + returns + offline_blame * offline
    return blame, blame.sum(axis=(2, 3), keepdims=True)


def _per_path(chains: ChainState, needs: Needs, complained: np.ndarray) -> np.ndarray:
    """Complaints per county x matter type."""
    K, M = chains.hidden.shape
    index = needs.county * M + needs.matter
    return np.bincount(index, weights=complained.astype(float), minlength=K * M).reshape(K, M)


def reset_expectations(groups: tuple[Applicants, Applicants]) -> None:
    """The public promise: everyone now expects at most one trip."""
    for applicants in groups:
        applicants.expectation = np.minimum(applicants.expectation, 1.0)
