"""reform-compare: every scenario x `seeds` replicates through Hydra's launcher into one sweep
directory, then one tidy results.parquet and the report (a Hydra app).

Replicate k of every scenario runs with the same seed, so it sees the same citizens, firms and
needs (common random numbers) and scenario differences are paired. Rerunning the same command
resumes: finished runs are kept, unfinished and failed ones are run again.

Exit status: 0 every run finished; 1 some runs failed (each has `failed.json`; results and the
report cover the others and list the failures); 2 bad input or a sweep directory that cannot be
used (nothing written); 130 interrupted.
"""

from __future__ import annotations

import hashlib
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments.cli import (
    HELP,
    check_command_line,
    check_scenario_files,
    check_scenario_names,
    fail,
    guarded,
    register_base,
)
from experiments.outputs import config_hash, model_params
from experiments.paths import CONF_DIR
from experiments.sweep import job_configs, launch
from experiments.sweepdir import Job, SweepError, claim
from simulation import scenarios

PROGRAM = "reform-compare"
CONFIG = "compare"
EXIT_FAILED_RUNS = 1
KEPT = "finished runs are kept; rerun the same command to resume"
NAME_BYTES = 100  # longer names are cut (a folder name may hold 255 bytes: NAME_MAX)


def sweep_name(app: str, override_dirname: str) -> str:
    """The default sweep folder: `compare` for the default command, else named by its overrides
    (so that rerunning the same command finds the same folder). A long name is cut, in bytes,
    and keeps a hash of the whole."""
    if not override_dirname:
        return app
    name = override_dirname.replace("/", "_")
    whole = name.encode()
    if len(whole) > NAME_BYTES:
        cut = whole[: NAME_BYTES - 20].decode(errors="ignore")  # not inside a character
        name = cut + "-" + hashlib.sha256(whole).hexdigest()[:8]
    return f"{app}_{name}"


register_base()
OmegaConf.register_new_resolver("sweep_name", sweep_name, replace=True)


@hydra.main(config_path=str(CONF_DIR), config_name=CONFIG, version_base="1.3")
def app(cfg: DictConfig) -> None:
    from analysis.report import ReportError  # heavy (matplotlib, scipy): only once input is checked

    hc = HydraConfig.get()
    sweep_dir = Path(hc.runtime.output_dir)
    overrides = [*hc.overrides.hydra, *hc.overrides.task]
    with guarded(PROGRAM, interrupted=KEPT):
        jobs, settings = plan(cfg, overrides)
        try:
            with claim(sweep_dir, PROGRAM, settings, jobs):
                outcome = launch(sweep_dir, jobs, CONFIG, overrides, batch_size=cfg.batch_size)
                answer = _analyse(sweep_dir, cfg)
        except SweepError as err:
            fail(PROGRAM, f"hydra.sweep.dir: {err}")
        except ReportError as err:
            _tell_failures(outcome.failed)
            fail(PROGRAM, str(err), EXIT_FAILED_RUNS)
    _tell(sweep_dir, jobs, outcome, answer)
    if outcome.failed:
        raise SystemExit(EXIT_FAILED_RUNS)


def plan(cfg: DictConfig, overrides: Sequence[str]) -> tuple[list[Job], dict[str, Any]]:
    """The runs of this comparison (with the config hash each must have) and the experiment's
    settings: every model parameter except the scenario and the seed."""
    scenarios = chosen_scenarios(cfg.scenarios)
    seeds = range(int(cfg.seed), int(cfg.seed) + int(cfg.seeds))
    firsts = [Job(f"{s}/seed{seeds[0]}", (f"scenario={s}", f"seed={seeds[0]}")) for s in scenarios]
    params = {
        s: model_params(_task_part(c))
        for s, c in zip(scenarios, job_configs(CONFIG, overrides, firsts))
    }
    jobs = [
        Job(
            f"{s}/seed{k}",
            (f"scenario={s}", f"seed={k}"),
            {"scenario": s, "seed": k, "config_hash": config_hash({**params[s], "seed": k})},
        )
        for s in scenarios
        for k in seeds
    ]
    settings = {k: v for k, v in params[scenarios[0]].items() if k not in ("seed", "scenario")}
    return jobs, settings


def chosen_scenarios(value: Any) -> list[str]:
    if isinstance(value, str) and value == "all":
        return scenarios.available()
    return [str(v) for v in value]


