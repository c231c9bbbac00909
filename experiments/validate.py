"""reform-validate: the validation study (a Hydra app). Quick by default (a few minutes on two
cores, numbers indicative); `--full` for real studies.

Stages (experiments/validation_stages.py): the calibration check, Morris screening, Sobol indices
of the most influential factors, the pressure x technology phase diagram and PRIM scenario
discovery. Every run is a job of Hydra's launcher (joblib by default) written into one sweep
directory through experiments.sweep, as the scenario comparison's runs are; rerunning the same
command resumes. The validation report goes to `<sweep>/report/index.html`.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments.cli import HELP, check_command_line, fail, guarded, register_base
from experiments.compare import sweep_name
from experiments.outputs import atomic_write, model_params, provenance
from experiments.paths import CONF_DIR
from experiments.sweep import launch
from experiments.sweepdir import SweepError, claim, is_finished
from simulation import scenarios

PROGRAM = "reform-validate"
CONFIG = "validate"
EXIT_FAILED_RUNS = 1
KEPT = "finished runs are kept; rerun the same command to resume"

register_base()
OmegaConf.register_new_resolver("sweep_name", sweep_name, replace=True)


def validate_task(cfg: Any) -> str:
    """One run (in the launcher's worker): its outcomes into summary.json, written last."""
    from experiments.targets import run_and_measure

    logging.getLogger("MESA").setLevel(logging.WARNING)
    run_dir = Path(HydraConfig.get().runtime.output_dir)
    if is_finished(run_dir):
        return str(run_dir)
    params = model_params(cfg)
    summary = {**provenance(params), "outcomes": run_and_measure(params)}
    atomic_write(
        run_dir / "summary.json",
        lambda f: json.dump(summary, f, indent=1, default=float),
        binary=False,
    )
    return str(run_dir)


@hydra.main(config_path=str(CONF_DIR), config_name=CONFIG, version_base="1.3")
def app(cfg: DictConfig) -> None:
    from analysis.validation_report import build_validation_report
    from experiments import validation_stages as vs

    hc = HydraConfig.get()
    sweep_dir = Path(hc.runtime.output_dir)
    overrides = [*hc.overrides.hydra, *hc.overrides.task]
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
        runner = Runner(
            sweep_dir, settings, [*overrides, *common], cfg.batch_size, hc.job.config_name
        )
        try:
            results = run_stages(runner, list(cfg.stages), base, study)
            report = build_validation_report(
                sweep_dir, results, study, settings, runner.commands(), calibration_in_force()
            )
        except SweepError as err:
            fail(PROGRAM, f"hydra.sweep.dir: {err}")
    _tell(sweep_dir, runner, report)
    if runner.failed:
        raise SystemExit(EXIT_FAILED_RUNS)


class Runner:
    """Launches a stage's jobs into the sweep and keeps count."""

    def __init__(
        self,
        sweep_dir: Path,
        settings: dict[str, Any],
        overrides: list[str],
        batch_size: int | None,
        config_name: str,
    ):
        self.sweep_dir, self.settings, self.overrides = sweep_dir, settings, overrides
        self.batch_size, self.config_name = batch_size, config_name
        self.failed: dict[str, str] = {}
        self.counts = {"already": 0, "done": 0}
        self.record: dict[str, Any] = {}

    def run(self, plan: Any) -> None:
        print(f"{PROGRAM}: stage {plan.stage}: {len(plan.jobs)} runs", file=sys.stderr)
        with claim(self.sweep_dir, PROGRAM, self.settings, plan.jobs) as record:
            outcome = launch(
                self.sweep_dir,
                plan.jobs,
                self.config_name,
                self.overrides,
                task=validate_task,
                batch_size=self.batch_size,
            )
        self.record = record
        self.failed.update(outcome.failed)
        self.counts["already"] += len(outcome.already)
        self.counts["done"] += len(outcome.done)

    def commands(self) -> list[str]:
        return [c["command"] for c in self.record.get("commands", [])]


def run_stages(
    runner: Runner, stages: list[str], base: dict[str, Any], study: dict[str, Any]
) -> dict[str, Any]:
    """Plan, run and analyse each stage in order (Sobol needs Morris's ranking)."""
    from experiments import validation_stages as vs

    results: dict[str, Any] = {}
    if "check" in stages:
        plan = vs.plan_check(base, study)
        runner.run(plan)
        table = vs.read_outcomes(runner.sweep_dir, plan)
        results["check"] = {"runs": table, "fit": vs.check_results(table)}
    if "morris" in stages or "sobol" in stages:
        plan = vs.plan_morris(base, study)
        runner.run(plan)
        table = vs.read_outcomes(runner.sweep_dir, plan)
        results["morris"] = {
            "runs": table,
            "indices": vs.morris_results(plan, table, study),
            "factors": plan.factors,
        }
    if "sobol" in stages:
        plan = vs.plan_sobol(base, study, results["morris"]["indices"])
        runner.run(plan)
        table = vs.read_outcomes(runner.sweep_dir, plan)
        results["sobol"] = {
            "runs": table,
            "indices": vs.sobol_results(plan, table, study),
            "factors": plan.factors,
        }
    if "phase" in stages:
        plan = vs.plan_phase(base, study)
        runner.run(plan)
        results["phase"] = {"runs": vs.read_outcomes(runner.sweep_dir, plan)}
    if "prim" in stages:
        plan = vs.plan_prim(base, study)
        runner.run(plan)
        table = vs.read_outcomes(runner.sweep_dir, plan)
        results["prim"] = {
            "runs": table,
            "box": vs.prim_results(table, study),
            "bounds": vs.prim_bounds(base, study),
        }
    return results


def calibration_in_force() -> Any:
    from analysis.validation_report import Calibration
    from experiments.targets import CALIBRATED, calibrated_values, relative

    if not CALIBRATED.is_file():
        return Calibration()
    return Calibration(relative(CALIBRATED), calibrated_values())


def _without(params: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k not in keys}


def _tell(sweep_dir: Path, runner: Runner, report: Any) -> None:
    from experiments.targets import relative

    where = relative(sweep_dir)
    total = runner.counts["already"] + runner.counts["done"] + len(runner.failed)
    print(
        f"{PROGRAM}: {total} runs in {where} ({runner.counts['already']} finished before, "
        f"{runner.counts['done']} now, {len(runner.failed)} failed)"
    )
    for name, why in list(runner.failed.items())[:20]:
        print(f"{PROGRAM}: run {name} failed: {why}", file=sys.stderr)
    print(f"report: {relative(report.path)}\n")
    print(report.answer)


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
    _check_study(cfg.get("study") or {})
    size = cfg.get("batch_size")
    if size is not None and (not _whole(size) or size < 1):
        fail(PROGRAM, f"batch_size: must be null or a whole number >= 1, got {size!r}")


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


WHOLE = {
    "seed": (0, 2**31),
    "citizens": (1, 5_000_000),
    "enterprises": (1, 1_000_000),
    "steps": (36, 2400),
    "check_seeds": (1, 1000),
    "check_steps": (120, 2400),
    "morris_trajectories": (2, 1000),
    "morris_levels": (2, 20),
    "sobol_n": (2, 65536),
    "sobol_factors": (2, 20),
    "phase_size": (2, 50),
    "phase_seeds": (1, 100),
    "prim_runs": (20, 100_000),
}
SHARES = ("spread", "threshold", "min_density", "level")


def _check_study(study: dict[str, Any]) -> None:
    from analysis.sensitivity import SCREENED

    for key, (low, high) in WHOLE.items():
        value = study.get(key)
        if not _whole(value) or not low <= value <= high:
            fail(
                PROGRAM, f"study.{key}: must be a whole number from {low} to {high}, got {value!r}"
            )
    if study["sobol_n"] & (study["sobol_n"] - 1):
        fail(
            PROGRAM,
            f"study.sobol_n: must be a power of 2 (Saltelli's sample), got {study['sobol_n']}",
        )
    for key in SHARES:
        value = study.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            fail(PROGRAM, f"study.{key}: must be a number between 0 and 1, got {value!r}")
    known = scenarios.available()
    for key in ("check_scenarios", "sensitivity_scenarios", "sobol_scenarios"):
        names = study.get(key)
        if not isinstance(names, list) or not names or any(n not in known for n in names):
            fail(
                PROGRAM,
                f"study.{key}: must be a list of scenarios from {', '.join(known)}, got {names!r}",
            )
    if study.get("phase_scenario") not in known:
        fail(PROGRAM, f"study.phase_scenario: unknown scenario {study.get('phase_scenario')!r}")
    if not set(study["sobol_scenarios"]) <= set(study["sensitivity_scenarios"]):
        fail(
            PROGRAM,
            "study.sobol_scenarios: must be among study.sensitivity_scenarios (Morris ranks the factors)",
        )
    factors = study.get("prim_factors")
    if not isinstance(factors, list) or any(f not in SCREENED for f in factors):
        fail(
            PROGRAM,
            f"study.prim_factors: must be a list of screened parameters ({', '.join(SCREENED)})",
        )
    for key in ("max_pressure", "prim_max_pressure"):
        value = study.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 10:
            fail(PROGRAM, f"study.{key}: must be a number in (0, 10], got {value!r}")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def main() -> None:
    with guarded(PROGRAM, interrupted=KEPT):
        argv = sys.argv[1:]
        config_name = CONFIG
        if "--full" in argv:
            argv = [a for a in argv if a != "--full"]
            config_name = "validate_full"
        if not any(a in HELP for a in argv):
            check_app_keys(argv, config_name)
        sys.argv = [
            sys.argv[0],
            *argv,
            *(["--config-name", config_name] if config_name != CONFIG else []),
        ]
        app()


if __name__ == "__main__":
    main()
