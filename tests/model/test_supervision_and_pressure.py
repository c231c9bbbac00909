"""M9 supervision and pressure: what each watcher can bring to light, and what pressure makes
bureaus do."""

from dataclasses import replace

import numpy as np
import pytest

from simulation.agents import SupervisingBody
from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms import pressure, supervision
from simulation.mechanisms.supervision import Target
from simulation.parameters import Institutions
from tests.conftest import blind, small_model


def watched(scenario: str, months: int = 24, **overrides):
    """A model run `months` past the launch, with one hidden item and one unapproved open item
    in every bureau that holds items, and the exposure it faces then."""
    model = small_model(scenario, steps=months, population__citizens=2000, **overrides)
    model.run()
    return model, model.exposure


def test_self_evaluation_sees_no_hidden_item_and_outside_watchers_see_some():
    _, internal = watched("internal_reform")
    _, public = watched("public_pressure")
    assert internal.hidden.max() == 0.0
    assert public.hidden.mean() > 0.0


def test_a_public_list_makes_unapproved_open_items_plain_to_every_observer():
    _, listed = watched("public_pressure")
    _, unlisted = watched("public_pressure", **{"scenario__institutions__public_item_list": False})
    assert listed.unlisted.mean() > 0.3 and unlisted.unlisted.max() == 0.0


def test_the_governments_own_reading_notices_unapproved_items_only_while_a_campaign_holds_its_attention():
    model, _ = watched("internal_reform", months=1)  # a round ran at the launch
    fresh = model.expose().internal
    for _ in range(48):
        model.campaigns.fade()
    assert fresh > 10 * model.expose().internal > 0
    model, _ = watched("status_quo")
    assert model.exposure.internal == 0.0


def test_exposed_items_are_cut_and_press_their_bureau():
    model, _ = watched("public_pressure", months=2)
    gov = model.government
    items = gov.items
    live = np.flatnonzero(items.status[: items.n] == OPEN)[:40]
    items.status[live[:20]] = HIDDEN
    items.registered[live] = False
    pressed = np.unique(gov.host[items.owner[live]])
    before = gov.pressure.copy()
    model.exposure = supervision.Exposure(
        np.ones_like(model.exposure.hidden), np.ones_like(model.exposure.unlisted), 0.0,
        np.zeros(gov.n_departments),
    )  # fmt: skip
    model.watch()
    assert (items.status[live] == CUT).all()
    assert (gov.exposed[pressed] > 0).all()
    memory = model.params.departments.pressure_memory
    assert (gov.pressure[pressed] > memory * before[pressed]).all()


def test_pressure_above_resistance_moves_bureaus_into_the_window():
    model = small_model("one_window_no_data")
    gov = model.government
    model.institutions = model.params.scenario.institutions
    none = Target(np.zeros(gov.n_departments), False)

    def respond(level: float) -> None:
        gov.pressure[:] = level
        pressure.respond(
            gov, model.technology, model.institutions, blind(model.government), none,
            np.random.default_rng(0), model.params, 1,
        )  # fmt: skip

    respond(0.0)
    assert gov.in_window.sum() == 0
    respond(50.0)
    assert gov.in_window[gov.active].mean() > 0.9


@pytest.mark.heavy
def test_one_window_without_shared_data_moves_the_running_to_staff():
    """The same window with the platform and shared databases (and nothing else changed)
    leaves staff with less chasing and less work per post."""
    window = small_model("one_window_no_data", steps=48, population__citizens=2000).run()
    with_data = small_model(
        "one_window_no_data", steps=48, population__citizens=2000,
        scenario__institutions__platform=True, scenario__institutions__technology_growth=0.08,
    ).run()  # fmt: skip
    late = slice(-12, None)
    assert (
        window["chase_hours"].iloc[late].mean() > 1.5 * with_data["chase_hours"].iloc[late].mean()
    )
    assert (
        window["staff_utilisation"].iloc[late].mean()
        > with_data["staff_utilisation"].iloc[late].mean()
    )


