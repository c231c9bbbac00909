"""Composing, before Hydra runs, the configuration a command line makes, and checking it against
the command's schema (the parameter table and the command's own settings): what Hydra would
refuse later, after it has created folders, is refused now in one line.

Scenario files reach Hydra only through here: each usable file of scenarios/ is registered in
Hydra's ConfigStore as the `scenario` group after `simulation.scenarios.load` has checked it, so
Hydra never reads a scenario file itself (no `# @package` header, `hydra` key or `defaults` list
in one can act).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from experiments import settings
from experiments.cli.launcher import check_launcher
from experiments.cli.messages import fail, hydra_error
from experiments.paths import CONF_DIR
from simulation import scenarios
from simulation.config import ConfigError, resolve


def register_base() -> None:
    """The commands' typed schemas and the scenario files, in Hydra's ConfigStore."""
    settings.register()


def compose_checked(
    program: str,
    config_name: str,
    overrides: list[str],
    hydra_overrides: Sequence[str] = (),
    multirun: bool = False,
    with_launcher: bool = False,
    where: str = "",
) -> Any:
    """The task config these overrides make, checked against the command's schema; with
    `with_launcher`, also (config, the folder Hydra will write) after checking the launcher."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig
    from hydra.errors import HydraException
    from omegaconf import OmegaConf, open_dict
    from omegaconf.errors import OmegaConfBaseException

    GlobalHydra.instance().clear()
    everything = [*overrides, *hydra_overrides]
    output = ("", "")
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = compose(config_name=config_name, overrides=everything, return_hydra_config=True)
        launcher = OmegaConf.to_container(cfg.hydra.launcher, resolve=False)
        if with_launcher:
            HydraConfig.instance().set_config(cfg)
            output = _output_dir(cfg, multirun)
        with open_dict(cfg):
            del cfg["hydra"]  # its interpolations need a running app; the task part does not
        plain = OmegaConf.to_container(cfg, resolve=True)
    except (HydraException, OmegaConfBaseException, ValueError, OverflowError) as err:
        fail(program, where + hydra_error(err, everything))
    finally:
        GlobalHydra.instance().clear()
    if with_launcher:
        check_launcher(program, launcher)
    try:
        resolve(plain, schema=settings.SCHEMAS[config_name])  # ranges, NaN: the fields' bounds
    except ConfigError as err:
        fail(program, where + str(err))
    return (plain, output) if with_launcher else plain


def _output_dir(cfg: Any, multirun: bool) -> tuple[str, str]:
    """(the key that names it, the folder) Hydra will create for this command."""
    multirun = multirun or str(cfg.hydra.mode).endswith("MULTIRUN")
    if multirun:
        return "hydra.sweep.dir", str(cfg.hydra.sweep.dir)
    raw = cfg.hydra.run._get_node("dir")._value()
    key = "hydra.sweep.dir" if raw == "${hydra.sweep.dir}" else "hydra.run.dir"  # the sweep apps
    return key, str(cfg.hydra.run.dir)


def check_scenario_names(program: str, names: Sequence[str], key: str) -> None:
    """Each name must be a usable scenario file of scenarios/ (simulation.scenarios.load)."""
    for name in names:
        try:
            scenarios.load(str(name))
        except ConfigError as err:
            named = key if err.key == "scenario" else err.key  # the file's own key, if any
            fail(program, f"{named}: {str(err).split(': ', 1)[1]}")


def check_scenario_files(
    program: str, config_name: str, argv: Sequence[str], names: Sequence[str], key: str
) -> None:
    """Compose each scenario as its runs will get it (for apps that choose scenarios themselves,
    whose command line names them in a list): a usable file, values in range."""
    check_scenario_names(program, names, key)
    plain_overrides = [
        a
        for a in argv
        if "=" in a and not a.startswith("-") and not a.lstrip("+~").startswith("hydra")
    ]
    for name in names:
        compose_checked(
            program, config_name, [*plain_overrides, f"scenario={name}"], where=f"{key}: "
        )
