"""Reading a command line's overrides with Hydra's own parser, before Hydra runs: what cannot be
parsed, deleted or interpolated is refused here, and a sweep's values are counted out."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from experiments.cli.messages import fail, one_line
from simulation import scenarios

HELP = ("--help", "-h", "--hydra-help", "--info")
MAX_SWEEP = 1_000_000  # values of one swept key (100,000 seeds are checked in about a second)
# Brackets an override may nest: Hydra's parser recurses per level and, some thousands deep,
# dies of RecursionError. No setting is deeper than a list (of numbers, or of scenarios).
MAX_NESTING = 16


def parse(program: str, argv: Sequence[str]) -> list:
    """The overrides of `argv`, parsed; a bad one is refused in one line naming its key."""
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
        if not key.startswith("hydra"):
            _refuse_indirection(program, key, text)
    return parsed


def _refuse_indirection(program: str, key: str, text: str) -> None:
    """A setting is given by value: neither deleted nor taken from another key."""
    if text.startswith("~"):
        fail(program, f"{key}: a setting cannot be deleted (~); give it a value instead")
    if "${" in text.partition("=")[2]:
        fail(
            program,
            f"{key}: interpolations (${{...}}) are not accepted here; give the value itself",
        )


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


def scenario_values(program: str, ov) -> list[str]:
    """The scenario names an override asks for; a glob is matched against the files."""
    from hydra.core.override_parser.types import Glob

    if isinstance(ov.value(), Glob):
        return ov.value().filter(scenarios.available())
    if ov.is_sweep_override():
        return [str(v) for v in sweep_values(program, ov)]
    return [str(ov.value())]


def sweep_values(program: str, ov) -> list[Any]:
    """The values of a sweep override, counted out (at most MAX_SWEEP of them)."""
    from hydra.errors import HydraException

    key = ov.key_or_group
    try:
        values = list(itertools.islice(ov.sweep_iterator(), MAX_SWEEP + 1))
    except (HydraException, ValueError, TypeError, OverflowError) as err:
        fail(program, f"{key}: cannot sweep over this ({one_line(err)[:160]})")
    if len(values) > MAX_SWEEP:
        fail(program, f"{key}: more than {MAX_SWEEP:,} values to sweep over")
    if not values:
        fail(program, f"{key}: the sweep has no value")
    return values


def first(program: str, ov) -> str:
    """The first value of a sweep, as the value part of an override."""
    if ov.key_or_group == "scenario":
        names = scenario_values(program, ov)
        if not names:
            fail(program, "scenario: the pattern matches no scenario file")
        return names[0]
    return as_text(sweep_values(program, ov)[0])


def as_text(value: Any) -> str:
    """A sweep's value as the value part of an override."""
    from hydra.core.override_parser.types import Transformer

    return Transformer.str(value)


def is_multirun(argv: Sequence[str]) -> bool:
    return any(a in ("-m", "--multirun") for a in argv)