def test_tracked_delays_press_the_bureau_that_causes_them():
    """With project codes a bureau's own delay is attributable: the signal follows its queue,
    and without tracking nobody can tell whose delay it is."""
    model = small_model("pressure_and_technology")
    model.step()
    for channel in ("third_party_evaluation", "complaint_channel"):  # keep the signal exact
        model.institutions = replace(model.institutions, **{channel: False})
    for body in list(model.agents_by_type[SupervisingBody]):  # a survey draws anew each call
        if body.role in ("third_party", "complaint_channel"):
            body.remove()
    gov = model.government
    gov.waiting_days[:] = 0.0
    slow = np.flatnonzero(gov.active)[:5]
    model.exposure = blind(model.government)
    signals = {}
    for level, delay in ((1.0, 40.0), (1.0, 0.0), (0.0, 40.0)):
        model.technology.level = level
        gov.waiting_days[slow] = delay
        model.watch()
        signals[level, delay] = model.signal.copy()
    from_delay = signals[1.0, 40.0] - signals[1.0, 0.0]
    assert (from_delay[slow] > 0).all()
    assert np.allclose(np.delete(from_delay, slow), 0.0)
    assert np.allclose(signals[0.0, 40.0], signals[1.0, 0.0])


def surveyed(gov, level: int, bureaus: int | None = None) -> np.ndarray:
    """The first `bureaus` active bureaus of a level (all of them if None)."""
    at = np.flatnonzero(gov.active & (gov.dept_level == level))
    return at if bureaus is None else at[:bureaus]


def test_the_ranking_names_the_least_satisfying_bureaus_of_each_level():
    """With many answers per bureau the survey is exact: at every level, the bottom share of the
    surveyed bureaus with the lowest satisfaction are ranked bottom, and no one else is."""
    gov = small_model().government
    gov.abolished[surveyed(gov, 2, 1)] = True  # an abolished bureau is not ranked
    score = np.random.default_rng(1).permutation(np.linspace(0.05, 0.95, gov.n_departments))
    sampled = np.full(gov.n_departments, 1e8)
    bottom = supervision.rank_bureaus(gov, score, sampled, 0.1)
    for level in range(3):
        at = surveyed(gov, level)
        worst = at[np.argsort(score[at])][: int(np.ceil(0.1 * len(at)))]
        assert set(np.flatnonzero(bottom & (gov.dept_level == level))) == set(worst)
        ranked = bottom & gov.active & (gov.dept_level == level)
        assert score[ranked].max() < np.delete(score[at], np.searchsorted(at, worst)).min()
    assert not bottom[gov.abolished].any()


def test_only_bureaus_the_survey_reached_are_ranked_however_few_answers_they_gave():
    """A survey that reaches no province bureau ranks none; a level where it reaches one bureau
    ranks that one; a bureau nobody was asked about is never ranked, even with the worst score;
    one whose handful of answers were all dissatisfied is ranked."""
    gov = small_model().government
    score = np.full(gov.n_departments, 0.8)
    sampled = np.zeros(gov.n_departments)
    lone_city = surveyed(gov, 1, 1)
    counties = surveyed(gov, 2, 20)
    sampled[lone_city] = 50.0
    sampled[counties] = 50.0
    unasked, thin = surveyed(gov, 2)[20], counties[0]
    score[unasked] = 0.0  # the worst, but nobody was asked about it
    score[thin], sampled[thin] = 0.0, 0.5  # half an expected answer, and it was unhappy
    bottom = supervision.rank_bureaus(gov, score, sampled, 0.05)
    assert not bottom[gov.dept_level == 0].any()
    assert bottom[lone_city].all()
    assert bottom[thin] and not bottom[unasked]
    assert bottom[counties].sum() == 1  # 5 % of 20


def month_survey(size: int, seed: int, times: float = 1.0):
    """One quarter's survey of `size` matters drawn from a month of pressure and technology
    whose represented matters are multiplied by `times` (the same shares)."""
    model = small_model("pressure_and_technology")
    model.step()
    gov, now = model.government, model.now
    represented = now.matters_sim * times
    rng = np.random.default_rng(seed)
    return gov, supervision.survey(gov, now.chains, represented, now.satisfied_km, size, rng)


