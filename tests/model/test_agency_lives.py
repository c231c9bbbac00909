"""Agencies as entities (simulation/agencies.py): every birth, end and move of an agency is a
life in the registry, and the live ones are what the model counts."""

import numpy as np
import pytest

from simulation import catalogue as cat
from simulation.agencies import AgencyError
from simulation.items import CUT
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from tests.conftest import small_model


def alive_each_month(table, months):
    return [
        int(((table.founded <= m) & (table.ended.isna() | (table.ended > m))).sum()) for m in months
    ]


@pytest.mark.parametrize("scenario", ["internal_reform", "pressure_and_technology"])
def test_the_lives_add_up_to_the_agencies_counted_month_by_month(scenario):
    model = small_model(scenario, steps=72, staffing__split_annual=0.3)
    df = model.run()
    lives = model.government.registry.table()
    assert alive_each_month(lives, df["step"]) == [int(a) for a in df["agencies"]]
    ended = lives[lives.ended.notna()]
    assert len(ended) and (ended.ended >= ended.founded).all()
    assert set(lives.origin) >= {"at start", "split"}  # splits were born in these runs


def test_a_merger_ends_the_guests_head_office_and_moves_its_other_agencies_into_the_host():
    model = small_model()
    gov, registry = model.government, model.government.registry
    fire = int(np.flatnonzero(gov.dept_domain == cat.DOMAIN["fire"])[0])
    registry.found(fire, "split")  # fire now has two agencies
    head, other = registry.live(fire)
    registry.month = 7
    organisation.merge(gov, np.array([fire]))
    host = gov.host[fire]
    lives = registry.table().set_index("agency")
    assert lives.loc[other, "cause"] == "merged" and lives.loc[other, "ended"] == 7
    assert pd_na(lives.loc[head, "ended"]) and lives.loc[head, "bureau"] == host
    assert head in registry.live(host) and gov.agencies[fire] == 0


def test_an_abolished_bureau_ends_every_agency_it_had_for_want_of_functions():
    model = small_model()
    gov, params = model.government, model.params
    held = np.flatnonzero(gov.active & gov.had_items)
    bare = held[0]
    items = gov.items
    items.status[: items.n][gov.host[items.owner[: items.n]] == bare] = CUT  # every item cut
    gov.load_trend[:] = gov.staff * 120.0
    gov.load_trend[bare] = 0.0
    ids = gov.registry.live(bare)
    organisation.abolish_functionless(gov, params)
    lives = gov.registry.table().set_index("agency")
    assert (lives.loc[ids, "cause"] == "abolished").all() and gov.agencies[bare] == 0


def test_a_count_is_never_written_without_a_life():
    gov = small_model().government
    with pytest.raises(ValueError):
        gov.agencies[0] += 1.0  # read-only: only found, end and move change it
    with pytest.raises(AgencyError):
        gov.registry.end(0, 2, "abolished")  # one agency to end, not two
    with pytest.raises(AgencyError):
        gov.registry.found(0, "grew")  # an origin the table does not declare


def pd_na(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
