"""Factors of a comparison, BehaviorSpace style: `reform-compare campaigns.interval_months=24,36`
runs every scenario x every value of the factor (x every other factor's) x the seeds, into one
sweep, one tidy table and one report.

A parameter written as Hydra writes a sweep (comma-separated values, `range(...)`,
`choice(...)`) becomes a factor. Before Hydra sees the command line, each is checked against
the parameter table and folded into one `factors={key: [values]}` setting of the comparison, so
the factors are part of the experiment's identity (a rerun with other values is another sweep)
and reach the app; each run then gets one value of each (its job's overrides)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from experiments.cli import fail
from simulation.config import ConfigError, check_value, is_leaf

KEY = "factors"
MAX_LEVELS = 1_000  # combinations of factor values: each is a whole comparison


def fold(program: str, argv: Sequence[str]) -> list[str]:
    """`argv` with every swept model parameter folded into one `factors=` override."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    kept, factors = [], {}
    for arg in argv:
        key = arg.partition("=")[0]
        if "=" not in arg or arg.startswith("-") or key.startswith(("hydra", "+", "~")):
            kept.append(arg)
            continue
        try:
            override = parser.parse_overrides([arg])[0]
        except (HydraException, RecursionError):
            kept.append(arg)  # the common check says what is wrong with it, in one line
            continue
        if not override.is_sweep_override() or not is_leaf(key):
            kept.append(arg)
            continue
        if key in ("seed", "scenario") or key.startswith("scenario."):
            fail(
                program, f"{key}: not a factor here (seeds=N gives the replicates; scenarios=[...])"
            )
        factors[key] = _levels(program, key, override)
    if factors:
        combinations = 1
        for values in factors.values():
            combinations *= len(values)
        if combinations > MAX_LEVELS:
            fail(
                program,
                f"{KEY}: {combinations:,} combinations of factor values; at most {MAX_LEVELS:,}",
            )
        given = ",".join(f"{k}:[{','.join(_text(v) for v in vs)}]" for k, vs in factors.items())
        kept.append(f"{KEY}={{{given}}}")
    return kept


def _levels(program: str, key: str, override: Any) -> list[Any]:
    """The checked, distinct values of one factor, in the order given."""
    values = list(dict.fromkeys(_plain(v) for v in override.sweep_iterator()))
    for value in values:
        try:
            check_value(key, value)
        except ConfigError as err:
            fail(program, str(err))
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.12g}")  # range(0.1,0.4,0.1) gives 0.30000000000000004
    return tuple(value) if isinstance(value, list) else value


def levels(factors: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the factors' values, each as {key: value} ([{}] with no factor)."""
    keys = list(factors)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(factors[k] for k in keys))]


def folder(level: Mapping[str, Any]) -> str:
    """A level's part of its runs' folder names: `campaigns.interval_months=24` (nothing with
    no factor)."""
    return ",".join(f"{k}={_text(v)}" for k, v in level.items())


def overrides(level: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(f"{k}={_text(v)}" for k, v in level.items())


def _text(value: Any) -> str:
    """A value as an override writes it (Hydra's own rendering)."""
    from hydra.core.override_parser.types import Transformer

    return Transformer.str(list(value) if isinstance(value, tuple) else value)