@pytest.mark.heavy
def test_the_survey_noise_is_set_by_its_sample_not_by_the_simulated_matters():
    """The third party ranks on its own sample: the same survey of the same shares gives the same
    answers however many matters stand behind them, and a small sample scatters bureaus' scores
    (bad luck ranks some bottom) more than a large one does."""
    gov, (score, passing) = month_survey(400, seed=3)
    _, (again, passing_again) = month_survey(400, seed=3, times=10.0)
    assert np.array_equal(score, again) and np.array_equal(passing, passing_again)
    assert passing.max() > 0

    def spread(size: int) -> float:
        scores = [month_survey(size, seed)[1] for seed in range(8)]
        reached = np.all([p > 0 for _, p in scores], axis=0)
        return float(np.std([s[reached] for s, _ in scores], axis=0).mean())

    assert spread(40) > 1.5 * spread(4000)


def test_a_unanimous_survey_leaves_no_room_for_bad_luck():
    """A bureau every applicant is satisfied with is never ranked bottom, and one nobody is
    satisfied with always is, however few answers the survey got."""
    gov = small_model().government
    counties = surveyed(gov, 2, 10)
    sampled = np.zeros(gov.n_departments)
    sampled[counties] = 5.0
    score = np.full(gov.n_departments, 0.8)
    happy, unhappy = counties[0], counties[1]
    score[happy] = 1.0
    assert not supervision.rank_bureaus(gov, score, sampled, 0.1)[happy]
    score[unhappy] = 0.0
    assert supervision.rank_bureaus(gov, score, sampled, 0.1)[unhappy]


def open_rows(gov, bureau: int) -> np.ndarray:
    items = gov.items
    return np.flatnonzero(
        (gov.host[items.owner[: items.n]] == bureau) & (items.status[: items.n] == OPEN)
    )


def test_a_bureau_that_cut_to_its_item_target_has_no_shortfall_and_regrowth_adds_to_it():
    """Asked to cut 30 % of the items it reported at the launch: a bureau that cut 60 % meets
    the target, one that cut nothing falls short, one whose items grew back since falls further
    short, and one that reported none at the launch and now holds one is over its target."""
    gov = small_model().government
    at_launch = gov.items.counts_by_owner(OPEN, gov.n_departments).astype(float)
    county = surveyed(gov, 2)
    many = [b for b in county if len(open_rows(gov, b)) >= 5]
    cutter, idle, regrown, new = many[:4]
    rows = open_rows(gov, cutter)
    gov.items.cut(rows[: int(0.6 * len(rows))], 1)
    at_launch[regrown] = len(open_rows(gov, regrown)) / 2  # it holds twice what it reported
    gov.items.cut(open_rows(gov, new)[1:], 1)
    at_launch[new] = 0.0
    short = supervision.item_target_shortfall(gov, at_launch, 0.3)
    assert short[cutter] == 0.0
    assert 0.0 < short[idle] < short[regrown]
    assert short[new] > 0.0
    gov.abolished[idle] = True
    assert supervision.item_target_shortfall(gov, at_launch, 0.3)[idle] == 0.0


def test_hiding_items_meets_the_item_target_on_paper():
    """The office counts self-reported open items: a bureau that turns 60 % of its items into
    hidden steps meets the target as the office sees it, like one that cut them."""
    gov = small_model().government
    at_launch = gov.items.counts_by_owner(OPEN, gov.n_departments).astype(float)
    bureau = next(b for b in surveyed(gov, 2) if len(open_rows(gov, b)) >= 5)
    before = supervision.item_target_shortfall(gov, at_launch, 0.3)[bureau]
    rows = open_rows(gov, bureau)
    gov.items.relabel(rows[: int(0.6 * len(rows))], 1)
    assert before > 0.0 == supervision.item_target_shortfall(gov, at_launch, 0.3)[bureau]


def test_putting_items_online_is_a_lever_only_while_some_open_items_are_offline():
    """With the platform up to 80 % of a bureau's items may go online: a bureau with items
    still offline below that can cut trips for real; one at the cap, or with nothing left open
    (cut items do not count), cannot."""
    model = small_model()
    gov, tech, items = model.government, model.technology, model.government.items
    tech.platform, tech.level = True, 0.8
    gov.shares_data[:] = True  # no data silo left to open: putting items online is the lever
    county = [b for b in surveyed(gov, 2) if len(open_rows(gov, b)) >= 5]
    offline, at_cap, online, single, emptied, cut_offline = county[:6]
    items.online[: items.n] = False
    rows = open_rows(gov, at_cap)
    items.online[rows[: int(np.ceil(0.8 * len(rows)))]] = True
    items.online[open_rows(gov, online)] = True
    items.cut(open_rows(gov, single)[1:], 1)  # one open item left, offline
    items.cut(open_rows(gov, emptied), 1)
    rows = open_rows(gov, cut_offline)
    items.online[rows[2:]] = True
    items.cut(rows[:2], 1)  # its offline items were cut: all it still has is online
    lever = pressure.real_lever(gov, tech, Institutions())
    assert lever[offline] and lever[single]
    assert not lever[[at_cap, online, emptied, cut_offline]].any()


