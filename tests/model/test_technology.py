"""M10 technology: an adoption curve that opens possibilities, not decisions."""

import numpy as np

from simulation.mechanisms.technology import Technology, put_items_online
from tests.conftest import small_model


def test_investment_speeds_the_adoption_curve():
    params = small_model().params
    slow, fast = Technology(params.technology), Technology(params.technology)
    fast.investment = 0.08
    for _ in range(36):
        slow.step()
        fast.step()
    assert fast.level > 2 * slow.level
    assert 0 < slow.level < fast.level <= 1


def test_databases_and_tracking_need_a_platform_and_a_level():
    tech = Technology(small_model().params.technology)
    tech.level = 1.0
    assert not tech.database_ready.any() and not tech.tracking
    tech.platform = True
    assert tech.database_ready.all() and tech.tracking
    tech.level = 0.2
    assert 0 < tech.database_ready.sum() < len(tech.database_ready)


def test_online_share_is_capped_by_technology():
    model = small_model()
    gov = model.government
    for _ in range(20):
        put_items_online(gov, np.flatnonzero(gov.active), cap=0.4, share=0.5)
    online = gov.items.online[: gov.items.n]
    assert 0.2 < online.mean() <= 0.4 + 1e-9


def test_each_bureau_puts_its_share_of_items_online_in_one_go_whatever_its_size():
    """Asked to put half its items online with nothing capping it, every bureau does so in one
    month, a big bureau as much as a small one; bureaus not asked put nothing online."""
    gov = small_model().government
    items = gov.items
    items.online[: items.n] = False
    held = np.bincount(gov.host[items.owner[: items.n]], minlength=gov.n_departments)
    asked = np.flatnonzero(held >= 4)[::2]
    rows = put_items_online(gov, asked, cap=1.0, share=0.5)
    went = np.bincount(gov.host[items.owner[rows]], minlength=gov.n_departments)
    assert (went[asked] >= held[asked] / 2).all() and (went[asked] < held[asked]).all()
    assert went.sum() == went[asked].sum() == items.online[: items.n].sum()


def test_adoption_is_an_s_curve_fastest_halfway_and_slowing_near_the_ceiling():
    tech = Technology(small_model().params.technology)

    def gain(level: float) -> float:
        tech.level = level
        tech.step()
        return tech.level - level

    assert gain(0.05) < gain(0.5) and 0 < gain(0.95) < gain(0.8) < gain(0.6) < gain(0.5)
