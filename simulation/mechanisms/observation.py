"""What watchers can see (docs/ODD.md 'What watchers can see'): observed matters and the traceability of their paths.

A watcher learns about a bureau's hidden step, padded requirement or off-book practice only
through a matter it observes: an applicant a third-party survey interviews, a complaint the hotline
investigates, an investment project whose code ties every department's approval together (M10
tracking). Observations are counted in represented (real) matters per county x matter path, and
they accumulate over a few months (`evidence_memory`). They are what the represented province
produces in expectation, never the simulated sample's draws: a survey samples the province's
expected matters; the hotline hears the complaints the province's applicants would file on each
path (M8 `expected_complaints`: the path's represented matters times the chance that its
applicants are let down and complain). One simulated complaint stands for thousands of real ones,
so counting the sample's complaints would make a path with one sampled complaint saturated and a
path the sample missed unseen, and hidden items would outlive watchers longer the fewer
applicants are simulated. So no result depends on how many applicants are simulated.

An observation reveals what happened on its path with the path's traceability: on paper, who
asked the applicant for what, and when, is nobody's record (`traceability_paper`); where online
filing, e-licences, e-signatures and project codes log every step, it is
(`traceability_digital`). Observations through one channel of the same item read the same kind
of record, so more of them make it likelier that somebody looked, not that the record says more:
a channel brings an item to light in a month with chance (traceability of the observed paths) x
(1 - exp(-observations of them)). Channels (interviews, complaint files, project logs) are
independent evidence. An item no observed matter meets stays unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation import catalogue as cat
from simulation.chains import ChainState
from simulation.government import Government, Touches
from simulation.parameters import Institutions, SupervisionParams

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches()

INVESTMENT = cat.MATTER["investment_project"]
CHANNELS = ("survey", "complaints", "project_codes")


@dataclass
class Evidence:
    """Observations each watcher holds, per channel (represented matters per county x matter),
    and each path's traceability this month."""

    observed: dict[str, np.ndarray] = field(default_factory=dict)
    traceability: np.ndarray | None = None


def traceability(chains: ChainState, tracking: bool, sp: SupervisionParams) -> np.ndarray:
    """(K, M): how much of each path a record shows: the share of its steps on record (open
    items filed online, certificates served as e-licences), and the whole of an investment
    project once project codes track it."""
    steps = (
        chains.open_items.sum(axis=(2, 3)) + chains.unshared.sum(axis=(2, 3)) + chains.e_licences
    )
    logged = chains.online_items.sum(axis=(2, 3)) + chains.e_licences
    digital = np.divide(logged, steps, out=np.zeros(steps.shape), where=steps > 0)
    if tracking:
        digital[:, INVESTMENT] = 1.0
    paper, full = sp.traceability_paper, sp.traceability_digital
    return paper + (full - paper) * digital


def observe(
    evidence: Evidence,
    inst: Institutions,
    tracking: bool,
    matters_real: np.ndarray,
    complaints_real: np.ndarray,
    trace: np.ndarray,
    sp: SupervisionParams,
) -> Evidence:
    """This month's observations added to what watchers still hold.

    `matters_real` and `complaints_real` are the represented province's expected matters and
    complaints per county x matter this month (not the simulated sample's counts)."""
    fresh = {}
    if inst.third_party_evaluation:
        share = matters_real / max(matters_real.sum(), 1e-9)
        fresh["survey"] = sp.survey_sample / 3.0 * share  # a quarterly sample, month by month
    if inst.complaint_channel:
        fresh["complaints"] = sp.complaint_followup * complaints_real
    if tracking and (inst.reform_office or inst.third_party_evaluation):
        coded = np.zeros_like(matters_real)
        coded[:, INVESTMENT] = matters_real[:, INVESTMENT]  # every coded project is on record
        fresh["project_codes"] = coded
    memory = sp.evidence_memory
    held = {
        c: memory * evidence.observed.get(c, 0.0) + fresh.get(c, 0.0)
        for c in CHANNELS
        if c in fresh or c in evidence.observed
    }
    return Evidence(held, trace)


def chance_by_unit(gov: Government, evidence: Evidence, reveal: np.ndarray | float) -> np.ndarray:
    """(units, M): monthly chance that something of unit u's bureau on matter m's chain comes to
    light, where one observation of a path reveals it with chance `reveal` (per path, or one
    number). The unit's items apply to every county it covers."""
    cover = gov.cover.astype(float)
    unseen = np.zeros((gov.n_units, len(cat.MATTERS)))
    for n in evidence.observed.values():
        looked = cover @ n
        revealing = np.divide(
            cover @ (n * reveal), looked, out=np.zeros_like(looked), where=looked > 0
        )
        unseen += np.log1p(-np.minimum(revealing * -np.expm1(-looked), 1.0 - 1e-12))
    return -np.expm1(unseen)


def chance_by_bureau(gov: Government, chains: ChainState, evidence: Evidence) -> np.ndarray:
    """Monthly chance that a practice a bureau applies on every path its open items are on
    comes to light."""
    on_path = chains.open_items > 0  # (K, M, D, 3)
    handler = np.broadcast_to(chains.handler[:, None], on_path.shape).ravel()
    unseen = np.zeros(gov.n_departments)
    for n in evidence.observed.values():
        weight = (on_path * n[:, :, None, None]).ravel()
        looked = np.bincount(handler, weights=weight, minlength=gov.n_departments)
        traced = (on_path * (n * evidence.traceability)[:, :, None, None]).ravel()
        revealing = np.divide(
            np.bincount(handler, weights=traced, minlength=gov.n_departments),
            looked, out=np.zeros_like(looked), where=looked > 0,
        )  # fmt: skip
        unseen += np.log1p(-np.minimum(revealing * -np.expm1(-looked), 1.0 - 1e-12))
    return -np.expm1(unseen)


def yearly(monthly: np.ndarray) -> np.ndarray:
    """A monthly chance held for a year."""
    return -np.expm1(12.0 * np.log1p(-np.minimum(monthly, 1.0 - 1e-12)))
