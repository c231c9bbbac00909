"""The parameter table is declared once, with its metadata: every parameter says what it is, its
unit and origin; every behavioural value has a plausible range; docs/parameters.md is generated
from the declarations and kept in step."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulation import parameters as p

ROOT = Path(__file__).resolve().parents[2]
NUMBERS = [e for e in p.ENTRIES.values() if e.bound is not None]


@pytest.mark.parametrize("entry", p.ENTRIES.values(), ids=lambda e: e.key)
def test_every_parameter_says_what_it_is_and_where_it_comes_from(entry):
    assert len(entry.doc) > 10 and entry.origin in p.ORIGINS
    if entry.origin == "source":
        assert entry.ref, f"{entry.key}: a source must be named"


@pytest.mark.parametrize("entry", NUMBERS, ids=lambda e: e.key)
def test_every_number_has_a_valid_range_that_admits_its_default(entry):
    values = entry.default if isinstance(entry.default, list) else [entry.default]
    assert all(entry.bound.admits(v) for v in values), entry.key


@pytest.mark.parametrize(
    "entry",
    [
        e
        for e in NUMBERS
        if e.origin in ("assumed", "calibrated") and not isinstance(e.default, list)
    ],
    ids=lambda e: e.key,
)
def test_every_behavioural_value_has_a_plausible_range_around_it_inside_the_valid_one(entry):
    low, high = entry.plausible
    assert low <= entry.default <= high, entry.key
    assert entry.bound.admits(low) or low == entry.bound.low, entry.key
    assert entry.bound.admits(high), entry.key


def test_exposure_channels_may_be_drawn_down_to_nothing():
    """The robustness analysis must be able to switch off each way a watcher sees anything."""
    for key in (
        "supervision.traceability_paper",
        "supervision.internal_scrutiny",
        "supervision.complaint_followup",
        "supervision.survey_sample",
        "supervision.audit_annual",
    ):
        assert p.ENTRIES[key].plausible[0] == 0, key


def test_the_calibrated_parameters_are_exactly_those_of_the_calibration_in_force():
    record = yaml.safe_load((ROOT / "experiments" / "calibration" / "calibrated.yaml").read_text())
    calibrated = {k for k, e in p.ENTRIES.items() if e.origin == "calibrated"}
    assert calibrated == set(record["parameters"])


def test_defaults_are_a_fresh_copy_that_agrees_with_the_typed_parameters():
    changed = p.defaults()
    changed["regrowth"]["penalty"] = -1.0  # a caller's edit must not reach the next run
    assert p.defaults()["regrowth"]["penalty"] == p.Parameters().regrowth.penalty != -1.0


def test_docs_parameters_md_is_generated_from_the_declarations():
    written = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert written == p.markdown(), "run: python -m simulation.parameters"
    assert "| `supervision.traceability_paper` |" in written
