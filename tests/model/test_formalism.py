"""Formalism (docs/ODD.md 'Formalism'): pressure without the means of real change breeds paper compliance;
traceability brings it to light; reports from bureaus' records hide it from a government that
reads only them."""

from dataclasses import replace

import numpy as np
import pytest

from simulation.items import HIDDEN, OPEN
from simulation.mechanisms import formalism
from simulation.mechanisms.supervision import Exposure
from tests.conftest import small_model


def exposure_of(gov, hidden: float = 0.0, unlisted: float = 0.0, practice: float = 0.0):
    """Every item and practice of the government faces the same monthly chances."""
    from simulation import catalogue as cat

    shape = (gov.n_units, len(cat.MATTERS))
    return Exposure(
        np.full(shape, hidden), np.full(shape, unlisted), 0.0, np.full(gov.n_departments, practice)
    )


def test_a_cut_nobody_can_check_is_made_on_paper_and_a_traceable_one_for_real():
    model = small_model()
    gov, rp = model.government, model.params.regrowth
    value = gov.items.value[: gov.items.n]
    rows = np.flatnonzero((value > 1.0) & (value < 2.0))[:50]  # worth hiding, not at any risk
    real, paper = formalism.cut(gov, rows, exposure_of(gov, hidden=0.0), 1, rp)
    assert len(paper) == len(rows) and len(real) == 0
    assert (gov.items.status[paper] == HIDDEN).all() and not gov.items.registered[paper].any()
    assert (gov.items.last_cut[paper] == 1).all()  # the government counts it as cut
    model = small_model()
    gov = model.government
    real, paper = formalism.cut(gov, rows, exposure_of(gov, hidden=0.5), 1, rp)
    assert len(real) == len(rows) and len(paper) == 0


def test_low_value_items_are_given_up_for_real_even_unwatched():
    """Keeping a requirement off the books costs upkeep; a low-value one is not worth it."""
    model = small_model()
    gov, rp = model.government, model.params.regrowth
    rows = np.flatnonzero(gov.items.value[: gov.items.n] < 0.3)
    real, paper = formalism.cut(gov, rows, exposure_of(gov), 1, rp)
    assert len(real) == len(rows) and len(paper) == 0


def run(scenario: str, months: int = 60, **overrides):
    model = small_model(scenario, steps=months, warmup=12, population__citizens=2000, **overrides)
    return model, model.run().query("step >= 1")


@pytest.mark.heavy
def test_pressure_without_traceable_records_produces_paper_compliance():
    _, paper = run("public_pressure", supervision__traceability_paper=0.0)
    _, traced = run("public_pressure", supervision__traceability_paper=0.3)
    assert paper["items_relabelled"].sum() > 0
    assert paper["items_hidden"].iloc[-12:].mean() > 1.5 * traced["items_hidden"].iloc[-12:].mean()
    gap = lambda df: (df["realisation_rate_reported"] - df["realisation_rate"]).iloc[-12:].mean()  # noqa: E731
    assert gap(paper) > gap(traced) + 0.1  # reports from records drift away from experience


@pytest.mark.heavy
def test_technology_leaves_less_paper_compliance_than_pressure_alone():
    _, alone = run("public_pressure", months=96, supervision__traceability_paper=0.0)
    _, both = run("public_pressure_and_technology", months=96, supervision__traceability_paper=0.0)
    assert both["items_hidden"].iloc[-12:].mean() < 0.5 * alone["items_hidden"].iloc[-12:].mean()
    assert both["realisation_rate"].iloc[-12:].mean() > alone["realisation_rate"].iloc[-12:].mean()


@pytest.mark.heavy
def test_reports_from_records_leave_out_hidden_steps_and_informal_visits():
    model, df = run("top_down_pressure")
    assert (df["realisation_rate_reported"] >= df["realisation_rate"] - 1e-12).all()
    assert df["informal_visits"].iloc[-12:].mean() > 0
    assert (df["realisation_rate_reported"] - df["realisation_rate"]).iloc[-12:].mean() > 0.05
    # with nothing off the books, the records are the applicants' experience
    _, plain = run("status_quo")
    assert np.allclose(plain["realisation_rate_reported"], plain["realisation_rate"])


