"""The Python API's own arguments (the model's configuration and `rng`, `run`'s `steps`), checked
as the command line is: one error naming the argument and what it may be."""

from __future__ import annotations

import argparse
import dataclasses
import numbers
from collections.abc import Callable, Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

import numpy as np

from simulation.config import from_config
from simulation.parameters import Parameters

SEEDS = 2**32  # the table's `seed` is 0 .. 2^32 - 1
WHAT = "a whole number from 0 to 2^32 - 1, a numpy Generator, BitGenerator or SeedSequence"


def model_parameters(
    config: Parameters | Mapping[str, Any] | None, overrides: Mapping[str, Any], rng: Any
) -> Parameters:
    """ReformModel's parameters. A `Parameters` alone is trusted as it is: it was checked when it
    was built (`from_config`), and checking it again would be a second copy of the same rules. A
    mapping, or a `Parameters` with keyword overrides, goes through `from_config` once; then the
    seed `rng` stands for, or fresh entropy when no seed is given (recorded in `params.seed`)."""
    if isinstance(config, Parameters):
        if not overrides:
            master_seed({"seed": config.seed}, {}, rng)  # a Parameters carries its seed
            return config
        config = config.to_dict()
    params = from_config(config, **overrides)
    seed = master_seed(config, overrides, rng)
    if seed is None and "seed" not in overrides and "seed" not in (config or {}):
        seed = fresh_seed()
    return params if seed is None else dataclasses.replace(params, seed=seed)


def master_seed(
    config: Mapping[str, Any] | None, overrides: Mapping[str, Any], rng: Any
) -> int | None:
    """The seed `rng` stands for; None when `rng` is None (the config's seed, or fresh entropy,
    decides). Mesa refuses `rng` beside `seed`, and so does this: one would silently win."""
    if rng is None:
        return None
    if "seed" in overrides or "seed" in (config or {}):
        raise ValueError("rng: give either rng or seed, not both (each sets the master seed)")
    if isinstance(rng, bool | str | bytes | float):
        raise TypeError(f"rng: must be {WHAT}, got {_shown(rng)}")
    if isinstance(rng, numbers.Integral):
        if not 0 <= rng < SEEDS:
            raise ValueError(f"rng: must be {WHAT}, got {_shown(rng)}")
        return int(rng)
    try:  # what numpy takes: a Generator, a BitGenerator, a SeedSequence, a sequence of ints
        return int(np.random.default_rng(rng).integers(SEEDS))
    except (TypeError, ValueError):
        raise TypeError(f"rng: must be {WHAT}, got {_shown(rng)}") from None


def checked_steps(steps: Any) -> int:
    """`ReformModel.run`'s months after the launch: 0 (the warm-up only) up to the table's most."""
    most = int({f.name: f for f in dataclass_fields(Parameters)}["steps"].metadata["bound"].high)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or not 0 <= steps <= most:
        raise ValueError(
            f"run(steps): must be a whole number of months from 0 to {most}, got {_shown(steps)}"
        )
    return int(steps)


def fresh_seed() -> int:
    """A seed from the operating system's entropy (recorded in the run's parameters)."""
    return int(np.random.SeedSequence().entropy % SEEDS)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` for a count on a command line: a whole number from `low` to `high`,
    else one error saying so (the benchmark's repetitions, the classroom's sessions)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low} to {high}, got {text!r}"
            )
        return value

    return parse
