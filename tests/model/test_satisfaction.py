"""M8 complaints and satisfaction."""

from dataclasses import fields, replace

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.items import HIDDEN, OPEN
from simulation.mechanisms import complaints_and_satisfaction as satisfaction
from simulation.mechanisms.demand import Needs
from simulation.mechanisms.trips import Outcomes
from simulation.parameters import SupervisionParams
from tests.conftest import needs_for, small_model

BLAME = SupervisionParams().blame_offline_item  # an offline item's blame next to a certificate's


def test_extra_trips_and_waiting_lower_satisfaction():
    ap = small_model().params.applicants
    p = satisfaction.satisfaction_probability(
        np.array([1, 3, 1]), np.array([1.0, 1.0, 1.0]), np.array([0, 0, 60]), ap
    )
    assert p[0] > p[1] and p[0] > p[2]


def test_satisfaction_is_a_chance_that_only_trips_beyond_expectation_and_waiting_lower():
    """Fewer trips than expected are no better than as many; each trip beyond is worse; waiting is
    counted by the month, so a few days' wait barely matters next to an extra trip."""
    ap = small_model().params.applicants
    trips = np.array([0, 1, 2, 3, 1])
    p = satisfaction.satisfaction_probability(trips, np.ones(5), np.array([0, 0, 0, 0, 5]), ap)
    assert ((0 < p) & (p < 1)).all()
    assert p[0] == p[1] > p[2] > p[3]
    assert p[1] - p[4] < (p[1] - p[2]) / 10


def test_the_promise_lowers_expectations_and_broken_promises_become_complaints():
    """The same applicants with and without the public promise: only with it do they expect one
    trip, and more of them complain at the same trips."""
    promised = small_model("public_pressure", steps=6)
    plain = small_model(
        "public_pressure", steps=6, scenario__institutions__at_most_once_promise=False
    )
    promised_df, plain_df = promised.run(), plain.run()
    assert promised.citizens.expectation.mean() < plain.citizens.expectation.mean() - 0.5
    assert promised_df["complaints"].sum() > plain_df["complaints"].sum() > 0


def test_no_channel_no_complaints():
    model = small_model("internal_reform", steps=6)
    df = model.run()
    assert df["complaints"].sum() == 0


def test_complaints_land_on_the_bureaus_whose_burden_applicants_see():
    """A complaint about a matter is spread over its chain by each bureau's part of the burden
    applicants can see: a bureau whose plain open item becomes a hidden step (a requirement on
    no list, whose bureau the applicant cannot name) draws less of it, not more."""
    model = small_model("public_pressure", steps=2)
    model.run()
    gov = model.government
    items = gov.items
    restaurant = cat.MATTER["open_a_restaurant"]  # six bureaus share its chain
    row = next(
        r for r in np.flatnonzero(items.status[: items.n] == OPEN)
        if items.matter[r] == restaurant and items.certificate[r] < 0
    )  # fmt: skip
    bureau = gov.host[items.owner[row]]
    county = int(np.flatnonzero(gov.cover[gov.dept_unit[items.owner[row]]])[0])
    needs = needs_for("open_a_restaurant", county=county, n=10)
    complained = np.ones(len(needs), bool)
    before = satisfaction.attribute_complaints(
        gov, model.approval_chains(), needs, complained, BLAME
    )
    assert np.isclose(before.sum(), 10) and before[~gov.active].sum() == 0
    assert 0 < before[bureau] < 10  # it shares the chain with others
    items.status[row] = HIDDEN  # the item becomes a hidden step: a trip nobody can avoid
    after = satisfaction.attribute_complaints(
        gov, model.approval_chains(), needs, complained, BLAME
    )
    assert after[bureau] < before[bureau]


def joined(*parts: Needs) -> Needs:
    """One month's needs made of several groups, in order."""
    return Needs(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Needs)))


def judged(trips, expectation, propensity=1.0, channel=True, promise=False, waiting=0.0, **kw):
    """One month of matters judged by M8: citizens 0..n-1 (a civil matter) and firms 0..n-1 (a
    licence change), each with the given counted `trips` and (optional) `informal` visits, all
    starting from `expectation` and satisfaction 0.5. Draws (`draws`): 0.5 for satisfaction and
    complaint, 0.9 for every other draw. Returns (satisfied, complained, citizens, firms)."""
    model = small_model()
    trips = np.asarray(trips)
    n = len(trips)
    informal = np.asarray(kw.get("informal", np.zeros(n, int)))
    draws = kw.get("draws", [0.9, 0.9, 0.5, 0.5, 0.9, 0.9, 0.9])
    people = needs_for("marriage_registration", n=n, draws=draws)
    firms = needs_for("licence_change", n=n, draws=draws)
    needs = joined(people, firms)
    groups = (model.citizens, model.enterprises)
    for applicants in groups:
        applicants.expectation[:] = expectation
        applicants.satisfaction[:] = 0.5
        applicants.complaint_propensity[:] = propensity
    both = lambda a: np.concatenate([a, a]).astype(float)  # noqa: E731
    outcomes = Outcomes(
        trips=both(trips).astype(int), informal=both(informal).astype(int),
        recorded=both(trips).astype(int), face_to_face=both(trips), days=both(trips) * 0.0,
        travel_hours=both(trips) * 0.0, waiting_days=both(trips) * 0.0 + waiting,
    )  # fmt: skip
    satisfied, complained = satisfaction.step(
        needs, outcomes, groups, promise, channel, model.params.applicants
    )
    return satisfied, complained, model.citizens, model.enterprises


