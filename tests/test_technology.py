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
