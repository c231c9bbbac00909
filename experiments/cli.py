"""Command-line guard shared by the Hydra apps: check every override before Hydra starts, so bad
input gets one line naming the key, a non-zero exit, no traceback and no run directory.

Hydra's own overrides are composed too, so a launcher preset (`hydra/launcher=slurm`, `ray`, ...)
and its fields are checked here, along with what the launcher needs on this machine.

Scenario names become file names (scenarios/<name>.yaml), run folders (<name>/seed3), Hydra
override values (scenarios=[a,b]) and labels in reports, so a scenario is usable only if its name
is lowercase letters, digits and `_`, starts with a letter, has at most 64 characters, and its
file's `name:` is that same name.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore

from experiments.paths import CONF_DIR, available_scenarios
from simulation.config import ConfigError, resolve
from simulation.parameters import defaults

EXIT_BAD_INPUT = 2
SCENARIO_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
SCENARIO_NAME_RULE = (
    "lowercase letters, digits and _, starting with a letter, at most 64 characters"
)
# What a launcher plugin needs beyond its own package (module -> how to get it).
LAUNCHER_NEEDS = {
    "hydra_plugins.hydra_ray_launcher": ("ray", "pip install -e '.[ray]'"),
    "hydra_plugins.hydra_submitit_launcher": ("submitit", "pip install hydra-submitit-launcher"),
    "hydra_plugins.hydra_joblib_launcher": ("joblib", "pip install hydra-joblib-launcher"),
}
# Ray refuses these when it joins a running cluster instead of starting one.
RAY_LOCAL_ONLY = ("num_cpus", "num_gpus", "object_store_memory", "resources")

# Our hydra/launcher/ray.yaml shares its name with the Ray plugin's schema; Hydra then validates
# the file against that schema (what we want) and warns that the matching is deprecated.
warnings.filterwarnings(
    "ignore", message=r"\s*'hydra/launcher/ray' is validated against ConfigStore schema"
)


def register_base() -> None:
    """The parameter table as Hydra's `base` config (the scenario group fills `scenario`)."""
    base = defaults()
    base.pop("scenario")
    ConfigStore.instance().store(name="base", node=base)