def test_an_applicant_let_down_by_extra_trips_is_unhappy_and_complains_where_a_channel_exists():
    """Citizens and firms alike: the trips they expected leave them satisfied and quiet; more
    trips, counted or informal, leave them unsatisfied and complaining, but only with a channel
    to complain to and only if they are the complaining kind."""
    trips, informal = [1, 4, 1], [0, 0, 3]  # as expected; three more; three more off the books
    satisfied, complained, *_ = judged(trips, 1.0, informal=informal)
    assert satisfied.tolist() == [True, False, False] * 2
    assert complained.tolist() == [False, True, True] * 2
    _, silent, *_ = judged(trips, 1.0, informal=informal, channel=False)
    assert not silent.any()
    _, meek, *_ = judged(trips, 1.0, informal=informal, propensity=0.0)
    assert not meek.any()
    # a long wait alone spoils satisfaction, but nobody complains of trips they expected
    satisfied, complained, *_ = judged([1], 1.0, waiting=720.0)
    assert not satisfied.any() and not complained.any()
    # each judgement reads its own draw of the need (satisfaction, then complaint), so the same
    # need is judged alike in every scenario: a lucky draw keeps a let-down applicant satisfied,
    # an unlucky one keeps a half-inclined complainer quiet, whatever the other draws are
    lucky = [0.0, 0.0, 0.0, 0.99, 0.0, 0.0, 0.0]
    satisfied, complained, *_ = judged([4], 1.0, propensity=0.5, draws=lucky)
    assert satisfied.all() and not complained.any()


def test_satisfaction_moves_towards_the_last_experience_and_expectations_learn_from_trips():
    """Only the applicants who had a matter change. A good experience raises satisfaction, a bad
    one lowers it, within 0 and 1. Expectations move towards the trips made (informal visits
    included) and stay put when the trips meet them; the public promise keeps them at most one."""
    satisfied, _, citizens, firms = judged([2, 5, 0], 2.0, informal=[0, 0, 0])
    for applicants in (citizens, firms):
        assert (applicants.satisfaction[3:] == 0.5).all()  # no matter this month
        assert (applicants.expectation[3:] == 2.0).all()
        good, bad, quick = applicants.satisfaction[:3]
        assert 0.5 < good <= 1.0 and 0.0 <= bad < 0.5 and 0.5 < quick <= 1.0
        met, more, fewer = applicants.expectation[:3]
        assert met == 2.0 and 2.0 < more < 5.0 and 0.0 < fewer < 2.0
        assert applicants.matters_done[:3].tolist() == [1, 1, 1]
        assert applicants.matters_done[3:].sum() == 0
        assert applicants.last_trips[:3].tolist() == [2, 5, 0]
    assert (citizens.last_matter[:3] == cat.MATTER["marriage_registration"]).all()
    assert (firms.last_matter[:3] == cat.MATTER["licence_change"]).all()
    # the trips an applicant remembers include the informal visits
    _, _, citizens, _ = judged([1], 1.0, informal=[2])
    assert citizens.last_trips[0] == 3 and citizens.expectation[0] > 1.0
    # under the promise nobody comes to expect more than one trip, whatever they went through
    _, _, citizens, firms = judged([1, 5, 0], 1.0, promise=True)
    for applicants in (citizens, firms):
        assert applicants.expectation[:2].tolist() == [1.0, 1.0]
        assert applicants.expectation[2] < 1.0  # a matter done online teaches to expect less


def test_the_promise_caps_every_expectation_at_one_trip_and_raises_none():
    model = small_model()
    model.citizens.expectation[:3] = [0.0, 0.5, 4.0]
    model.enterprises.expectation[:2] = [3.0, 0.2]
    satisfaction.reset_expectations((model.citizens, model.enterprises))
    assert model.citizens.expectation[:3].tolist() == [0.0, 0.5, 1.0]
    assert model.enterprises.expectation[:2].tolist() == [1.0, 0.2]


