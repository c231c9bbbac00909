"""M9 Supervision: who watches bureaus, what they can detect, and the pressure each watcher sends.

A self-evaluating government reads bureaus' own reports: it sees open items, not hidden ones, and
realisation rates inflated by self-report bias. A published item list exposes open items that are
not on it; complaints, third-party surveys and online project tracking expose hidden items.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulation.government import Government
from simulation.items import CUT, HIDDEN, OPEN, SELF_INTEREST
from simulation.mechanisms.workload import matters_passing


def detection_chances(
    gov: Government, inst: dict[str, Any], tracking: bool, attention: float, sp: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly chance that an unapproved open item, and a hidden item, of each bureau is exposed."""
    n = gov.n_departments
    p_open = np.zeros(n)
    if inst["internal_campaigns"] or inst["reform_office"]:
        p_open += sp["self_report_detection"] * (1.0 + attention)
    if inst["public_item_list"]:
        p_open += sp["public_list_detection"]
    p_hidden = np.full(n, sp["hidden_base_detection"])
    if inst["complaint_channel"]:
        per_matter = gov.complaints / np.maximum(gov.matters_handled, 1.0)
        p_hidden += 1.0 - np.exp(-sp["complaint_exposure"] * per_matter)
    if inst["third_party_evaluation"]:
        p_hidden += sp["survey_detection"]
    if tracking and (inst["reform_office"] or inst["third_party_evaluation"]):
        p_hidden += sp["tracking_detection"]
    return np.clip(p_open, 0, 1), np.clip(p_hidden, 0, 1)


def outside_detection(p_hidden: np.ndarray, sp: dict[str, Any]) -> np.ndarray:
    """The part of hidden-item detection that comes from watchers outside the government."""
    return np.maximum(0.0, p_hidden - sp["hidden_base_detection"])


def expose_items(
    gov: Government, p_open: np.ndarray, p_hidden: np.ndarray, month: int, rng: np.random.Generator
) -> np.ndarray:
    """Expose and cut unapproved open items and hidden items. Returns rows exposed."""
    items = gov.items
    n = items.n
    status = items.status[:n]
    unapproved = (status == OPEN) & (
        (items.origin[:n] == SELF_INTEREST) | (items.last_restored[:n] >= 0)
    )
    candidates = np.flatnonzero(unapproved | (status == HIDDEN))
    host = gov.host[items.owner[candidates]]
    p = np.where(status[candidates] == HIDDEN, p_hidden[host], p_open[host])
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


def rank_bureaus(
    gov: Government,
    score: np.ndarray,
    sampled: np.ndarray,
    bottom_share: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Published ranking from a survey: bureaus at the bottom of their level, with sampling noise."""
    noise = rng.normal(0.0, 1.0, len(score)) * np.sqrt(
        score * (1 - score) / np.maximum(sampled, 1.0)
    )
    estimate = score + noise
    bottom = np.zeros(gov.n_departments, bool)
    for level in range(3):
        ranked = np.flatnonzero(gov.active & (gov.dept_level == level) & (sampled > 0))
        if len(ranked) == 0:
            continue
        worst = ranked[np.argsort(estimate[ranked])[: int(np.ceil(bottom_share * len(ranked)))]]
        bottom[worst] = True
    return bottom


def target_shortfall(
    gov: Government, realisation_by_county: np.ndarray, target: float, bias: float
) -> np.ndarray:
    """Per bureau: how far the counties it serves are from the timetable's target (as reported)."""
    reported = np.minimum(1.0, realisation_by_county + bias)
    short = np.maximum(0.0, target - reported)
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


def open_items_by_bureau(gov: Government) -> np.ndarray:
    items = gov.items
    rows = np.flatnonzero(items.status[: items.n] != CUT)
    return np.bincount(gov.host[items.owner[rows]], minlength=gov.n_departments)
