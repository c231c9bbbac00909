"""Configuration: defaults documented, overrides checked with one-line errors."""

import pytest

from simulation.config import ConfigError, resolve


@pytest.mark.parametrize(
    "override, key",
    [
        ({"steps": -5}, "steps"),
        ({"seed": "abc"}, "seed"),
        ({"applicants": {"omission_per_material": 1.7}}, "applicants.omission_per_material"),
        ({"no_such_key": 1}, "no_such_key"),
        ({"population": {"citizens": 2.5}}, "population.citizens"),
        ({"scenario": {"institutions": {"one_window": "yes"}}}, "scenario.institutions.one_window"),
        ({"scenario": {"_target_": "os.system"}}, "scenario._target_"),
        ({"technology": {"database_thresholds": [0.1]}}, "technology.database_thresholds"),
    ],
)
def test_bad_values_name_their_key(override, key):
    with pytest.raises(ConfigError) as err:
        resolve(override)
    assert err.value.key == key
    assert "\n" not in str(err.value)


def test_keyword_overrides_nest_with_double_underscore():
    params = resolve(None, population__citizens=123, scenario__institutions__one_window=True)
    assert params["population"]["citizens"] == 123
    assert params["scenario"]["institutions"]["one_window"] is True
