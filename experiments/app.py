"""The skeleton every Hydra command of the project shares: reform-run, reform-compare,
reform-validate and reform-calibrate.

    main = Command("reform-compare", "compare", app, check=check_app_keys, interrupted=KEPT).main

`Command.main` guards the whole command (one-line errors, exit statuses, Ctrl-C and SIGTERM:
experiments.cli.guarded), checks the command line before anything is written (the command's own
`check`, or the common one: experiments.cli.check_command_line), then hands over to Hydra with
the chosen config (`--config-name`, or a preset flag such as reform-validate's `--full`). Help and
`--cfg` go straight to Hydra. A sweep app's runs go through `SweepRunner`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig

from experiments.cli import HELP, check_command_line, fail, guarded
from experiments.sweep import TaskFunction, launch, write_run_task
from experiments.sweepdir import Job, SweepError, claim

EXIT_FAILED_RUNS = 1
Check = Callable[[list[str], str], Any]


@dataclass(frozen=True)
class Command:
    program: str
    config_name: str
    hydra_app: Callable[[], Any]  # the @hydra.main function
    check: Check | None = None  # the command's checks (argv, config name) -> what hand_over needs
    interrupted: str = ""  # what is kept when the user stops the command
    presets: Mapping[str, str] = field(default_factory=dict)  # flag -> config name
    keeps_runs: bool = False  # writes runs straight into Hydra's folder (reform-run)
    hand_over: Callable[[list[str], str, Any], None] | None = None  # instead of the Hydra app
    rewrite: Callable[[str, list[str]], list[str]] | None = None  # argv, before any check

    def main(self) -> None:
        from experiments.scenario_args import own_scenarios

        with guarded(self.program, self.interrupted):
            argv, config_name = self.chosen_config(own_scenarios(self.program, sys.argv[1:]))
            if self.rewrite is not None and not _asks_hydra(argv):
                argv = self.rewrite(self.program, argv)
            checked = None
            if not _asks_hydra(argv):
                checked = self.checked(argv, config_name)
            if self.hand_over is not None and not _asks_hydra(argv):
                self.hand_over(argv, config_name, checked)
                return
            sys.argv = [sys.argv[0], *argv, "--config-name", config_name]
            self.hydra_app()

    def chosen_config(self, argv: Sequence[str]) -> tuple[list[str], str]:
        """(the command line without the preset flag, the config it chooses)."""
        args, config_name = list(argv), self.config_name
        for flag, preset in self.presets.items():
            if flag in args:
                args.remove(flag)
                config_name = preset
        for i, arg in enumerate(args):
            if arg in ("--config-name", "-cn") and i + 1 < len(args):
                config_name = args[i + 1]
                del args[i : i + 2]
                break
        if config_name not in _names(self):
            allowed = ", ".join(_names(self))
            fail(self.program, f"--config-name: no config '{config_name}'; allowed: {allowed}")
        return args, config_name

    def checked(self, argv: list[str], config_name: str) -> Any:
        if self.check is not None:
            return self.check(argv, config_name)
        return check_command_line(self.program, argv, config_name, keeps_runs=self.keeps_runs)


def _names(command: Command) -> list[str]:
    return [command.config_name, *command.presets.values()]


def _asks_hydra(argv: Sequence[str]) -> bool:
    """Help, --cfg and friends: Hydra answers them itself and runs nothing."""
    return any(a in HELP or a.startswith(("--cfg", "-c=")) or a == "-c" for a in argv)


@dataclass(frozen=True)
class HydraSweep:
    """Where the running Hydra app writes its sweep, and what it was told."""

    sweep_dir: Path
    overrides: list[str]
    config_name: str

    @classmethod
    def now(cls) -> HydraSweep:
        hc = HydraConfig.get()
        overrides = [*hc.overrides.hydra, *hc.overrides.task]
        return cls(Path(hc.runtime.output_dir), overrides, hc.job.config_name)

    def runner(
        self,
        program: str,
        settings: dict[str, Any],
        batch_size: int | None,
        task: TaskFunction = write_run_task,
        extra: Sequence[str] = (),
    ) -> SweepRunner:
        overrides = [*self.overrides, *extra]
        return SweepRunner(
            program, self.sweep_dir, settings, self.config_name, overrides, task, batch_size
        )


class SweepRunner:
    """A sweep app's launches into its sweep directory (experiments.sweep): each `run` claims the
    directory for the app's settings, launches the jobs not yet finished and keeps count."""

    def __init__(
        self,
        program: str,
        sweep_dir: Path,
        settings: dict[str, Any],
        config_name: str,
        overrides: Sequence[str],
        task: TaskFunction = write_run_task,
        batch_size: int | None = None,
    ):
        self.program, self.sweep_dir, self.settings = program, sweep_dir, settings
        self.config_name, self.overrides = config_name, list(overrides)
        self.task, self.batch_size = task, batch_size
        self.failed: dict[str, str] = {}
        self.counts = {"already": 0, "done": 0}
        self.record: dict[str, Any] = {}

    def run(self, jobs: list[Job], stage: str = "", then: Callable[[], Any] | None = None) -> Any:
        """Launch `jobs`; `then` runs while the directory is still held (the report)."""
        if stage:
            print(f"{self.program}: stage {stage}: {len(jobs)} runs", file=sys.stderr)
        try:
            with claim(self.sweep_dir, self.program, self.settings, jobs) as record:
                outcome = launch(
                    self.sweep_dir,
                    jobs,
                    self.config_name,
                    self.overrides,
                    task=self.task,
                    batch_size=self.batch_size,
                )
                self.record = record
                self._count(outcome)
                return then() if then is not None else None
        except SweepError as err:
            fail(self.program, f"hydra.sweep.dir: {err}")

    def _count(self, outcome: Any) -> None:
        self.failed.update(outcome.failed)
        self.counts["already"] += len(outcome.already)
        self.counts["done"] += len(outcome.done)

    def commands(self) -> list[str]:
        return [c["command"] for c in self.record.get("commands", [])]

    def tell(self, where: str) -> None:
        """How many runs, and which failed (stderr)."""
        total = self.counts["already"] + self.counts["done"] + len(self.failed)
        print(
            f"{self.program}: {total} runs in {where} ({self.counts['already']} finished before, "
            f"{self.counts['done']} now, {len(self.failed)} failed)"
        )
        for name, why in list(self.failed.items())[:20]:
            print(f"{self.program}: run {name} failed: {why}", file=sys.stderr)
        if self.failed:
            print(
                f"{self.program}: {len(self.failed)} run(s) failed (see failed.json in their "
                "folders); rerun the same command to retry them",
                file=sys.stderr,
            )

    def exit_if_failed(self) -> None:
        if self.failed:
            raise SystemExit(EXIT_FAILED_RUNS)