def _task_part(cfg: DictConfig) -> dict[str, Any]:
    return {
        k: OmegaConf.to_container(cfg[k], resolve=True) if OmegaConf.is_config(cfg[k]) else cfg[k]
        for k in cfg
        if k != "hydra"
    }


def _analyse(sweep_dir: Path, cfg: DictConfig) -> str:
    from analysis.report import build_report
    from experiments.collect import collect

    collected = collect(sweep_dir)
    horizon = None if cfg.report.horizon == "auto" else int(cfg.report.horizon)
    return build_report(sweep_dir, collected, horizon=horizon, level=float(cfg.report.level)).answer


def _tell(sweep_dir: Path, jobs: list[Job], outcome: Any, answer: str) -> None:
    where = _relative(sweep_dir)
    print(
        f"{PROGRAM}: {len(jobs)} runs in {where} ({len(outcome.already)} finished before, "
        f"{len(outcome.done)} now, {len(outcome.failed)} failed)"
    )
    _tell_failures(outcome.failed)
    print(f"results: {where}/results.parquet\nreport:  {where}/report/index.html\n")
    print(textwrap.fill(answer.replace(" %", "\u00a0%"), width=100))  # keep "64 %" on one line


def _tell_failures(failed: dict[str, str]) -> None:
    for name, why in failed.items():
        print(f"{PROGRAM}: run {name} failed: {why}", file=sys.stderr)
    if failed:
        print(
            f"{PROGRAM}: {len(failed)} run(s) failed (see failed.json in their folders); "
            "rerun the same command to retry them",
            file=sys.stderr,
        )


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_app_keys(argv: Sequence[str]) -> None:
    """The comparison's own keys (the model's are checked by composing them, as for reform-run)."""
    if any(a in ("-m", "--multirun") for a in argv):
        fail(
            PROGRAM,
            "-m: reform-compare sweeps by itself; drop -m (use scenarios=[...] and seeds=N)",
        )
    if any(a.split("=", 1)[0].lstrip("+~") == "scenario" for a in argv if "=" in a):
        fail(PROGRAM, "scenario: reform-compare runs several scenarios; use scenarios=[a,b,...]")
    cfg = check_command_line(PROGRAM, argv, CONFIG)
    _check_seeds(cfg.get("seeds"), cfg.get("seed", 0))
    _check_scenarios(cfg.get("scenarios"))
    check_scenario_files(PROGRAM, CONFIG, argv, chosen_scenarios(cfg.get("scenarios")), "scenarios")
    _check_report(cfg.get("report") or {})
    size = cfg.get("batch_size")
    if size is not None and (not _whole(size) or size < 1):
        fail(PROGRAM, f"batch_size: must be null or a whole number >= 1, got {size!r}")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_seeds(seeds: Any, first: Any) -> None:
    if not _whole(seeds) or not 1 <= seeds <= 10_000:
        fail(PROGRAM, f"seeds: must be a whole number from 1 to 10000, got {seeds!r}")
    if first + seeds - 1 > 2**32 - 1:
        fail(PROGRAM, f"seeds: seed + seeds - 1 must stay below 2^32, got {first} + {seeds} - 1")


def _check_scenarios(value: Any) -> None:
    """The list's shape; each scenario file is checked by check_scenario_files."""
    if value == "all":
        return
    if not isinstance(value, list) or not value:
        fail(
            PROGRAM,
            f"scenarios: must be 'all' or a list such as [internal_reform,status_quo], "
            f"got {value!r}",
        )
    check_scenario_names(PROGRAM, [str(v) for v in value], "scenarios")
    if len(set(value)) != len(value):
        fail(PROGRAM, f"scenarios: a scenario is listed twice in {value}")


def _check_report(report: dict[str, Any]) -> None:
    horizon, level = report.get("horizon"), report.get("level")
    if horizon != "auto" and (not _whole(horizon) or horizon < 1):
        fail(
            PROGRAM,
            f"report.horizon: must be 'auto' or a whole number of months >= 1, got {horizon!r}",
        )
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        fail(PROGRAM, f"report.level: must be a number between 0 and 1 (e.g. 0.95), got {level!r}")


def main() -> None:
    with guarded(PROGRAM, interrupted=KEPT):
        argv = sys.argv[1:]
        if not any(a in HELP for a in argv):
            check_app_keys(argv)  # also composes every model override, as for reform-run
        app()


if __name__ == "__main__":
    main()
