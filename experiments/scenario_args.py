"""Scenarios of one's own on the command line: `scenario=PATH.yaml` (one file), a path inside
`scenarios=[...]` (reform-compare) or a swept `scenario=a,PATH.yaml`, and `scenarios_dir=FOLDER`
(every file of a folder). Before anything checks the command line, each file is read as the
package's are (simulation.scenarios: plain data, checked, refused in one line) and the argument
is rewritten to the scenario's name, so Hydra, the folder names and every record see a name;
`scenarios_dir=` is taken here and reaches no command's settings."""

from __future__ import annotations

from collections.abc import Sequence

from experiments.cli import fail
from simulation import scenarios
from simulation.config import ConfigError

FOLDER_KEY = "scenarios_dir"


def own_scenarios(program: str, argv: Sequence[str]) -> list[str]:
    """`argv` with every scenario given by path replaced by its name, and `scenarios_dir=`
    taken out (its folders' files are then scenarios by name)."""
    try:
        for arg in argv:  # the folders first: a name may refer to one of their files
            key, eq, value = arg.partition("=")
            if eq and key.lstrip("+") == FOLDER_KEY:
                scenarios.add_folder(value)
        return [_named(arg) for arg in argv if arg.partition("=")[0].lstrip("+") != FOLDER_KEY]
    except ConfigError as err:
        fail(program, str(err))
        raise  # not reached: fail exits


def _named(arg: str) -> str:
    key, eq, value = arg.partition("=")
    if not eq or key.lstrip("+") not in ("scenario", "scenarios"):
        return arg
    if value.startswith("[") and value.endswith("]"):
        return f"{key}=[{','.join(_name(v.strip()) for v in value[1:-1].split(','))}]"
    return f"{key}={','.join(_name(v.strip()) for v in value.split(','))}"


def _name(value: str) -> str:
    """A scenario's name: itself, or the name of the file a path gives."""
    if "/" in value or value.endswith(".yaml"):
        return scenarios.add_file(value)
    return value
