"""The commands' settings are typed schemas Hydra composes natively: a wrong type or an unknown key
is refused while composing, a value out of range by the field's bound."""

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

from experiments.paths import CONF_DIR
from experiments.settings import SCHEMAS, register
from simulation.config import ConfigError, resolve


def composed(config_name: str, overrides: list[str]) -> dict:
    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = compose(config_name, overrides=overrides)
        return OmegaConf.to_container(cfg, resolve=True)
    finally:
        GlobalHydra.instance().clear()


@pytest.mark.heavy
@pytest.mark.parametrize("config_name", sorted(SCHEMAS))
def test_every_command_composes_to_its_schema(config_name):
    plain = composed(config_name, [])
    resolve(plain, schema=SCHEMAS[config_name])  # the composed defaults pass their own checks


@pytest.mark.heavy
@pytest.mark.parametrize(
    "config_name, override",
    [
        ("compare", "seeds=abc"),
        ("compare", "report.bogus=1"),
        ("validate", "study.citizens=2.5"),
        ("calibrate", "calibration.install=maybe"),
        ("run", "population.citizens=abc"),
        ("run", "regrowth.no_such_rate=0.1"),
    ],
)
def test_hydra_refuses_types_and_unknown_keys_while_composing(config_name, override):
    with pytest.raises(ConfigCompositionException) as err:
        composed(config_name, [override])
    assert override.split("=")[0] in str(err.value) + str(err.value.__cause__)


@pytest.mark.heavy
@pytest.mark.parametrize(
    "config_name, override, key",
    [
        ("compare", "report.level=1.0", "report.level"),
        ("compare", "seeds=0", "seeds"),
        ("validate", "study.robust_share=1.5", "study.robust_share"),
        ("run", "applicants.omission_per_material=nan", "applicants.omission_per_material"),
    ],
)
def test_ranges_come_from_the_fields_bounds(config_name, override, key):
    plain = composed(config_name, [override])  # the type is right: Hydra lets it through
    with pytest.raises(ConfigError) as err:
        resolve(plain, schema=SCHEMAS[config_name])
    assert err.value.key == key


@pytest.mark.heavy
def test_presets_change_values_not_keys():
    quick, full = composed("validate", []), composed("validate_full", [])
    assert quick.keys() == full.keys() and quick["study"].keys() == full["study"].keys()
    assert full["study"]["sobol_n"] > quick["study"]["sobol_n"]
