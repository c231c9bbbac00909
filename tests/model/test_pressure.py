"""M9 pressure: what bureaus do when pressure beats their resistance, and what they report doing."""

from dataclasses import replace

import numpy as np

from simulation.items import CUT, HIDDEN
from simulation.mechanisms import pressure
from simulation.mechanisms.staff_and_agency_regrowth import mergeable
from simulation.mechanisms.supervision import Target
from tests.conftest import blind, small_model


def reformed(**switches):
    """A model at the launch with every reform institution (unless switched off) and a platform
    at a high technology level."""
    model = small_model("pressure_and_technology")
    inst = replace(model.params.scenario.institutions, **switches)
    model.technology.platform, model.technology.level = inst.platform, 0.9
    return model, inst


def respond(model, inst, times_resistance=None, short=None, exp=None, seed=0):
    """Press every bureau with `times_resistance` x its own resistance (or leave the pressure as
    set) and let it respond; with `short`, the office reads a target from bureaus' records."""
    gov = model.government
    if times_resistance is not None:
        gov.pressure[:] = times_resistance * pressure.resistance(gov, model.params.departments)
    target = Target(np.zeros(gov.n_departments) if short is None else short, short is not None)
    return pressure.respond(
        gov, model.technology, inst, exp or blind(gov), target,
        np.random.default_rng(seed), model.params, 1,
    )  # fmt: skip


def bureaus_of(gov, rows) -> set[int]:
    return set(gov.host[gov.items.owner[rows]].tolist())


def overload_bureaus(gov, bureaus, overload: float) -> None:
    gov.capacity[bureaus] = 100.0
    gov.load_trend[bureaus] = 100.0 * (1.0 + overload)


def test_what_respond_reports_is_exactly_what_changed_in_the_government():
    """Strongly pressed under every institution: the bureaus reported joining the window,
    opening their silo, the items reported put online, cut, hidden and devolved (and the bureaus
    that hold them) are exactly those that changed."""
    model, inst = reformed()
    gov, items = model.government, model.government.items
    n = items.n
    gov.in_window[np.flatnonzero(gov.active)[::10]] = True  # a few are in the window already
    window, shares = gov.in_window.copy(), gov.shares_data.copy()
    online, status = items.online[:n].copy(), items.status[:n].copy()
    level = items.level[:n].copy()
    done = respond(model, inst, times_resistance=3.0, short=np.zeros(gov.n_departments))
    assert items.n == n

    def new(after, before) -> set[int]:
        return set(np.flatnonzero(after & ~before).tolist())

    assert set(done["join_window"].tolist()) == new(gov.in_window, window) != set()
    assert gov.in_window[window].all()  # nobody leaves the window
    assert set(done["open_data"].tolist()) == new(gov.shares_data, shares) != set()
    went_online = new(items.online[:n], online)
    assert set(done["put_online_items"].tolist()) == went_online != set()
    assert set(done["put_online"].tolist()) == bureaus_of(gov, list(went_online))
    cut = new(items.status[:n] == CUT, status == CUT)
    hidden = new(items.status[:n] == HIDDEN, status == HIDDEN)
    assert set(done["cut_items"].tolist()) == cut != set()
    assert set(done["relabelled_items"].tolist()) == hidden != set()
    assert set(done["cut"].tolist()) == bureaus_of(gov, list(cut | hidden))
    handed_down = set(np.flatnonzero(items.level[:n] != level).tolist())  # handed down
    assert set(done["devolve_items"].tolist()) == handed_down != set()
    assert set(done["devolve"].tolist()) == bureaus_of(gov, list(handed_down))
    assert len(done["merge"]) == 0 and (gov.host == np.arange(gov.n_departments)).all()
    assert len(done["pre_visits"]) == 0  # every bureau still had a real lever
    assert all(changed.dtype.kind == "i" for changed in done.values())  # indices, even when empty


def test_without_pressure_or_overload_no_bureau_changes_anything():
    model, inst = reformed()
    done = respond(model, inst, times_resistance=0.0)
    assert all(len(changed) == 0 for changed in done.values())
    assert not model.government.in_window.any() and not model.government.shares_data.any()