def test_an_inflated_report_is_caught_by_an_outside_survey_not_by_the_governments_own_reading():
    """The reform office reads the same month two ways: from bureaus' records (its own
    reading) or from an independent survey of applicants. Only the survey sees the gap."""
    model, _ = run("top_down_pressure", months=24)
    seen = {}
    for independent in (False, True):
        model.institutions = replace(model.institutions, third_party_evaluation=independent)
        office = next(a for a in model.agents if getattr(a, "role", "") == "reform_office")
        office.step()
        seen[independent] = model.target
    truth = model.now.realisation_by_county
    records = model.now.recorded_by_county
    assert (records >= truth).all() and (records > truth).any()
    assert seen[False].on_records and not seen[True].on_records
    assert seen[True].short.sum() > seen[False].short.sum()  # the survey shows more to do


def test_pre_visits_start_only_where_the_target_is_read_from_records_and_are_dropped_once_seen():
    model = small_model("top_down_pressure")
    gov = model.government
    everyone = gov.active.copy()
    short = np.ones(gov.n_departments)
    no_lever = np.zeros(gov.n_departments, bool)
    excess = np.full(gov.n_departments, 1.0)
    unseen = exposure_of(gov, practice=0.0)
    started = formalism.take_up_pre_visits(gov, everyone, short, no_lever, excess, unseen, 2.0)
    assert len(started) == everyone.sum()
    # a bureau with a real lever left uses it instead
    gov.pre_visits[:] = False
    lever = np.ones(gov.n_departments, bool)
    assert len(formalism.take_up_pre_visits(gov, everyone, short, lever, excess, unseen, 2.0)) == 0
    # a practice likely to be seen is not worth it, and a seen one ends
    risky = exposure_of(gov, practice=0.5)
    assert (
        len(formalism.take_up_pre_visits(gov, everyone, short, no_lever, excess, risky, 2.0)) == 0
    )
    gov.pre_visits[everyone] = True
    caught = formalism.drop_seen_practices(
        gov, exposure_of(gov, practice=1.0), np.random.default_rng(0)
    )
    assert len(caught) == everyone.sum() and not gov.pre_visits.any()


def test_informal_visits_are_trips_the_records_leave_out():
    model = small_model("top_down_pressure", steps=1, population__citizens=3000)
    model.run()
    gov = model.government
    gov.pre_visits[:] = True
    chains = model.approval_chains()
    needs = model.demand.step()
    from simulation.mechanisms.trips import count_trips

    online = np.zeros(len(needs), bool)
    practised = count_trips(needs, chains, online, False, model.params)
    gov.pre_visits[:] = False
    plain = count_trips(needs, model.approval_chains(), online, False, model.params)
    assert practised.informal.sum() > 0 and plain.informal.sum() == 0
    assert np.array_equal(practised.physical, plain.physical)  # the applicant runs as much
    assert (
        practised.recorded <= plain.recorded
    ).all() and practised.recorded.sum() < plain.recorded.sum()
    assert practised.realised_recorded.mean() > plain.realised_recorded.mean()
    assert np.array_equal(practised.realised, plain.realised)


@pytest.mark.parametrize(
    "value, risk, hidden", [(2.0, 0.0, True), (2.0, 0.9, False), (0.3, 0.0, False)]
)
def test_each_item_takes_the_form_worth_most_by_its_own_value_and_risk(value, risk, hidden):
    rp = small_model().params.regrowth
    as_hidden = formalism.hidden_worth(np.array([value]), np.array([risk]), rp)
    as_open = formalism.open_worth(np.array([value]), np.array([0.9]), rp)  # a public list
    assert bool(as_hidden[0] > max(as_open[0], 0.0)) == hidden


