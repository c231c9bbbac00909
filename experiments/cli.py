"""Command-line guard shared by the project's commands.

Before Hydra starts, every override is checked by composing the configuration it makes, so bad
input gets one line naming the key, exit status 2, no traceback and nothing written: values
(NaN, infinities, numbers too large, null, deletions, interpolations), scenario files (data only:
simulation.scenarios), the launcher and its fields, and the folder the command will write (it
must be creatable and writable, and reform-run never writes into a finished run). While a command
works, `guarded` turns what can still go wrong into one line: Ctrl-C, SIGTERM and SIGHUP (exit
128 + the signal's number, workers stopped, locks released), operating-system errors such as a
full disk, and unforeseen errors (exit 1; REFORM_DEBUG=1 shows the traceback).

Scenario files reach Hydra only through here: each usable file of scenarios/ is registered in
Hydra's ConfigStore as the `scenario` group after `simulation.scenarios.load` has checked it, so
Hydra never reads a scenario file itself (no `# @package` header, `hydra` key or `defaults` list
in one can act).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import itertools
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from experiments import settings
from experiments.paths import CONF_DIR, RUN_FILES
from experiments.sweepdir import SweepError
from experiments.terminal import printable_streams
from simulation import scenarios
from simulation.config import ConfigError, check_value, is_leaf, resolve

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
# What a launcher plugin needs beyond its own package (module -> how to get it).
LAUNCHER_NEEDS = {
    "hydra_plugins.hydra_ray_launcher": ("ray", "pip install -e '.[ray]'"),
    "hydra_plugins.hydra_submitit_launcher": ("submitit", "pip install hydra-submitit-launcher"),
    "hydra_plugins.hydra_joblib_launcher": ("joblib", "pip install hydra-joblib-launcher"),
}
# Launcher fields that must be whole numbers of at least 1 when set (sbatch and Ray refuse less).
LAUNCHER_COUNTS = (
    "timeout_min",
    "cpus_per_task",
    "gpus_per_node",
    "tasks_per_node",
    "nodes",
    "array_parallelism",
    "ray.init.num_cpus",
    "ray.init.num_gpus",
)
# Ray refuses these when it joins a running cluster instead of starting one.
RAY_LOCAL_ONLY = ("num_cpus", "num_gpus", "object_store_memory", "resources")
SIGNALS = ("SIGTERM", "SIGHUP")
HELP = ("--help", "-h", "--hydra-help", "--info")
MAX_SWEEP = 1_000_000  # values of one swept key (100,000 seeds are checked in about a second)
# Brackets an override may nest: Hydra's parser recurses per level and, some thousands deep,
# dies of RecursionError. No setting is deeper than a list (of numbers, or of scenarios).
MAX_NESTING = 16

# Our hydra/launcher/ray.yaml shares its name with the Ray plugin's schema; Hydra then validates
# the file against that schema (what we want) and warns that the matching is deprecated.
warnings.filterwarnings(
    "ignore", message=r"\s*'hydra/launcher/ray' is validated against ConfigStore schema"
)


class BadInput(Exception):
    """Input the command refuses; `str()` is one line naming the key."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse for the project's plain commands: an error is one line (no usage block), exit 2."""

    def error(self, message: str) -> None:
        fail(self.prog, message)


def register_base() -> None:
    """The commands' typed schemas and the scenario files, in Hydra's ConfigStore."""
    settings.register()


def fail(program: str, message: str, code: int = EXIT_BAD_INPUT) -> None:
    print(f"{program}: error: {_line(message)}", file=sys.stderr)
    raise SystemExit(code)


def _line(text: str) -> str:
    return " ".join(str(text).split())[:400]


# the command line ---------------------------------------------------------------------------------
def check_command_line(
    program: str,
    argv: Sequence[str],
    config_name: str,
    extra_keys: Sequence[str] = (),
    keeps_runs: bool = False,
) -> dict[str, Any]:
    """Validate overrides by composing the configuration they make (once per distinct value of a
    sweep) and check the folder the command will write; return the first composed config.

    `keeps_runs`: the command writes runs straight into Hydra's run (or sweep) folder, so one that
    holds a finished run, or files that are not runs, is refused (reform-run)."""
    parsed = _parse(program, argv)
    multirun = _is_multirun(argv)
    if not multirun:
        # hydra.* may hold sweep specifications (the Optuna sweeper's search space)
        sweeping = [
            ov.key_or_group
            for ov in parsed
            if ov.is_sweep_override() and not ov.key_or_group.startswith("hydra")
        ]
        if sweeping:
            fail(
                program,
                f"{sweeping[0]}: several values given; add -m (--multirun) to sweep over them",
            )
    simple, sweeps = [], []
    for ov in parsed:
        key = ov.key_or_group
        if key.startswith("hydra") or key in extra_keys:
            continue
        if key == "scenario":
            check_scenario_names(program, _scenario_values(program, ov), "scenario")
        if ov.is_sweep_override():
            sweeps.append(ov)
        else:
            simple.append(ov.input_line)
    hydra_part = [
        ov.input_line
        for ov in parsed
        if ov.key_or_group.startswith("hydra") and not ov.is_sweep_override()
    ]
    firsts = [f"{ov.get_key_element()}={_first(program, ov)}" for ov in sweeps]
    cfg, (out_key, out_dir) = _compose(
        program, config_name, [*simple, *firsts], hydra_part, multirun, check_launcher=True
    )
    for ov in sweeps:
        _check_sweep_values(program, config_name, ov, simple, firsts)
    _check_as_written(program, config_name, parsed)
    check_output_dir(program, out_dir, out_key)
    if keeps_runs:
        _refuse_kept_runs(program, out_dir, out_key)
    return cfg


