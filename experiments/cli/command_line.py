"""The check every Hydra command runs on its command line before Hydra starts: the overrides
parsed, the configuration they make composed (once per distinct value of a sweep), the launcher
and the folder the command will write. Bad input gets one line naming the key, exit status 2, no
traceback and nothing written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from experiments import settings
from experiments.cli import overrides
from experiments.cli.compose import check_scenario_names, compose_checked
from experiments.cli.folders import check_output_dir, refuse_kept_runs
from experiments.cli.messages import fail
from simulation.config import ConfigError, check_value, is_leaf


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
    parsed = overrides.parse(program, argv)
    multirun = overrides.is_multirun(argv)
    if not multirun:
        _refuse_sweeps(program, parsed)
    simple, sweeps = [], []
    for ov in parsed:
        key = ov.key_or_group
        if key.startswith("hydra") or key in extra_keys:
            continue
        if key == "scenario":
            check_scenario_names(program, overrides.scenario_values(program, ov), "scenario")
        if ov.is_sweep_override():
            sweeps.append(ov)
        else:
            simple.append(ov.input_line)
    hydra_part = [
        ov.input_line
        for ov in parsed
        if ov.key_or_group.startswith("hydra") and not ov.is_sweep_override()
    ]
    firsts = [f"{ov.get_key_element()}={overrides.first(program, ov)}" for ov in sweeps]
    cfg, (out_key, out_dir) = compose_checked(
        program, config_name, [*simple, *firsts], hydra_part, multirun, with_launcher=True
    )
    for ov in sweeps:
        _check_sweep_values(program, config_name, ov, simple, firsts)
    _check_as_written(program, config_name, parsed)
    check_output_dir(program, out_dir, out_key)
    if keeps_runs:
        refuse_kept_runs(program, out_dir, out_key)
    return cfg


def _refuse_sweeps(program: str, parsed: list) -> None:
    """Several values of one key sweep only with -m; hydra.* may hold sweep specifications (the
    Optuna sweeper's search space)."""
    sweeping = [
        ov.key_or_group
        for ov in parsed
        if ov.is_sweep_override() and not ov.key_or_group.startswith("hydra")
    ]
    if sweeping:
        fail(
            program, f"{sweeping[0]}: several values given; add -m (--multirun) to sweep over them"
        )


def _check_sweep_values(
    program: str, config_name: str, ov, simple: list[str], firsts: list[str]
) -> None:
    """Each distinct value of a sweep: a model parameter by its own check (microseconds, so a
    sweep of 100,000 seeds starts at once), anything else by composing it."""
    key = ov.get_key_element()
    others = [f for f in firsts if not f.startswith(f"{key}=")]
    if ov.key_or_group == "scenario":
        for name in overrides.scenario_values(program, ov)[1:]:
            compose_checked(program, config_name, [*simple, *others, f"{key}={name}"])
        return
    values = overrides.sweep_values(program, ov)
    schema = settings.SCHEMAS[config_name]
    if is_leaf(ov.key_or_group, schema):
        for value in dict.fromkeys(map(_hashable, values)):
            try:
                check_value(ov.key_or_group, value, schema)
            except ConfigError as err:
                fail(program, str(err))
        return
    texts = dict.fromkeys(overrides.as_text(v) for v in values)
    for text in list(texts)[1:]:
        compose_checked(program, config_name, [*simple, *others, f"{key}={text}"])


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
