"""'Run nearby': devolution hands upper-level items down to counties, and posts follow the work."""

import numpy as np

from simulation import catalogue as cat
from simulation.items import CUT, HIDDEN, OPEN
from simulation.mechanisms.devolution import devolve
from tests.conftest import small_model


def upper_items(gov, bureau: int) -> np.ndarray:
    """Open items of `bureau` still handled above the county."""
    items = gov.items
    n = items.n
    return np.flatnonzero(
        (gov.host[items.owner[:n]] == bureau)
        & (items.status[:n] == OPEN)
        & (items.level[:n] < cat.COUNTY)
    )


def city_bureau_with_items(gov, at_least: int) -> int:
    city = np.flatnonzero(gov.active & (gov.dept_level == cat.CITY) & (gov.staff > 0))
    return next(b for b in city if len(upper_items(gov, b)) >= at_least)


def test_devolving_moves_open_upper_level_items_down_to_counties_and_nothing_else():
    gov = small_model().government
    items = gov.items
    n = items.n
    upper = gov.active & (gov.dept_level < cat.COUNTY)
    pressed = upper & (np.arange(gov.n_departments) % 2 == 0)  # half the upper bureaus
    owner = gov.host[items.owner[:n]]
    theirs = np.flatnonzero(pressed[owner])
    items.status[theirs[::5]] = CUT  # some of their items were cut, some are hidden steps
    items.status[theirs[1::5]] = HIDDEN
    level, status = items.level[:n].copy(), items.status[:n].copy()

    moved = devolve(gov, pressed, share=1.0, staff_follow=0.0)

    was_open_upper = (status == OPEN) & (level < cat.COUNTY)
    assert len(moved) > 0
    assert (was_open_upper[moved] & pressed[owner[moved]]).all()  # only their open upper items
    assert (items.level[moved] == cat.COUNTY).all()  # go down, to the county
    expected = np.flatnonzero(was_open_upper & pressed[owner])  # share 1: all of them
    assert np.array_equal(np.sort(moved), expected)
    untouched = np.setdiff1d(np.arange(n), moved)
    assert np.array_equal(items.level[untouched], level[untouched])  # nothing else moves
    assert (items.level[:n] >= level).all()  # never up


def test_what_is_already_at_the_county_is_not_devolved_again():
    gov = small_model().government
    everyone = gov.active.copy()
    first = devolve(gov, everyone, share=1.0, staff_follow=0.5)
    assert len(first) > 0
    assert len(devolve(gov, everyone, share=1.0, staff_follow=0.5)) == 0  # handed down already
    fresh = small_model().government
    county = fresh.active & (fresh.dept_level == cat.COUNTY)
    assert len(devolve(fresh, county, share=1.0, staff_follow=0.5)) == 0  # at the bottom already


def test_posts_follow_devolved_work_to_the_county_bureaus_of_the_same_domain():
    """Resources follow the work: the posts the bureau loses go to the same domain's bureaus in
    the counties it serves, none is created or lost, and the more follow, the more arrive."""
    gained = {}
    for follow in (0.25, 0.75, 1.0):
        gov = small_model().government
        bureau = city_bureau_with_items(gov, at_least=2)
        only = np.arange(gov.n_departments) == bureau
        before = gov.staff.copy()
        devolve(gov, only, share=1.0, staff_follow=follow)
        change = gov.staff - before
        counties = np.flatnonzero(gov.cover[gov.dept_unit[bureau]])
        receivers = gov.host[gov.dept(gov.dept_domain[bureau], gov.hierarchy[counties, cat.COUNTY])]
        assert change[bureau] < 0
        assert (change[receivers] > 0).all()
        others = np.ones(gov.n_departments, bool)
        others[[bureau, *receivers]] = False
        assert np.allclose(change[others], 0.0)
        assert np.isclose(change.sum(), 0.0)
        gained[follow] = change[receivers].sum()
        if follow == 1.0:  # all its upper-level work went down, and all its posts with it
            assert np.isclose(gov.staff[bureau], 0.0)
    assert gained[0.25] < gained[0.75] < gained[1.0]


def test_a_bureaus_last_upper_level_item_is_devolved_like_any_other():
    gov = small_model().government
    bureau = city_bureau_with_items(gov, at_least=2)
    rows = upper_items(gov, bureau)
    gov.items.cut(rows[1:], 0)  # one item left above the county
    only = np.arange(gov.n_departments) == bureau
    moved = devolve(gov, only, share=1.0, staff_follow=1.0)
    assert np.array_equal(moved, rows[:1])
    assert gov.items.level[rows[0]] == cat.COUNTY
    assert np.isclose(gov.staff[bureau], 0.0)  # its only upper-level work went, its posts with it