def _parse(program: str, argv: Sequence[str]) -> list:
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    texts = [a for a in argv if not a.startswith("-") and "=" in a or a.startswith(("+", "~"))]
    parser = OverridesParser.create()
    parsed = []
    for text in texts:
        key = text.lstrip("+~").split("=")[0]
        if nesting(text.partition("=")[2]) > MAX_NESTING:
            fail(program, f"{key}: nested deeper than {MAX_NESTING} levels of brackets")
        try:
            parsed.extend(parser.parse_overrides([text]))
        except RecursionError:  # nesting the count above missed (escaped quotes)
            fail(program, f"{key}: nested too deep to parse")
        except HydraException as err:
            fail(program, f"{key}: cannot parse '{_short(text)}' ({str(err).splitlines()[0]})")
        if key.startswith("hydra"):
            continue
        if text.startswith("~"):
            fail(program, f"{key}: a setting cannot be deleted (~); give it a value instead")
        if "${" in text.partition("=")[2]:
            fail(
                program,
                f"{key}: interpolations (${{...}}) are not accepted here; give the value itself",
            )
    return parsed


def nesting(value: str) -> int:
    """How deep the brackets of an override's value nest (outside quotes)."""
    depth = deepest = 0
    quote = ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]})":
            depth -= 1
    return deepest


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:50]}... ({len(text)} characters)"


def _scenario_values(program: str, ov) -> list[str]:
    """The scenario names an override asks for; a glob is matched against the files."""
    from hydra.core.override_parser.types import Glob

    if isinstance(ov.value(), Glob):
        return ov.value().filter(scenarios.available())
    if ov.is_sweep_override():
        return [str(v) for v in _values(program, ov)]
    return [str(ov.value())]


def _values(program: str, ov) -> list[Any]:
    """The values of a sweep override, counted out (at most MAX_SWEEP of them)."""
    from hydra.errors import HydraException

    key = ov.key_or_group
    try:
        values = list(itertools.islice(ov.sweep_iterator(), MAX_SWEEP + 1))
    except (HydraException, ValueError, TypeError, OverflowError) as err:
        fail(program, f"{key}: cannot sweep over this ({_line(err)[:160]})")
    if len(values) > MAX_SWEEP:
        fail(program, f"{key}: more than {MAX_SWEEP:,} values to sweep over")
    if not values:
        fail(program, f"{key}: the sweep has no value")
    return values


def _first(program: str, ov) -> str:
    if ov.key_or_group == "scenario":
        names = _scenario_values(program, ov)
        if not names:
            fail(program, "scenario: the pattern matches no scenario file")
        return names[0]
    return _text(_values(program, ov)[0])


def _text(value: Any) -> str:
    """A sweep's value as the value part of an override."""
    from hydra.core.override_parser.types import Transformer

    return Transformer.str(value)


def _check_sweep_values(
    program: str, config_name: str, ov, simple: list[str], firsts: list[str]
) -> None:
    """Each distinct value of a sweep: a model parameter by its own check (microseconds, so a
    sweep of 100,000 seeds starts at once), anything else by composing it."""
    key = ov.get_key_element()
    others = [f for f in firsts if not f.startswith(f"{key}=")]
    if ov.key_or_group == "scenario":
        for name in _scenario_values(program, ov)[1:]:
            _compose(program, config_name, [*simple, *others, f"{key}={name}"])
        return
    values = _values(program, ov)
    schema = settings.SCHEMAS[config_name]
    if is_leaf(ov.key_or_group, schema):
        for value in dict.fromkeys(map(_hashable, values)):
            try:
                check_value(ov.key_or_group, value, schema)
            except ConfigError as err:
                fail(program, str(err))
        return
    texts = dict.fromkeys(_text(v) for v in values)
    for text in list(texts)[1:]:
        _compose(program, config_name, [*simple, *others, f"{key}={text}"])


