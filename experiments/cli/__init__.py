"""The command-line guard shared by the project's commands, one concern per module:

- `overrides`: Hydra's parser over the command line (no deletion, interpolation or deep nesting);
- `compose`: the configuration the overrides make, composed and checked before Hydra's own run;
- `command_line`: the whole check a Hydra command runs first (`check_command_line`);
- `launcher`: the launcher a preset names is installed and usable, with coherent fields;
- `folders`: the folder a command writes is creatable and writable, never a finished run;
- `signals`: while a command works, Ctrl-C, SIGTERM, SIGHUP and failures as one line (`guarded`);
- `messages`: how a refusal reads (one line naming the key, exit status 2, no traceback).
"""

from experiments.cli.command_line import check_command_line
from experiments.cli.compose import check_scenario_files, check_scenario_names, register_base
from experiments.cli.folders import check_output_dir
from experiments.cli.messages import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    ArgumentParser,
    BadInput,
    fail,
)
from experiments.cli.overrides import HELP
from experiments.cli.signals import guarded

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "HELP",
    "ArgumentParser",
    "BadInput",
    "check_command_line",
    "check_output_dir",
    "check_scenario_files",
    "check_scenario_names",
    "fail",
    "guarded",
    "register_base",
]
