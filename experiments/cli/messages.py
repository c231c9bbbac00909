"""How a command refuses: one line naming the key and what is allowed, an exit status, no
traceback. Hydra's and OmegaConf's errors are put into the same words here."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from simulation import scenarios
from simulation.config import ConfigError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the command refuses; `str()` is one line naming the key."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse for the project's plain commands: an error is one line (no usage block), exit 2."""

    def error(self, message: str) -> None:
        fail(self.prog, message)


def fail(program: str, message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print `program: error: message` as one line and exit with `code`."""
    print(f"{program}: error: {one_line(message)}", file=sys.stderr)
    raise SystemExit(code)


def one_line(text: object) -> str:
    """`text` with its white space collapsed, cut to what a terminal line can hold."""
    return " ".join(str(text).split())[:400]


def hydra_error(err: Exception, overrides: Sequence[str]) -> str:
    """Hydra's or OmegaConf's refusal of `overrides` as one line naming the key."""
    from hydra.errors import MissingConfigException

    text = " ".join(str(err).split())
    cause = str(err.__cause__).splitlines()[0] if err.__cause__ is not None else ""
    if text.startswith("Error merging override ") and cause:  # a typed field
        key = text.removeprefix("Error merging override ").split("=")[0]
        return f"{key}: {_typed(cause)}"
    if isinstance(err, MissingConfigException) and err.options is not None:
        return _missing_option(err)
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


def _missing_option(err: Exception) -> str:
    """A config group has no such option; a scenario file that exists but is refused says why."""
    group = (err.missing_cfg_file or "").rpartition("/")[0]
    wanted = (err.missing_cfg_file or "").rpartition("/")[2]
    if group == "scenario" and wanted in scenarios.available():
        try:
            scenarios.load(wanted)
        except ConfigError as why:
            return f"scenario: {str(why).split(': ', 1)[1]}"
    return f"{group}: no option '{wanted}'; allowed: {', '.join(err.options)}"


def _typed(cause: str) -> str:
    """OmegaConf's type error in the words of the parameter table's checks."""
    found = re.match(r"Value '(.*)' of type '\w+' could not be converted to (\w+)", cause)
    if not found:
        return cause
    value, kind = found.groups()
    if value.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return f"must be a finite number, got {value}"
    what = {"Integer": "a whole number", "Float": "a number", "Boolean": "true or false"}
    return f"must be {what.get(kind, kind)}, got {value!r}"