def _check_as_written(program: str, config_name: str, parsed: list) -> None:
    """Each single value as the user wrote it: Hydra converts `yes` or 2 into true for a switch;
    the table wants true or false."""
    schema = settings.SCHEMAS[config_name]
    for ov in parsed:
        key = ov.key_or_group
        if ov.is_sweep_override() or key.startswith("hydra") or not is_leaf(key, schema):
            continue
        try:
            check_value(key, ov.value(), schema)
        except ConfigError as err:
            fail(program, str(err))


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


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
        _compose(program, config_name, [*plain_overrides, f"scenario={name}"], where=f"{key}: ")


def _compose(
    program: str,
    config_name: str,
    overrides: list[str],
    hydra_overrides: Sequence[str] = (),
    multirun: bool = False,
    check_launcher: bool = False,
    where: str = "",
) -> Any:
    """The task config these overrides make, checked against the parameter table; with
    `check_launcher`, also (config, the folder Hydra will write) after checking the launcher."""
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
        if check_launcher:
            HydraConfig.instance().set_config(cfg)
            output = _output_dir(cfg, multirun)
        with open_dict(cfg):
            del cfg["hydra"]  # its interpolations need a running app; the task part does not
        plain = OmegaConf.to_container(cfg, resolve=True)
    except (HydraException, OmegaConfBaseException, ValueError, OverflowError) as err:
        fail(program, where + _one_line(err, everything))
    finally:
        GlobalHydra.instance().clear()
    if check_launcher:
        _check_launcher(program, launcher)
    try:
        resolve(plain, schema=settings.SCHEMAS[config_name])  # ranges, NaN: the fields' bounds
    except ConfigError as err:
        fail(program, where + str(err))
    return (plain, output) if check_launcher else plain


def _output_dir(cfg: Any, multirun: bool) -> tuple[str, str]:
    """(the key that names it, the folder) Hydra will create for this command."""
    multirun = multirun or str(cfg.hydra.mode).endswith("MULTIRUN")
    if multirun:
        return "hydra.sweep.dir", str(cfg.hydra.sweep.dir)
    raw = cfg.hydra.run._get_node("dir")._value()
    key = "hydra.sweep.dir" if raw == "${hydra.sweep.dir}" else "hydra.run.dir"  # the sweep apps
    return key, str(cfg.hydra.run.dir)


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
    _check_launcher_numbers(program, launcher)
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
            _check_ray_answers(program, str(address))


def _check_ray_answers(program: str, address: str) -> None:
    """Ray waits without end for a head that does not answer, so a HOST:PORT nobody listens on
    is refused here, in one line, before anything runs. (`auto` is left to Ray, which says so.)"""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as error:
        fail(
            program,
            f"hydra.launcher.ray.init.address: no Ray cluster answers at {address} "
            f"({error.strerror or error}); start its head with `ray start --head`, or use "
            "address=local for a private Ray",
        )


def _check_launcher_numbers(program: str, launcher: dict[str, Any]) -> None:
    n_jobs = launcher.get("n_jobs")
    if n_jobs is not None and (
        not _whole(n_jobs) or n_jobs == 0 or n_jobs < -(os.cpu_count() or 1)
    ):
        fail(
            program,
            f"hydra.launcher.n_jobs: must be a whole number of workers from 1 up, or -1 for one "
            f"per CPU, got {n_jobs!r}",
        )
    for dotted in LAUNCHER_COUNTS:
        value: Any = launcher
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and (not _whole(value) or value < 1):
            fail(
                program, f"hydra.launcher.{dotted}: must be a whole number from 1 up, got {value!r}"
            )
    mem = launcher.get("mem_gb")
    if mem is not None and (isinstance(mem, bool) or not isinstance(mem, int | float) or mem <= 0):
        fail(program, f"hydra.launcher.mem_gb: must be a number of GB above 0, got {mem!r}")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _one_line(err: Exception, overrides: list[str]) -> str:
    from hydra.errors import MissingConfigException

    text = " ".join(str(err).split())
    cause = str(err.__cause__).splitlines()[0] if err.__cause__ is not None else ""
    if text.startswith("Error merging override ") and cause:  # a typed field
        key = text.removeprefix("Error merging override ").split("=")[0]
        return f"{key}: {_plain(cause)}"
    if isinstance(err, MissingConfigException) and err.options is not None:
        group = (err.missing_cfg_file or "").rpartition("/")[0]
        wanted = (err.missing_cfg_file or "").rpartition("/")[2]
        if group == "scenario" and wanted in scenarios.available():
            try:
                scenarios.load(wanted)
            except ConfigError as why:
                return f"scenario: {str(why).split(': ', 1)[1]}"
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


