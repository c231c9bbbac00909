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


@pytest.mark.heavy
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


# the functions agencies hold --------------------------------------------------------------------
def test_every_function_with_live_items_is_held_by_one_live_agency_of_the_bureau_doing_it():
    model = small_model("pressure_and_technology", steps=60, staffing__split_annual=0.3)
    model.run()
    gov, registry = model.government, model.government.registry
    present = gov.function_cells()
    assert ((registry.holder >= 0) == present).all()
    lives = registry.table()
    width = len(cat.MATTERS)
    for cell in np.flatnonzero(present):
        agency = registry.holder[cell]
        assert pd_na(lives.loc[agency, "ended"])
        assert lives.loc[agency, "bureau"] == gov.host[cell // width]  # where the owner works
        assert cat.MATTERS[cell % width].name in lives.loc[agency, "functions"]


def handed_out(model):
    gov = model.government
    gov.registry.hold(gov.function_cells(), gov.host)
    return gov, gov.registry


def test_a_function_whose_items_are_all_cut_leaves_its_agency():
    gov, registry = handed_out(small_model())
    cell = int(np.flatnonzero(gov.function_cells())[0])
    bureau, matter = divmod(cell, len(cat.MATTERS))
    agency = registry.holder[cell]
    items = gov.items
    rows = np.flatnonzero((items.owner[: items.n] == bureau) & (items.matter[: items.n] == matter))
    items.status[rows] = CUT
    registry.hold(gov.function_cells(), gov.host)
    assert registry.holder[cell] == -1 and cell not in registry.held[agency]


def test_a_split_takes_half_the_functions_of_the_agency_holding_most():
    gov, registry = handed_out(small_model())
    bureau = int(np.argmax([len(registry.held[a]) for a in range(gov.n_departments)]))
    (head,) = registry.live(bureau)
    before = set(registry.held[head])
    assert len(before) >= 2
    new = registry.found(bureau, "split")
    assert registry.held[new] and registry.held[new] | registry.held[head] == before
    assert len(registry.held[new]) == len(before) - len(before) // 2
    assert all(registry.holder[c] == new for c in registry.held[new])


def test_agencies_without_functions_end_first_and_what_others_held_passes_on():
    gov, registry = handed_out(small_model())
    bureau = int(np.argmax([len(registry.held[a]) for a in range(gov.n_departments)]))
    (head,) = registry.live(bureau)
    empty = registry.found(bureau, "new field")  # founded for a new field: no function yet
    split = registry.found(bureau, "split")  # younger, and it works
    taken = set(registry.held[split])
    assert registry.end(bureau, 1, "abolished") == [empty]  # not the youngest: it has no work
    assert registry.end(bureau, 1, "abolished") == [split]
    assert taken <= registry.held[head]  # the functions stay with the bureau's agency
    assert registry.functions(split)  # the ended agency keeps its record


def test_agencies_parquet_names_each_agencys_functions(tmp_path):
    import pandas as pd

    model = small_model("internal_reform", steps=24)
    model.run()
    path = tmp_path / "agencies.parquet"
    model.government.registry.table().to_parquet(path, index=False)
    lives = pd.read_parquet(path)
    named = {f for functions in lives["functions"] for f in functions}
    assert named and named <= {m.name for m in cat.MATTERS}
