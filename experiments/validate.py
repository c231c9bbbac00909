"""reform-validate: the validation study (a Hydra app). Quick by default (a few minutes on two
cores, numbers indicative); `--full` for real studies.

Stages (experiments/validation_stages.py): the calibration check, Morris screening, Sobol indices
of the most influential factors, the pressure x technology phase diagram and PRIM scenario
discovery. Every run is a job of Hydra's launcher (joblib by default) written into one sweep
directory through experiments.sweep, as the scenario comparison's runs are; rerunning the same
command resumes. The validation report goes to `<sweep>/report/index.html`, in English or, with
`report.lang=zh`, in Chinese; the language changes no run, so rerunning a finished sweep with
another `report.lang` only re-renders its report.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments.app import Command, HydraSweep, SweepRunner
from experiments.cli import check_command_line, fail, guarded, register_base
from experiments.compare import sweep_name
from experiments.outputs import atomic_write, model_params, provenance
from experiments.paths import CONF_DIR
from experiments.sweepdir import is_finished
from experiments.targets import relative
from simulation import scenarios
from simulation.i18n import LANGUAGES

PROGRAM = "reform-validate"
CONFIG = "validate"
EXIT_FAILED_RUNS = 1
KEPT = "finished runs are kept; rerun the same command to resume"

register_base()
OmegaConf.register_new_resolver("sweep_name", sweep_name, replace=True)


def validate_task(cfg: Any) -> str:
    """One run (in the launcher's worker): its outcomes into summary.json, written last."""
    from analysis.measures.summary import run_metrics
    from analysis.studies.record import model_quantities
    from experiments.targets import run_and_record

    logging.getLogger("MESA").setLevel(logging.WARNING)
    run_dir = Path(HydraConfig.get().runtime.output_dir)
    if is_finished(run_dir):
        return str(run_dir)
    params = model_params(cfg)
    outcomes, series = run_and_record(params)
    # the comparison report's metrics too: the robustness stage judges its verdicts
    # the record's quantities too: the history stage matches them (analysis.studies.record)
    record = model_quantities(series, outcomes["items_cut_share_10y"])
    summary = {
        **provenance(params),
        "outcomes": outcomes,
        "metrics": run_metrics(series),
        "record": record,
    }
    atomic_write(
        run_dir / "summary.json",
        lambda f: json.dump(summary, f, indent=1, default=float),
        binary=False,
    )
    return str(run_dir)


@hydra.main(config_path=str(CONF_DIR), config_name=CONFIG, version_base="1.3")
def app(cfg: DictConfig) -> None:
    from analysis.reports.validation_report import build_validation_report
    from experiments import validation_stages as vs

    here = HydraSweep.now()
    sweep_dir = here.sweep_dir
    with guarded(PROGRAM, interrupted=KEPT):
        study = OmegaConf.to_container(cfg.study, resolve=True)
        calibrated = vs.calibration_overrides(cfg.calibration)
        base = vs.base_with(model_params(cfg), calibrated)
        common = [f"{k}={vs.value_text(v)}" for k, v in calibrated.items()]
        settings = {
            "mode": cfg.mode,
            "study": study,
            "base": _without(base, ("seed", "scenario", "steps")),
        }
        runner = here.runner(PROGRAM, settings, cfg.batch_size, validate_task, extra=common)
        results = run_stages(runner, list(cfg.stages), base, study)
        report = build_validation_report(
            sweep_dir,
            results,
            study,
            settings,
            runner.commands(),
            calibration_in_force(),
            lang=cfg.report.lang,
        )
    runner.tell(relative(sweep_dir))
    print(f"report: {relative(report.path)}\n")
    print(report.answer)
    runner.exit_if_failed()


def run_stages(
    runner: SweepRunner, stages: list[str], base: dict[str, Any], study: dict[str, Any]
) -> dict[str, Any]:
    """Plan, run and analyse each stage in order (Sobol needs Morris's ranking; the history
    stage's runs are asked for by its waves, and robustness draws from its region)."""
    from experiments import validation_stages as vs
    from experiments.history_stage import run_history
    from experiments.robustness_stage import run_robustness

    wanted = {*stages, *(["morris"] if "sobol" in stages else [])}
    results: dict[str, Any] = {}
    for stage in (s for s in vs.STAGES if s in wanted):
        if stage == "history":
            results[stage] = run_history(runner, base, study, results)
            continue
        if stage == "robustness":
            results[stage] = run_robustness(runner, base, study, results)
            continue
        plan = vs.plan(stage, base, study, results)
        runner.run(plan.jobs, plan.stage)
        table = vs.read_outcomes(runner.sweep_dir, plan)
        results[stage] = {"runs": table, **vs.analyse(plan, table, base, study)}
    return results


def calibration_in_force() -> Any:
    from analysis.reports.validation_report import Calibration
    from experiments.targets import CALIBRATED, calibrated_values, relative

    if not CALIBRATED.is_file():
        return Calibration()
    return Calibration(relative(CALIBRATED), calibrated_values())


def _without(params: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k not in keys}


# the command line ------------------------------------------------------------------------------
def check_app_keys(argv: Sequence[str], config_name: str) -> None:
    """The app's own keys (model keys are checked by composing them, as for reform-run)."""
    from experiments import validation_stages as vs

    if any(a in ("-m", "--multirun") for a in argv):
        fail(PROGRAM, "-m: reform-validate sweeps by itself; drop -m")
    if any(a.split("=", 1)[0].lstrip("+~") in ("scenario", "seed") for a in argv if "=" in a):
        fail(
            PROGRAM, "scenario: the validation sets each run's scenario and seed; use study.* keys"
        )
    cfg = check_command_line(PROGRAM, argv, config_name)
    stages = cfg.get("stages")
    if not isinstance(stages, list) or not stages or any(s not in vs.STAGES for s in stages):
        fail(PROGRAM, f"stages: must be a non-empty list of {', '.join(vs.STAGES)}, got {stages!r}")
    _check_calibration(cfg.get("calibration"))
    _check_study(cfg["study"])
    if cfg["report"]["lang"] not in LANGUAGES:
        fail(
            PROGRAM,
            f"report.lang: must be one of {', '.join(LANGUAGES)}, got {cfg['report']['lang']!r}",
        )


def composed(config_name: str, argv: Sequence[str]) -> dict[str, Any]:
    """The app's config under a preset (validate, validate_full) and these overrides."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = compose(
                config_name, overrides=[a for a in argv if "=" in a and not a.startswith("-")]
            )
        return OmegaConf.to_container(cfg, resolve=True)
    finally:
        GlobalHydra.instance().clear()


def _check_calibration(path: Any) -> None:
    if path is None:
        return
    if not isinstance(path, str) or not Path(path).is_file():
        fail(PROGRAM, f"calibration: no such calibration file: {path!r}")
    try:
        from experiments.validation_stages import calibration_overrides
        from simulation.config import resolve

        resolve(**{k.replace(".", "__"): v for k, v in calibration_overrides(path).items()})
    except Exception as err:  # a file that is not a calibration, or one with bad values
        fail(
            PROGRAM,
            f"calibration: {path} is not a usable calibration file ({' '.join(str(err).split())[:160]})",
        )


def _check_study(study: dict[str, Any]) -> None:
    """What the types and bounds of StudySettings cannot say."""
    from analysis.studies.sensitivity import screened

    if study["sobol_n"] & (study["sobol_n"] - 1):
        fail(
            PROGRAM,
            f"study.sobol_n: must be a power of 2 (Saltelli's sample), got {study['sobol_n']}",
        )
    known = scenarios.available()
    for key in (
        "check_scenarios",
        "sensitivity_scenarios",
        "sobol_scenarios",
        "robustness_scenarios",
        "pull_scenarios",
    ):
        names = study[key]
        if not names or any(n not in known for n in names):
            fail(
                PROGRAM,
                f"study.{key}: must be a list of scenarios from {', '.join(known)}, got {names!r}",
            )
    if study["phase_scenario"] not in known:
        fail(PROGRAM, f"study.phase_scenario: unknown scenario {study['phase_scenario']!r}")
    if not set(study["sobol_scenarios"]) <= set(study["sensitivity_scenarios"]):
        fail(
            PROGRAM,
            "study.sobol_scenarios: must be among study.sensitivity_scenarios (Morris ranks the factors)",
        )
    from analysis.studies.record import DISCREPANCY

    targets = study["history_targets"]
    if not targets or any(t not in DISCREPANCY for t in targets):
        fail(
            PROGRAM,
            f"study.history_targets: must be a list of {', '.join(DISCREPANCY)}, got {targets!r}",
        )
    for key in ("prim_factors", "pull_factors"):
        if not study[key] or any(f not in screened() for f in study[key]):
            fail(
                PROGRAM,
                f"study.{key}: must be a list of assumed or calibrated parameters (docs/parameters.md)",
            )


main = Command(
    PROGRAM,
    CONFIG,
    app,
    check=check_app_keys,
    interrupted=KEPT,
    presets={"--full": "validate_full"},
).main


if __name__ == "__main__":
    main()
