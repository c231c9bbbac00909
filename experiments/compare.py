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
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
from omegaconf import DictConfig, OmegaConf

from experiments import factors
from experiments.app import Command, HydraSweep
from experiments.cli import (
    BadInput,
    check_command_line,
    check_scenario_files,
    check_scenario_names,
    fail,
    guarded,
    register_base,
)
from experiments.outputs import config_hash, model_params
from experiments.paths import CONF_DIR
from experiments.sweep import job_configs
from experiments.sweepdir import Job
from simulation import scenarios
from simulation.i18n import LANGUAGES

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
    from analysis.reports.report import (
        ReportError,  # heavy (matplotlib, scipy): only once input is checked
    )

    here = HydraSweep.now()
    sweep_dir = here.sweep_dir
    with guarded(PROGRAM, interrupted=KEPT):
        jobs, settings = plan(cfg, here.overrides)
        runner = here.runner(PROGRAM, settings, cfg.batch_size)
        try:
            answer = runner.run(jobs, then=lambda: _analyse(sweep_dir, cfg))
        except ReportError as err:
            runner.tell(_relative(sweep_dir))
            fail(PROGRAM, str(err), EXIT_FAILED_RUNS)
    runner.tell(_relative(sweep_dir))
    _tell(sweep_dir, answer, cfg.report.lang)
    runner.exit_if_failed()


def plan(cfg: DictConfig, overrides: Sequence[str]) -> tuple[list[Job], dict[str, Any]]:
    """The runs of this comparison (with the config hash each must have) and the experiment's
    settings: every model parameter except the scenario and the seed, and the factors. Each
    scenario runs at every combination of the factors' values (experiments/factors.py)."""
    scenarios = chosen_scenarios(cfg.scenarios)
    seeds = range(int(cfg.seed), int(cfg.seed) + int(cfg.seeds))
    factor_values = OmegaConf.to_container(cfg.factors, resolve=True) if cfg.factors else {}
    cells = [(s, level) for s in scenarios for level in factors.levels(factor_values)]
    firsts = [_job(s, level, seeds[0]) for s, level in cells]
    composed = job_configs(CONFIG, overrides, firsts)
    params = {i: model_params(_task_part(c)) for i, c in enumerate(composed)}
    jobs = [
        _job(s, level, k, {"config_hash": config_hash({**params[i], "seed": k})})
        for i, (s, level) in enumerate(cells)
        for k in seeds
    ]
    settings = {k: v for k, v in params[0].items() if k not in ("seed", "scenario")}
    if factor_values:
        settings[factors.KEY] = factor_values
    return jobs, settings


def _job(
    scenario: str, level: dict[str, Any], seed: int, meta: dict[str, Any] | None = None
) -> Job:
    """One run: `<scenario>/[<factor>=<value>/]seed<k>`, its overrides and what sweep.json
    records of it (scenario, seed, factors)."""
    where = "/".join(p for p in (scenario, factors.folder(level), f"seed{seed}") if p)
    record = {
        "scenario": scenario,
        "seed": seed,
        **({"factors": level} if level else {}),
        **(meta or {}),
    }
    return Job(where, (f"scenario={scenario}", f"seed={seed}", *factors.overrides(level)), record)


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
    from analysis.reports.sweep_report import build
    from experiments.collect import collect
    from experiments.report import read_robustness

    collected = collect(sweep_dir)
    horizon = None if cfg.report.horizon == "auto" else int(cfg.report.horizon)
    where = cfg.report.robustness
    robust = read_robustness(Path(where)) if where else None
    level = float(cfg.report.level)
    return build(
        sweep_dir, collected, horizon=horizon, level=level, robustness=robust, lang=cfg.report.lang
    ).answer


def _tell(sweep_dir: Path, answer: str, lang: str = "en") -> None:
    from analysis.reports.report import report_folder

    where = _relative(sweep_dir)
    page = _relative(report_folder(sweep_dir, lang) / "index.html")
    print(f"results: {where}/results.parquet\nreport:  {page}\n")
    for line in answer.replace(" %", "\u00a0%").split("\n"):  # keep "64 %" on one line
        print(textwrap.fill(line, width=100, subsequent_indent="  " if line[:2] == "- " else ""))


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_app_keys(argv: Sequence[str], config_name: str = CONFIG) -> None:
    """The comparison's own keys (the model's are checked by composing them, as for reform-run)."""
    if any(a in ("-m", "--multirun") for a in argv):
        fail(
            PROGRAM,
            "-m: reform-compare sweeps by itself; drop -m (use scenarios=[...] and seeds=N)",
        )
    if any(a.split("=", 1)[0].lstrip("+~") == "scenario" for a in argv if "=" in a):
        fail(PROGRAM, "scenario: reform-compare runs several scenarios; use scenarios=[a,b,...]")
    changed = [a.split("=", 1)[0] for a in argv if a.lstrip("+~").startswith("scenario.")]
    if changed:
        fail(
            PROGRAM,
            f"{changed[0].lstrip('+~')}: reform-compare keeps each scenario as its file says "
            "(changing all of them would keep their names); copy a file, edit it and compare "
            "it by path: scenarios=[internal_reform,./my_variant.yaml]",
        )
    cfg = check_command_line(PROGRAM, argv, config_name)  # types and ranges: CompareSettings
    seeds, first = cfg["seeds"], cfg["seed"]
    if first + seeds - 1 > 2**32 - 1:
        fail(PROGRAM, f"seeds: seed + seeds - 1 must stay below 2^32, got {first} + {seeds} - 1")
    _check_scenarios(cfg["scenarios"])
    check_scenario_files(PROGRAM, CONFIG, argv, chosen_scenarios(cfg["scenarios"]), "scenarios")
    horizon = cfg["report"]["horizon"]
    if horizon != "auto" and (
        not isinstance(horizon, int) or isinstance(horizon, bool) or horizon < 1
    ):
        fail(
            PROGRAM,
            f"report.horizon: must be 'auto' or a whole number of months >= 1, got {horizon!r}",
        )
    if cfg["report"]["lang"] not in LANGUAGES:
        fail(
            PROGRAM,
            f"report.lang: must be one of {', '.join(LANGUAGES)}, got {cfg['report']['lang']!r}",
        )
    if cfg["report"]["robustness"]:
        from experiments.report import read_robustness

        try:
            read_robustness(Path(cfg["report"]["robustness"]))
        except BadInput as err:
            fail(PROGRAM, str(err).replace("--robustness", "report.robustness", 1))


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


main = Command(
    PROGRAM, CONFIG, app, check=check_app_keys, interrupted=KEPT, rewrite=factors.fold
).main


if __name__ == "__main__":
    main()
