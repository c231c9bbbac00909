"""M8 Complaints and satisfaction: trips against expectation, and waiting, make satisfaction.

A public 'at most one trip' promise resets expectations to one. A let-down applicant complains
when a channel exists; complaints are attributed to the bureaus of the chain that caused the
extra trips (hidden steps, paper certificates, offline items). A complaint about a path where no
bureau did any of these blames nobody: it is counted apart (`complaints_unattributed`), so the
bureaus' complaint counts plus those add up to the month's complaints.
"""

from __future__ import annotations

import numpy as np

from simulation.chains import ChainState
from simulation.government import Government, Touches
from simulation.mechanisms.demand import Needs
from simulation.mechanisms.trips import Outcomes
from simulation.parameters import ApplicantParams
from simulation.population import Applicants

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches()


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


def attribute_complaints(
    gov: Government, chains: ChainState, needs: Needs, complained: np.ndarray, offline_blame: float
) -> np.ndarray:
    """Spread each complaint over the chain's bureaus by their share of the extra burden: 1 for a
    hidden step or a paper certificate, `offline_blame` for an open item not online. A complaint
    about a path that carries no blame reaches no bureau (`unattributed_complaints`)."""
    blame, total = _blame(chains, offline_blame)
    share = np.divide(blame, total, out=np.zeros_like(blame, dtype=float), where=total > 0)
    handler = np.broadcast_to(chains.handler[:, None], share.shape).ravel()
    weights = (_per_path(chains, needs, complained)[:, :, None, None] * share).ravel()
    return np.bincount(handler, weights=weights, minlength=gov.n_departments)


def unattributed_complaints(
    chains: ChainState, needs: Needs, complained: np.ndarray, offline_blame: float
) -> int:
    """Complaints about a path where no bureau carries blame (nothing hidden, no paper
    certificate, every item online, or no item at all): counted, blamed on nobody."""
    _, total = _blame(chains, offline_blame)
    return int(round(_per_path(chains, needs, complained)[total[:, :, 0, 0] == 0].sum()))


def _blame(chains: ChainState, offline_blame: float) -> tuple[np.ndarray, np.ndarray]:
    """Each chain cell's blame (county x matter x domain x level) and each path's total."""
    offline = chains.open_items - chains.online_items
    blame = chains.hidden_cells + chains.unshared + offline_blame * offline
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
