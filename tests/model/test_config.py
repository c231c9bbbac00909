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


# checked once: a dict through from_config, a Parameters trusted ---------------------------------
def test_a_bad_dict_given_to_the_model_is_one_error_naming_its_key():
    from simulation import ReformModel

    with pytest.raises(ConfigError) as err:
        ReformModel({"population": {"citizens": -3}}, seed=1)
    assert err.value.key == "population.citizens" and "\n" not in str(err.value)
    with pytest.raises(ConfigError, match=r"^warmup: "):
        ReformModel(seed=1, warmup=float("nan"))


def test_the_model_trusts_a_parameters_it_is_given(monkeypatch):
    """The table is checked where a dict becomes a Parameters (from_config), not again in the
    model: a second check would be a second copy of the same rules."""
    from simulation import ReformModel, arguments, config

    params = config.from_config({"seed": 4, "warmup": 0, "population": {"citizens": 100}})
    monkeypatch.setattr(config, "resolve", _refuse)
    monkeypatch.setattr(arguments, "from_config", _refuse)
    model = ReformModel(params)
    assert model.params is params and model.params.seed == 4
    with pytest.raises(ValueError, match="rng: give either rng or seed"):
        ReformModel(params, rng=5)  # a Parameters carries its seed


@pytest.mark.heavy
def test_a_run_of_a_command_checks_its_configuration_once(monkeypatch, tmp_path):
    from experiments import outputs
    from simulation import arguments, config

    calls = []
    real = config.resolve
    spy = lambda *a, **k: calls.append(a) or real(*a, **k)  # noqa: E731
    monkeypatch.setattr(config, "resolve", spy)
    monkeypatch.setattr(arguments, "from_config", lambda *a, **k: _refuse())
    cfg = {"seed": 1, "steps": 1, "warmup": 0, "population": {"citizens": 200, "enterprises": 20}}
    outputs.write_run(cfg, tmp_path)
    assert len(calls) == 1 and (tmp_path / "summary.json").is_file()


def _refuse(*args, **kwargs):
    raise AssertionError("the configuration was checked again")