def test_a_bureaus_survey_score_falls_with_the_dissatisfaction_of_the_applicants_it_served():
    """Satisfied everywhere, every bureau that served someone scores 1; dissatisfied everywhere,
    0; dissatisfied in one county, exactly the bureaus that served its matters score below 1."""
    model = small_model("pressure_and_technology")
    model.step()
    gov, now = model.government, model.now

    def survey(satisfied):
        return supervision.bureau_satisfaction(gov, now.chains, now.matters_sim, satisfied)

    happy, served = survey(np.ones_like(now.satisfied_km))
    unhappy, _ = survey(np.zeros_like(now.satisfied_km))
    assert served.sum() > 0
    assert np.allclose(happy[served > 0], 1.0) and np.allclose(unhappy[served > 0], 0.0)
    county = np.zeros_like(now.satisfied_km)
    county[now.matters_sim.sum(axis=1).argmax()] = 1.0  # the busiest county
    from_county = supervision.bureau_satisfaction(
        gov, now.chains, now.matters_sim * county, county
    )[1]
    score, _ = survey(1.0 - county)  # everyone satisfied except there
    assert from_county.sum() > 0
    assert (score[from_county > 0] < 1.0).all()
    assert np.allclose(score[(from_county == 0) & (served > 0)], 1.0)


def test_the_timetable_presses_a_bureau_by_how_far_its_own_counties_lag():
    """Counties equally behind press every bureau equally, whatever the number it serves; a county
    on target spares its own bureaus, while the city and province bureaus above it still feel the
    lag of their other counties."""
    gov = small_model().government
    lagging = np.full(gov.n_counties, 0.5)
    assert np.allclose(supervision.target_shortfall(gov, lagging, 0.7), 0.2)
    lagging[0] = 0.7
    short = supervision.target_shortfall(gov, lagging, 0.7)
    own = gov.dept_unit == gov.hierarchy[0, 2]
    above = np.isin(gov.dept_unit, gov.hierarchy[0, :2])
    assert np.allclose(short[own], 0.0)
    assert ((short[above] > 0.0) & (short[above] < 0.2)).all()


def test_only_unapproved_open_items_and_hidden_items_come_to_light_and_each_presses_its_bureau():
    """Where every step is seen, every hidden item and every open item outside the register is
    cut, registered items and items cut before stay as they were, and each bureau is pressed by
    the number of its own items that came to light; where nothing is seen nothing is cut."""
    model = small_model()
    gov, items = model.government, model.government.items
    n = items.n
    rows = np.arange(n)
    items.status[rows[0:60:3]] = HIDDEN
    items.registered[rows[1:60:3]] = False  # open, never approved
    items.cut(rows[60:70], 1)
    status, registered = items.status[:n].copy(), items.registered[:n].copy()
    seen = blind(gov)
    assert len(supervision.expose_items(gov, seen, 2, np.random.default_rng(0))) == 0
    assert (items.status[:n] == status).all() and not gov.exposed.any()
    seen.hidden[:], seen.unlisted[:] = 1.0, 1.0
    exposed = supervision.expose_items(gov, seen, 2, np.random.default_rng(0))
    loose = (status == HIDDEN) | ((status == OPEN) & ~registered)
    assert set(exposed.tolist()) == set(np.flatnonzero(loose).tolist())
    assert (items.status[:n][loose] == CUT).all()
    assert (items.status[:n][~loose] == status[~loose]).all()
    per_bureau = np.bincount(gov.host[items.owner[exposed]], minlength=gov.n_departments)
    assert np.array_equal(gov.exposed, per_bureau) and gov.exposed.sum() == loose.sum()
    items.status[:n], items.registered[:n] = status, registered
    seen.hidden[:], seen.unlisted[:] = 0.5, 0.5  # each item comes to light on its own
    exposed = supervision.expose_items(gov, seen, 3, np.random.default_rng(0))
    assert 0.3 < len(exposed) / loose.sum() < 0.7