def test_unwatched_hidden_items_come_back_into_the_open_and_watched_open_ones_hide():
    model = small_model()
    gov, rp = model.government, model.params.regrowth
    items = gov.items
    rows = np.flatnonzero(items.value[: items.n] > 1.2)
    items.status[rows] = HIDDEN
    items.registered[rows] = False
    for month in range(1, 61):
        formalism.review_forms(gov, exposure_of(gov), month, np.random.default_rng(month), rp)
    assert (items.status[rows] == OPEN).mean() > 0.8
    for month in range(61, 121):
        risky = exposure_of(gov, unlisted=0.5)
        formalism.review_forms(gov, risky, month, np.random.default_rng(month), rp)
    assert (items.status[rows] == HIDDEN).mean() > 0.8


def test_what_a_review_reports_is_exactly_what_changed_and_registered_items_are_left_alone():
    """Items outside the register are revisited a few at a time; each changed form is reported,
    and an item still worth something in some form is kept."""
    model = small_model()
    gov, rp = model.government, model.params.regrowth
    items = gov.items
    n = items.n
    rng = np.random.default_rng(0)
    kind = rng.integers(0, 3, n)  # registered and open, open outside the register, hidden
    items.status[:n] = np.where(kind == 2, HIDDEN, OPEN)
    items.registered[:n] = kind == 0
    changed = {"reopened": 0, "hidden": 0, "withdrawn": 0}
    for month, exp in enumerate([exposure_of(gov, unlisted=0.5), exposure_of(gov)], start=1):
        # a public list exposes open items (they hide or go), then nothing is watched (they reopen)
        before = items.status[:n].copy()
        did = formalism.review_forms(gov, exp, month, rng, rp)
        after = items.status[:n]
        moved = np.flatnonzero(after != before)
        assert np.array_equal(np.sort(np.concatenate(list(did.values()))), moved)
        assert (before[did["reopened"]] == HIDDEN).all() and (after[did["reopened"]] == OPEN).all()
        assert (before[did["hidden"]] == OPEN).all() and (after[did["hidden"]] == HIDDEN).all()
        assert (items.last_restored[did["reopened"]] == month).all()
        assert (items.last_cut[did["withdrawn"]] == month).all()
        assert kind[moved].min() > 0  # registered items are not the bureau's to reshape
        assert len(moved) < 0.2 * (kind > 0).sum()  # revisited from time to time, not at once
        for key in changed:
            changed[key] += len(did[key])
        if month == 2:  # unwatched, every item is worth keeping open
            assert len(did["withdrawn"]) == 0 and len(did["hidden"]) == 0
    assert min(changed.values()) > 0


def test_only_pressed_bureaus_short_of_their_target_start_pre_visits_and_running_ones_go_on():
    model = small_model("top_down_pressure")
    gov = model.government
    bureaus = np.flatnonzero(gov.active)
    pressed = np.zeros(gov.n_departments, bool)
    pressed[bureaus[::2]] = True
    short = np.zeros(gov.n_departments)
    short[bureaus[::3]] = 0.2
    running = np.zeros(gov.n_departments, bool)
    running[bureaus[1::4]] = True
    gov.pre_visits[:] = running
    no_lever = np.zeros(gov.n_departments, bool)
    excess = np.ones(gov.n_departments)
    started = formalism.take_up_pre_visits(
        gov, pressed, short, no_lever, excess, exposure_of(gov), 2.0
    )
    assert np.array_equal(started, np.flatnonzero(pressed & (short > 0) & ~running))
    assert np.array_equal(gov.pre_visits, running | (pressed & (short > 0)))


def test_each_practice_comes_to_light_on_its_own():
    model = small_model("top_down_pressure")
    gov = model.government
    gov.pre_visits[:] = gov.active
    running = gov.active.sum()
    caught = formalism.drop_seen_practices(
        gov, exposure_of(gov, practice=0.5), np.random.default_rng(0)
    )
    assert 0.3 * running < len(caught) < 0.7 * running
    assert gov.pre_visits.sum() == running - len(caught)