def test_each_complaint_falls_on_the_bureaus_of_its_own_path_by_the_trips_they_caused():
    """Chains with known burdens: in county 0 the civil-affairs bureau hides a step and the
    police keep a plain paper item; in county 1 the civil-affairs bureau asks for a certificate
    no database serves and the police have put their item online. County 0's complaints fall on
    the police's paper item (nobody sees whose the hidden step is); county 1's all on the
    certificate; an online item takes no blame, and bureaus of other paths none at all."""
    model = small_model()
    gov = model.government
    chains = model.approval_chains()
    marriage = cat.MATTER["marriage_registration"]
    civil, police = cat.DOMAIN["civil_affairs"], cat.DOMAIN["public_security"]
    zero = np.zeros(chains.open_items.shape)
    hidden, unshared, open_, online = zero.copy(), zero.copy(), zero.copy(), zero.copy()
    hidden[0, marriage, civil, cat.COUNTY] = 1
    open_[0, marriage, police, cat.COUNTY] = 1
    unshared[1, marriage, civil, cat.COUNTY] = 1
    open_[1, marriage, police, cat.COUNTY] = online[1, marriage, police, cat.COUNTY] = 1
    chains = replace(
        chains, hidden_cells=hidden, unshared=unshared, open_items=open_, online_items=online
    )
    hider, clerk = chains.handler[0, civil, cat.COUNTY], chains.handler[0, police, cat.COUNTY]
    asker, filer = chains.handler[1, civil, cat.COUNTY], chains.handler[1, police, cat.COUNTY]
    assert len({hider, clerk, asker, filer}) == 4
    first = needs_for("marriage_registration", county=0, n=10)
    second = needs_for("marriage_registration", county=1, n=4)
    needs = joined(first, second)
    complained = np.array([True] * 6 + [False] * 4 + [True] * 4)  # 6 of county 0, 4 of county 1
    blame = satisfaction.attribute_complaints(gov, chains, needs, complained, BLAME)
    assert np.isclose(blame[clerk], 6) and blame[hider] == 0
    assert np.isclose(blame[asker], 4) and blame[filer] == 0
    others = np.ones(gov.n_departments, bool)
    others[[hider, clerk, asker, filer]] = False
    assert (blame[others] == 0).all()
    # complaints about a path where no bureau added a trip blame nobody
    births = needs_for("birth_registration", county=0, n=5)
    assert not satisfaction.attribute_complaints(gov, chains, births, np.ones(5, bool), BLAME).any()
    # ... and are counted apart (defect 4 of docs/testing.md), the others not
    assert satisfaction.unattributed_complaints(gov, chains, births, np.ones(5, bool), BLAME) == 5
    assert satisfaction.unattributed_complaints(gov, chains, needs, complained, BLAME) == 0


def test_a_bureau_merged_away_keeps_its_place_in_the_complaint_count_with_none():
    """Complaints are counted for every bureau, including one merged into another (its cells are
    handled by the host), which gets none."""
    model = small_model("public_pressure", steps=1)
    model.run()
    gov = model.government
    last = gov.n_departments - 1
    gov.host[gov.host == last] = last - 1  # the last bureau merges into the one before it
    chains = model.approval_chains()
    assert last not in chains.handler
    needs = model.demand.step()
    blame = satisfaction.attribute_complaints(gov, chains, needs, np.ones(len(needs), bool), BLAME)
    assert len(blame) == gov.n_departments and blame[last] == 0 and blame.sum() > 0


def test_every_complaint_is_blamed_on_bureaus_or_counted_as_blamed_on_nobody():
    """Defect 4 of docs/testing.md: month by month, the complaints bureaus carry plus those
    about paths where no bureau carries blame add up to the month's complaints."""
    model = small_model("pressure_and_technology")
    complaints = 0
    for _ in range(18):
        model.step()
        carried = model.government.complaints.sum() + model.metrics["complaints_unattributed"]
        assert np.isclose(carried, model.metrics["complaints"])
        complaints += model.metrics["complaints"]
    assert complaints > 0  # (blameless paths are rare: the unit test above makes one)


def test_blame_reads_what_applicants_saw_never_the_true_hidden_counts():
    """Changing how many hidden steps each bureau truly keeps, while every burden applicants see
    stays as it was, leaves the blame and the unattributed complaints exactly as they were; a
    bureau that has applicants come back informally before the counted visit draws blame."""
    model = small_model("public_pressure", steps=3)
    model.run()
    gov, chains = model.government, model.approval_chains()
    needs = model.demand.step()
    complained = np.ones(len(needs), bool)

    def blamed(chains):
        return (
            satisfaction.attribute_complaints(gov, chains, needs, complained, BLAME),
            satisfaction.unattributed_complaints(gov, chains, needs, complained, BLAME),
        )

    rng = np.random.default_rng(0)
    other = rng.integers(0, 5, chains.hidden_cells.shape).astype(chains.hidden_cells.dtype)
    before, after = blamed(chains), blamed(replace(chains, hidden_cells=other))
    assert np.array_equal(before[0], after[0]) and before[1] == after[1]
    assert before[0].sum() > 0
    shared = (
        np.unique(chains.handler[k][chains.open_items[k, m] > 0])
        for k, m in zip(needs.county, needs.matter)
    )  # the bureaus with an item on each matter's path
    counter = next(bureaus for bureaus in shared if len(bureaus) > 1)[0]
    gov.pre_visits[counter] = True  # it starts having applicants come back informally
    returns = blamed(chains)
    assert returns[0][counter] > before[0][counter]
    assert returns[0].sum() + returns[1] == pytest.approx(before[0].sum() + before[1])