def _plain(cause: str) -> str:
    """OmegaConf's type error in the words of the parameter table's checks."""
    found = re.match(r"Value '(.*)' of type '\w+' could not be converted to (\w+)", cause)
    if not found:
        return cause
    value, kind = found.groups()
    if value.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return f"must be a finite number, got {value}"
    what = {"Integer": "a whole number", "Float": "a number", "Boolean": "true or false"}
    return f"must be {what.get(kind, kind)}, got {value!r}"


def _is_multirun(argv: Sequence[str]) -> bool:
    return any(a in ("-m", "--multirun") for a in argv)


# the folder a command writes ----------------------------------------------------------------------
def check_output_dir(program: str, folder: str | Path, key: str) -> None:
    """`folder` must be a directory, or creatable, and writable: tried by creating it and a
    temporary file in it, both removed again (Hydra creates it for real once every check passed)."""
    path = Path(folder).absolute()
    existing = path
    while not existing.exists() and not existing.is_symlink():
        existing = existing.parent
    if not existing.is_dir():
        what = "is not a directory" if existing == path else f"is inside {existing}, a file"
        fail(program, f"{key}: {folder} {what}; choose a directory")
    created = []
    try:
        for part in reversed([path, *path.parents]):
            if not part.exists():
                part.mkdir()
                created.append(part)
        fd, probe = tempfile.mkstemp(prefix=".write-check-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        fail(program, f"{key}: {folder} cannot be written ({err.strerror or err})")
    finally:
        for part in reversed(created):
            with contextlib.suppress(OSError):
                part.rmdir()


def _refuse_kept_runs(program: str, folder: str, key: str) -> None:
    """reform-run writes runs into Hydra's folders, and Hydra writes its record (.hydra/) there
    before the run starts: a finished run, or someone else's files, must not be in the way."""
    if not Path(folder).is_dir():
        return
    path = Path(folder)
    multirun = key == "hydra.sweep.dir"
    finished = next(path.rglob("summary.json"), None) if multirun else path / "summary.json"
    if finished is not None and finished.is_file():
        where = "" if finished.parent == path else f" ({finished.parent.name})"
        fail(
            program,
            f"{key}: {folder} already holds a finished run{where}; choose another directory",
        )
    if multirun:
        return
    mine = {*RUN_FILES, ".hydra"}  # a run of reform-run holds these and nothing else
    others = sorted(p.name for p in path.iterdir() if p.name not in mine and not _temporary(p))
    if others:
        fail(
            program,
            f"{key}: {folder} holds files that are not a run of reform-run ({others[0]}, ...); "
            "choose a new or empty directory",
        )


def _temporary(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


# while a command works ---------------------------------------------------------------------------
class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C is."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def guarded(program: str, interrupted: str = "") -> Iterator[None]:
    """The body's errors as one line and an exit status: bad input 2, a failure during the work
    1 (REFORM_DEBUG=1 re-raises it with its traceback), Ctrl-C / SIGTERM / SIGHUP 128 + signal
    after stopping worker processes; `interrupted` says what was kept."""
    plain_warnings(program)
    printable_streams()
    os.environ["HYDRA_FULL_ERROR"] = "1"  # Hydra re-raises what it would print; we say it in a line
    if sys.platform != "win32":
        for name in SIGNALS:
            signal.signal(getattr(signal, name), _raise_interrupted)
    try:
        yield
    except KeyboardInterrupt as err:
        from experiments.sweep import stop_workers

        stop_workers()
        signum = getattr(err, "signum", signal.SIGINT)
        what = f" ({signal.Signals(signum).name})" if signum != signal.SIGINT else ""
        print(
            f"\n{program}: interrupted{what}{'; ' + interrupted if interrupted else ''}",
            file=sys.stderr,
        )
        raise SystemExit(128 + signum) from None
    except (BadInput, ConfigError, SweepError) as err:
        fail(program, str(err))
    except BrokenPipeError:  # the reader went away (`... | head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_FAILED) from None
    except Exception as err:
        if os.environ.get("REFORM_DEBUG"):
            raise
        fail(program, *_failure(err))


def _failure(err: Exception) -> tuple[str, int]:
    """What went wrong in one line, and the exit status: 2 for a configuration Hydra refused, 1
    for a failure during the work."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(err, HydraException | OmegaConfBaseException):
        return _one_line(err, []), EXIT_BAD_INPUT
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}", EXIT_FAILED
    return f"{type(err).__name__}: {_line(err)[:300]} (REFORM_DEBUG=1 shows where)", EXIT_FAILED


def plain_warnings(program: str) -> None:
    """Warnings as one plain line (`program: warning: ...`), without file and line."""
    warnings.formatwarning = lambda message, *args, **kwargs: f"{program}: warning: {message}\n"