def fail(program: str, message: str) -> None:
    print(f"{program}: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def check_command_line(
    program: str, argv: Sequence[str], config_name: str, extra_keys: Sequence[str] = ()
) -> dict[str, Any]:
    """Validate overrides by composing every value they name. Returns the first composed config."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    overrides = [a for a in argv if not a.startswith("-") and "=" in a or a.startswith(("+", "~"))]
    parser = OverridesParser.create()
    parsed = []
    for text in overrides:
        try:
            parsed.extend(parser.parse_overrides([text]))
        except HydraException as err:
            fail(
                program, f"{text.split('=')[0]}: cannot parse '{text}' ({str(err).splitlines()[0]})"
            )
    if not _is_multirun(argv):
        sweeping = [ov.key_or_group for ov in parsed if ov.is_sweep_override()]
        if sweeping:
            fail(
                program,
                f"{sweeping[0]}: several values given; add -m (--multirun) to sweep over them",
            )
    probes = _probe_sets(program, parsed, extra_keys)
    hydra_part = [
        ov.input_line
        for ov in parsed
        if ov.key_or_group.startswith("hydra") and not ov.is_sweep_override()
    ]
    first = None
    for probe in probes:
        cfg = _compose(program, config_name, probe, hydra_part, check_launcher=first is None)
        first = first if first is not None else cfg
    if not _is_multirun(argv):
        _refuse_finished_run_dir(program, parsed)
    return first or {}


def _probe_sets(program: str, parsed: list, extra_keys: Sequence[str]) -> list[list[str]]:
    """Override lists to compose: each value of each sweep once, the others at their first value."""
    simple, sweeps = [], []
    for ov in parsed:
        key = ov.key_or_group
        if key.startswith("hydra") or key in extra_keys:
            continue
        if key == "scenario":
            _check_scenarios(program, ov)
        if ov.is_sweep_override():
            values = [str(v) for v in ov.sweep_string_iterator()]
            sweeps.append((ov, values))
        else:
            simple.append(ov.input_line)
    if not sweeps:
        return [simple]
    probes = []
    for i, (ov, values) in enumerate(sweeps):
        others = [
            f"{o.get_key_element()}={vals[0]}" for j, (o, vals) in enumerate(sweeps) if j != i
        ]
        probes += [simple + others + [f"{ov.get_key_element()}={v}"] for v in values]
    return probes


def _check_scenarios(program: str, ov) -> None:
    names = (
        [str(v) for v in ov.sweep_string_iterator()]
        if ov.is_sweep_override()
        else [str(ov.value())]
    )
    check_scenario_names(program, names, "scenario")


def check_scenario_names(program: str, names: Sequence[str], key: str) -> None:
    """Each name must be a scenario file of scenarios/ with a usable name (the module's rule)."""
    known = available_scenarios()
    for name in names:
        if name not in known:
            fail(program, f"{key}: unknown scenario '{name}'; allowed: {', '.join(known)}")
        if not SCENARIO_NAME.fullmatch(name):
            fail(
                program,
                f"{key}: {name!r} (scenarios/{name}.yaml) is not a usable scenario name; "
                f"rename the file: {SCENARIO_NAME_RULE}",
            )


def check_scenario_files(
    program: str, config_name: str, argv: Sequence[str], names: Sequence[str], key: str
) -> None:
    """Compose each scenario as its runs will get it (for apps that choose scenarios themselves,
    whose command line names them in a list): a usable name, no code, values in range."""
    check_scenario_names(program, names, key)
    plain_overrides = [
        a
        for a in argv
        if "=" in a and not a.startswith("-") and not a.lstrip("+~").startswith("hydra")
    ]
    for name in names:
        _compose(program, config_name, [*plain_overrides, f"scenario={name}"], where=f"{key}: ")


def _check_scenario_name(program: str, stem: str | None, name: Any) -> None:
    """The file's `name:` must be its file name: runs, results and reports all use one name."""
    if stem is not None and name != stem:
        fail(
            program,
            f"scenario.name: scenarios/{stem}.yaml says name: {str(name)[:60]!r}; "
            f"it must be {stem!r}, the file's name",
        )


def _compose(
    program: str,
    config_name: str,
    overrides: list[str],
    hydra_overrides: Sequence[str] = (),
    check_launcher: bool = False,
    where: str = "",
) -> dict[str, Any]:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf import OmegaConf, open_dict
    from omegaconf.errors import OmegaConfBaseException

    GlobalHydra.instance().clear()
    everything = [*overrides, *hydra_overrides]
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = compose(config_name=config_name, overrides=everything, return_hydra_config=True)
        stem = cfg.hydra.runtime.choices.get("scenario")
        launcher = OmegaConf.to_container(cfg.hydra.launcher, resolve=False)
        with open_dict(cfg):
            del cfg["hydra"]  # its interpolations need a running app; the task part does not
        plain = OmegaConf.to_container(cfg, resolve=True)
    except (HydraException, OmegaConfBaseException, ValueError) as err:
        fail(program, where + _one_line(err, everything))
    finally:
        GlobalHydra.instance().clear()
    if check_launcher:
        _check_launcher(program, launcher)
    model_part = {k: v for k, v in plain.items() if k in defaults()}
    try:
        resolve(model_part)
    except ConfigError as err:
        fail(program, where + str(err))
    if "scenario" in plain:
        _check_scenario_name(program, stem, (plain["scenario"] or {}).get("name"))
    unknown = [k for k in plain if k not in defaults() and k not in _app_keys(config_name)]
    if unknown:
        fail(program, f"{unknown[0]}: unknown key; allowed: {', '.join(sorted(defaults()))}")
    return plain


def _app_keys(config_name: str) -> set[str]:
    from omegaconf import OmegaConf

    raw = OmegaConf.load(CONF_DIR / f"{config_name}.yaml")
    return {k for k in raw if k not in ("defaults", "hydra")}


def _check_launcher(program: str, launcher: dict[str, Any]) -> None:
    """The launcher a preset names must be installed and usable here, with coherent fields."""
    target = str(launcher.get("_target_", ""))
    package = ".".join(target.split(".")[:2])
    needs, hint = LAUNCHER_NEEDS.get(package, (None, ""))
    for module in (target.rpartition(".")[0], needs):
        if module and not _importable(module):
            fail(
                program,
                f"hydra/launcher: {target.rpartition('.')[2] or target} needs {module}, which is "
                f"not installed here ({hint or 'install its plugin'})",
            )
    if target.endswith(".SlurmLauncher") and shutil.which("sbatch") is None:
        fail(
            program,
            "hydra/launcher: SLURM's sbatch is not on the PATH; start from the cluster's login "
            "node (hydra/launcher=submitit_local runs the same plugin on this machine)",
        )
    if target.endswith(".RayLauncher"):
        init = (launcher.get("ray") or {}).get("init") or {}
        address = init.get("address")
        if address not in (None, "local"):
            for key in RAY_LOCAL_ONLY:
                if init.get(key) is not None:
                    fail(
                        program,
                        f"hydra.launcher.ray.init.{key}: only for a private Ray "
                        f"(address=local); the cluster at {address} has its own",
                    )


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _one_line(err: Exception, overrides: list[str]) -> str:
    from hydra.errors import MissingConfigException

    text = " ".join(str(err).split())
    cause = str(err.__cause__).splitlines()[0] if err.__cause__ is not None else ""
    if text.startswith("Error merging override ") and cause:  # a typed (plugin) field
        key = text.removeprefix("Error merging override ").split("=")[0]
        return f"{key}: {cause}"
    if isinstance(err, MissingConfigException) and err.options is not None:
        group = (err.missing_cfg_file or "").rpartition("/")[0]
        wanted = (err.missing_cfg_file or "").rpartition("/")[2]
        return f"{group}: no option '{wanted}'; allowed: {', '.join(err.options)}"
    for ov in overrides:
        key = ov.lstrip("+~").split("=")[0]
        if f"'{key}'" in text or key in text.split():
            if (
                "not in struct" in text
                or "Could not override" in text
                or "Could not append" in text
            ):
                where = "hydra" if key.startswith("hydra") else "job"
                return f"{key}: unknown key; see `--cfg {where}` for the keys there are"
            return f"{key}: {text[:200]}"
    return text[:240]


def _is_multirun(argv: Sequence[str]) -> bool:
    return any(a in ("-m", "--multirun") for a in argv)


def _refuse_finished_run_dir(program: str, parsed: list) -> None:
    for ov in parsed:
        if ov.key_or_group == "hydra.run.dir":
            target = Path(str(ov.value()))
            if (target / "summary.json").exists():
                fail(
                    program,
                    f"hydra.run.dir: {target} already holds a finished run; choose another directory",
                )


def guarded_main(
    program: str, config_name: str, hydra_main: Callable[[], Any], extra_keys: Sequence[str] = ()
) -> None:
    """Check the command line, then hand over to Hydra (help and --cfg are Hydra's own)."""
    argv = sys.argv[1:]
    if not any(a in ("--help", "-h", "--hydra-help", "--info") for a in argv):
        check_command_line(program, argv, config_name, extra_keys)
    hydra_main()


def plain_warnings(program: str) -> None:
    """Warnings as one plain line (`program: warning: ...`), without file and line."""
    import warnings

    warnings.formatwarning = lambda message, *args, **kwargs: f"{program}: warning: {message}\n"
