"""Command-line guard shared by the Hydra apps: check every override before Hydra starts, so bad
input gets one line naming the key, a non-zero exit, no traceback and no run directory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore

from experiments.paths import CONF_DIR, available_scenarios
from simulation.config import ConfigError, resolve
from simulation.parameters import defaults

EXIT_BAD_INPUT = 2


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
    first = None
    for probe in probes:
        cfg = _compose(program, config_name, probe)
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
    known = available_scenarios()
    for name in names:
        if name not in known:
            fail(program, f"scenario: unknown scenario '{name}'; allowed: {', '.join(known)}")


def _compose(program: str, config_name: str, overrides: list[str]) -> dict[str, Any]:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = compose(config_name=config_name, overrides=overrides)
        plain = OmegaConf.to_container(cfg, resolve=True)
    except (HydraException, OmegaConfBaseException, ValueError) as err:
        fail(program, _one_line(err, overrides))
    finally:
        GlobalHydra.instance().clear()
    model_part = {k: v for k, v in plain.items() if k in defaults()}
    try:
        resolve(model_part)
    except ConfigError as err:
        fail(program, str(err))
    unknown = [k for k in plain if k not in defaults() and k not in _app_keys(config_name)]
    if unknown:
        fail(program, f"{unknown[0]}: unknown key; allowed: {', '.join(sorted(defaults()))}")
    return plain


def _app_keys(config_name: str) -> set[str]:
    from omegaconf import OmegaConf

    raw = OmegaConf.load(CONF_DIR / f"{config_name}.yaml")
    return {k for k in raw if k not in ("defaults", "hydra")}


def _one_line(err: Exception, overrides: list[str]) -> str:
    text = " ".join(str(err).split())
    for ov in overrides:
        key = ov.lstrip("+~").split("=")[0]
        if f"'{key}'" in text or key in text.split():
            if (
                "not in struct" in text
                or "Could not override" in text
                or "Could not append" in text
            ):
                return f"{key}: unknown key; see `--cfg job` for the keys there are"
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