def test_only_overloaded_bureaus_inside_the_window_merge_and_respond_reports_them():
    """Pressed hard, bureaus that could merge into their big department's host: only those both
    in the window and overloaded merge, each now hosted by another bureau."""
    model, inst = reformed(one_window=False, platform=False, run_nearby=False)
    gov = model.government
    candidates = np.flatnonzero(mergeable(gov))
    assert len(candidates) >= 40
    place = np.arange(len(candidates)) % 4  # in the window and overloaded, or one, or neither
    gov.in_window[candidates[place % 2 == 0]] = True
    overload_bureaus(gov, candidates[place < 2], 0.5)
    ready = set(candidates[place == 0].tolist())
    done = respond(model, inst, times_resistance=100.0)
    merged = set(done["merge"].tolist())
    assert merged and merged <= ready
    assert merged == set(np.flatnonzero(gov.host != np.arange(gov.n_departments)).tolist())


def test_overloaded_bureaus_put_items_online_unpressed_to_save_their_staff():
    """With a platform and no pressure at all, only overloaded bureaus put items online, each
    deciding on its own: at even odds about half of them do, the more overloaded the likelier."""
    model, inst = reformed(one_window=False, run_nearby=False)
    gov, dp = model.government, model.params.departments
    held = np.bincount(gov.items.owner[: gov.items.n], minlength=gov.n_departments)
    tired = np.flatnonzero(held >= 3)[::2]
    overload_bureaus(gov, tired, 0.5 / dp.self_adoption_rate)
    done = respond(model, inst, times_resistance=0.0)
    went = set(done["put_online"].tolist())
    assert went <= set(tired.tolist()) and 0.25 < len(went) / len(tired) < 0.75
    assert bureaus_of(gov, done["put_online_items"]) == went
    assert len(done["open_data"]) == len(done["cut"]) == len(done["merge"]) == 0
    model, inst = reformed(one_window=False, run_nearby=False)
    overload_bureaus(model.government, tired, 2.0 / dp.self_adoption_rate)
    assert set(respond(model, inst, times_resistance=0.0)["put_online"].tolist()) == set(
        tired.tolist()
    )


def test_an_information_advantage_keeps_silos_shut_under_pressure_that_moves_processes():
    """Pressure a little above what changing a process takes moves bureaus into the window but
    opens no silo; twice the resistance (beyond the information advantage) opens some."""
    model, inst = reformed(run_nearby=False)
    dp = model.params.departments
    assert dp.process_cost < 1.2 < 1.0 + dp.information_advantage < 2.0
    done = respond(model, inst, times_resistance=1.2)
    assert len(done["join_window"]) > 0 and len(done["open_data"]) == 0
    model, inst = reformed(run_nearby=False)
    done = respond(model, inst, times_resistance=2.0)
    assert 0 < len(done["open_data"]) <= len(done["join_window"])


def test_bureaus_give_up_only_items_worth_less_than_the_pressure_beyond_their_resistance():
    """More pressure gives up more items; each item given up is worth less to its bureau than
    the pressure it feels beyond the functional threshold, in units of its resistance."""
    dp = small_model().params.departments
    given = []
    for beyond in (1.0, 2.0, 5.0):
        model, inst = reformed(one_window=False, platform=False, run_nearby=False)
        gov = model.government
        done = respond(model, inst, times_resistance=dp.functional_cost + beyond)
        rows = np.concatenate([done["cut_items"], done["relabelled_items"]])
        assert (gov.items.value[rows] <= beyond).all()
        given.append(len(rows))
    assert 0 < given[0] < given[1] < given[2]
    for stiffness in (3.0, 0.3):  # stiff or pliant bureaus, pressed as far beyond resistance
        model, inst = reformed(one_window=False, platform=False, run_nearby=False)
        model.government.self_interest[:] = stiffness
        done = respond(model, inst, times_resistance=dp.functional_cost + 1.0)
        rows = np.concatenate([done["cut_items"], done["relabelled_items"]])
        assert (model.government.items.value[rows] <= 1.0).all()
        assert 0.5 * given[0] < len(rows) < 2 * given[0]