def test_a_bureaus_form_risks_are_the_mean_over_its_live_items_of_the_kind_watchers_see():
    """Watchers who see every hidden step of one matter and nothing else: a bureau holding items
    of that matter and of others carries that share of the risk on its hidden items and none on
    its open ones, cut items do not count, and a bureau with no live items carries none;
    the government's own reading puts a risk on every unapproved open item, none on hidden."""
    model = small_model()
    gov, items = model.government, model.government.items
    n = items.n
    owner, matter = gov.host[items.owner[:n]], items.matter[:n]
    bureau = next(
        b for b in np.flatnonzero(gov.active)
        if (owner == b).sum() >= 4 and len(np.unique(matter[owner == b])) >= 2
    )  # fmt: skip
    rows = np.flatnonzero(owner == bureau)
    seen_matter = matter[rows[0]]
    exp = blind(model.government)
    exp.hidden[:, seen_matter] = 1.0
    share = np.mean(matter[rows] == seen_matter)
    open_risk, hidden_risk = supervision.form_risks(gov, exp)
    assert np.isclose(hidden_risk[bureau], share) and 0 < share < 1
    assert not open_risk.any()
    items.cut(rows[1:], 1)  # one item of the seen matter is left
    assert np.isclose(supervision.form_risks(gov, exp)[1][bureau], 1.0)
    items.cut(rows, 1)
    assert supervision.form_risks(gov, exp)[1][bureau] == 0.0
    exp = blind(model.government)
    exp.internal = 0.1
    open_risk, hidden_risk = supervision.form_risks(gov, exp)
    live = np.bincount(owner[items.status[:n] != CUT], minlength=gov.n_departments) > 0
    assert (open_risk[live] > 0.5).all() and not open_risk[~live].any()
    assert np.allclose(open_risk[live], open_risk[live][0]) and not hidden_risk.any()


def test_with_a_public_list_an_unapproved_item_is_as_plain_as_a_hidden_step_on_a_fully_logged_path():
    """Comparing a form with the published list needs no record: an unapproved open item comes
    to light wherever a hidden step would on paths whose records show every step, and more often
    than a hidden step where records show less."""
    model, _ = watched("public_pressure", months=2)
    evidence = model.evidence
    full = supervision.exposure(
        model.government, replace(evidence, traceability=np.ones_like(evidence.traceability)),
        model.now.chains, model.institutions, 0.0, model.params.supervision,
    )  # fmt: skip
    assert full.unlisted.max() > 0.1
    assert np.allclose(full.unlisted, full.hidden)
    half = supervision.exposure(
        model.government, replace(evidence, traceability=np.full_like(evidence.traceability, 0.5)),
        model.now.chains, model.institutions, 0.0, model.params.supervision,
    )  # fmt: skip
    assert np.allclose(half.unlisted, full.unlisted)
    seen = full.unlisted > 0
    assert (half.hidden[seen] < half.unlisted[seen]).all()


def test_a_reform_office_reads_self_reports_closely_with_or_without_campaigns():
    """Defect 5 of docs/testing.md: a reform office without campaigns never read self-reports
    closely (the reading followed campaign attention, which only campaigns set). A standing
    office reads them every month at `office_attention`; a campaign's attention reads closer
    while it lasts; nobody reads them where neither institution exists."""
    sp = small_model().params.supervision
    office = Institutions(reform_office=True)
    both = Institutions(reform_office=True, internal_campaigns=True)
    government = Institutions(internal_campaigns=True)
    assert supervision.reading(office, 0.0, sp) == sp.office_attention > 0
    assert supervision.reading(both, 0.0, sp) == sp.office_attention
    assert supervision.reading(both, 1.0, sp) == supervision.reading(government, 1.0, sp) == 1.0
    assert supervision.reading(government, 0.0, sp) == 0.0
    assert supervision.reading(Institutions(), 1.0, sp) == 0.0
    model, exp = watched("top_down_pressure", months=2, **{
        "scenario__institutions__internal_campaigns": False})  # fmt: skip
    assert model.campaigns.attention == 0.0
    assert np.isclose(exp.internal, sp.internal_scrutiny * sp.office_attention) and exp.internal > 0
