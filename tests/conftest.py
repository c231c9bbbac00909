"""Shared helpers: small models and scenario configs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulation import ReformModel, scenarios
from simulation import catalogue as cat
from simulation.mechanisms.demand import DRAWS_PER_NEED, Needs
from simulation.mechanisms.supervision import Exposure

ROOT = Path(__file__).resolve().parent.parent
FAST = os.environ.get("REFORM_FAST") == "1"  # set by `make test-fast`


def examples(n: int) -> int:
    """Hypothesis examples of a property test: all of them in `make test` (and CI), a tenth in
    the fast tier, which must stay under a minute."""
    return max(20, n // 10) if FAST else n


SCENARIOS = scenarios.available()


def scenario(name: str) -> dict[str, Any]:
    return scenarios.load(name)


def small_model(name: str = "status_quo", **overrides: Any) -> ReformModel:
    """A small model; `warmup=0` unless given, so month 1 is the launch."""
    settings = {
        "seed": 0,
        "population__citizens": 600,
        "population__enterprises": 60,
        "warmup": 0,
        "steps": 12,
    }
    settings.update(overrides)
    return ReformModel({"scenario": scenario(name)}, **settings)


def set_agencies(gov, counts: Any, bureaus: Any = None) -> None:
    """Give `bureaus` (every bureau if None) `counts` live agencies, founding or ending them in
    the registry as the model would (a count is never written directly)."""
    bureaus = np.arange(gov.n_departments) if bureaus is None else np.atleast_1d(bureaus)
    for bureau, want in zip(bureaus, np.broadcast_to(counts, bureaus.shape)):
        have = int(gov.agencies[bureau])
        for _ in range(int(want) - have):
            gov.registry.found(bureau, "split")
        if have > want:
            gov.registry.end(bureau, have - int(want), "abolished")


def needs_for(matter: str, county: int = 0, n: int = 1, draws: float | list[float] = 0.99) -> Needs:
    """`n` identical matters of one type from one county, with fixed random draws."""
    row = np.broadcast_to(np.asarray(draws, float), (DRAWS_PER_NEED,))
    return Needs(
        applicant=np.arange(n),
        enterprise=np.full(n, cat.MATTERS[cat.MATTER[matter]].applicant == "enterprise"),
        matter=np.full(n, cat.MATTER[matter]),
        county=np.full(n, county),
        draws=np.tile(row, (n, 1)),
    )


def blind(gov) -> Exposure:
    """Exposure when nobody watches: nothing comes to light (each test sets what it needs)."""
    shape = (gov.n_units, len(cat.MATTERS))
    return Exposure(np.zeros(shape), np.zeros(shape), 0.0, np.zeros(gov.n_departments))


@pytest.fixture
def make_model():
    return small_model


@pytest.fixture(scope="module")
def model():
    """A small classroom model (the dashboard's), three months after the end of the warm-up."""
    from simulation.dashboard.classroom import ClassroomModel

    m = ClassroomModel(citizens=500, seed=4)
    for _ in range(3):
        m.step()
    return m