def test_a_bureau_without_a_real_lever_turns_to_informal_pre_visits_when_short_of_its_target():
    """Short of a target read from its own records and with no window or platform to use, a
    pressed bureau starts informal pre-visits; one on target, or one that still has a real lever,
    does not; and the likelier the practice is to be seen, the more pressure it takes."""
    model, inst = reformed(one_window=False, platform=False, run_nearby=False)
    gov = model.government
    short = np.where(np.arange(gov.n_departments) % 2 == 0, 0.2, 0.0)
    done = respond(model, inst, times_resistance=50.0, short=short)
    assert len(done["pre_visits"]) > 0.3 * gov.n_departments
    assert set(done["pre_visits"].tolist()) == set(np.flatnonzero(gov.pre_visits).tolist())
    assert (short[done["pre_visits"]] > 0).all()
    model, inst = reformed(platform=False, run_nearby=False)  # every bureau can join a window
    assert len(respond(model, inst, times_resistance=50.0, short=short)["pre_visits"]) == 0

    watched = blind(gov)
    watched.practice[:] = 0.05  # about half a chance a year of being seen
    # pressure weighs against that risk in units of the bureau's own resistance, stiff or pliant
    for stiffness, beyond, start in ((1.0, 0.5, False), (3.0, 0.5, False), (0.3, 2.0, True)):
        model, inst = reformed(one_window=False, platform=False, run_nearby=False)
        model.government.self_interest[:] = stiffness
        times = model.params.departments.process_cost + beyond
        done = respond(model, inst, times_resistance=times, short=short, exp=watched)
        assert (len(done["pre_visits"]) > 0) == start


def test_resistance_grows_with_self_interest_overload_and_the_share_of_budget_from_fees():
    """A bureau of mean self-interest, within capacity and without fees absorbs the calibrated
    resistance; more self-interest, overload or a budget living on fees each stiffen it."""
    model = small_model()
    gov, dp = model.government, model.params.departments
    bureaus = np.flatnonzero(gov.active)[:4]
    plain, selfish, overloaded, feed = bureaus
    gov.self_interest[bureaus] = 1.0
    gov.fees[:], gov.budget[:] = 0.0, 0.0
    gov.budget[bureaus] = 100.0
    base = pressure.resistance(gov, dp)
    assert np.isfinite(base).all()
    assert np.allclose(base[bureaus], dp.resistance)
    gov.self_interest[selfish] = 1.5
    overload_bureaus(gov, [overloaded], 0.5)
    gov.fees[feed] = gov.budget[feed] = 0.5  # no appropriation: it lives on its (small) fees
    stiff = pressure.resistance(gov, dp)
    assert (stiff[[selfish, overloaded, feed]] > base[plain]).all()
    assert stiff[plain] == base[plain]


def test_bureaus_act_only_beyond_their_threshold_and_surely_only_far_beyond_it():
    """Below the pressure a change costs nobody acts; just beyond it a few do, as many among
    stiff bureaus as among pliant ones pressed as far beyond their own resistance; far beyond it
    every active bureau does, and an abolished one never."""
    model = small_model()
    gov = model.government
    gov.abolished[np.flatnonzero(gov.active)[:5]] = True
    rng = np.random.default_rng(0)
    cost = 1.5

    def acting(beyond: float, stiffness: float = 1.0) -> np.ndarray:
        gov.self_interest[:] = stiffness
        resist = pressure.resistance(gov, model.params.departments)
        gov.pressure[:] = (cost + beyond) * resist
        return pressure.willing(gov, cost, resist, rng)

    assert not acting(-0.01).any()
    few = acting(0.1).mean()
    assert 0.03 < few < 0.2 and few < acting(1.0).mean()
    for stiffness in (0.3, 3.0):
        assert 0.15 < acting(0.3, stiffness)[gov.active].mean() < 0.4
    assert (acting(30.0) == gov.active).all()


def test_felt_pressure_fades_with_memory_and_grows_with_signals_except_in_abolished_bureaus():
    gov = small_model().government
    gone = np.flatnonzero(gov.active)[0]
    gov.abolished[gone] = True
    gov.pressure[:] = 1.0
    signal = np.zeros(gov.n_departments)
    signal[[gone, gone + 1]] = 2.0
    pressure.feel(gov, signal, 0.8)
    assert gov.pressure[gone] == 0.8 and gov.pressure[gone + 1] == 2.8
    assert np.allclose(np.delete(gov.pressure, [gone, gone + 1]), 0.8)
