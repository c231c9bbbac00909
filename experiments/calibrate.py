"""reform-calibrate: fit the assumed behavioural parameters to the stylized facts (docs/ODD.md,
section 1 'Patterns') with Hydra's Optuna sweeper, then check the best trial on fresh seeds.

Each Optuna trial is one job of Hydra's launcher (joblib by default): it runs the scenarios the
calibrated targets are observed in (`experiments.targets`), with `calibration.seeds` replicates,
writes `trial.json` into its folder and returns the loss (squared errors in units of each target's
tolerance). After the search the best values are rounded, run again on `calibration.check_seeds`
fresh seeds, and written to `<sweep>/calibration.yaml` with their provenance (targets, search,
fit per target), with the fit as a table (`fit.csv`, `fit.md`) and a figure (`fit.png`).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments import targets
from experiments.app import Command
from experiments.cli import check_command_line, fail, register_base
from experiments.outputs import atomic_write, model_params
from experiments.paths import CONF_DIR
from simulation.config import lookup

PROGRAM = "reform-calibrate"
CONFIG = "calibrate"
# the scenarios the calibrated targets are observed in
SCENARIOS = tuple(dict.fromkeys(t.scenario for t in targets.TARGETS if t.calibrated))
CHECK_FIRST_SEED = 1000  # the check's seeds differ from the search's (no fit to the seeds' noise)
INTERVAL = re.compile(r"^\s*interval\(\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\)\s*$")

register_base()


@hydra.main(config_path=str(CONF_DIR), config_name=CONFIG, version_base="1.3")
def trial(cfg: DictConfig) -> float:
    """One Optuna trial (runs in the launcher's worker): measure the targets, return the loss."""
    from experiments.targets import loss, measure

    logging.getLogger("MESA").setLevel(logging.WARNING)
    params = model_params(cfg)
    seeds = range(params["seed"], params["seed"] + int(cfg.calibration.seeds))
    values = measure(params, list(seeds), SCENARIOS).drop(columns="seed").mean().to_dict()
    result = {"values": values, "loss": loss(values)}
    out = Path(HydraConfig.get().runtime.output_dir)
    atomic_write(out / "trial.json", lambda f: json.dump(result, f, indent=1), binary=False)
    return result["loss"]


# the command line ------------------------------------------------------------------------------
def search_and_check(argv: list[str], config_name: str, checked: tuple) -> None:
    """The search (Hydra's Optuna sweeper), unless this folder holds a finished one, then the
    check of its best trial on fresh seeds."""
    cfg, settings, hydra_cfg, space = checked
    sweep_dir = Path(hydra_cfg["sweep_dir"])
    if not search_done(sweep_dir):
        given = any(a.startswith("hydra.sweep.dir=") for a in argv)
        sys.argv = [sys.argv[0], *argv, *([] if given else [f"hydra.sweep.dir={sweep_dir}"])]
        trial()
    finish(sweep_dir, cfg, settings, space, hydra_cfg)


def check_app_keys(argv: list[str], config_name: str = CONFIG) -> tuple[dict, dict, dict, dict]:
    """Every setting of the command line, checked: (config, calibration settings, hydra part,
    search space)."""
    if any(a in ("-m", "--multirun") for a in argv):
        fail(PROGRAM, "-m: reform-calibrate is a sweep by itself; drop -m")
    cfg = check_command_line(PROGRAM, argv, config_name)
    settings = cfg["calibration"]  # types and ranges: CalibrationSettings
    hydra_cfg = composed_hydra(argv)
    space = search_space(hydra_cfg)
    if settings["install"] and any((targets.CALIBRATED.parent / n).exists() for n in INSTALLED):
        fail(
            PROGRAM,
            f"calibration.install: {targets.CALIBRATED.parent} holds a calibration; move it away first",
        )
    return cfg, settings, hydra_cfg, space


def search_done(sweep_dir: Path) -> bool:
    """True when `sweep_dir` holds a finished search not yet checked (the same command then only
    checks and writes the calibration); refuses any other non-empty directory."""
    if not sweep_dir.exists() or not any(sweep_dir.iterdir()):
        return False
    if (sweep_dir / "optimization_results.yaml").is_file() and not (
        sweep_dir / "calibration.yaml"
    ).exists():
        print(
            f"{PROGRAM}: {sweep_dir} holds a finished search; checking its best trial",
            file=sys.stderr,
        )
        return True
    fail(PROGRAM, f"hydra.sweep.dir: {sweep_dir} already exists and is not empty; choose another")
    return False


def composed_hydra(argv: Sequence[str]) -> dict[str, Any]:
    """What this command line makes of the hydra node: sweep dir, search space, sampler."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode
    from omegaconf import OmegaConf

    overrides = [a for a in argv if "=" in a and not a.startswith("-")]
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            # a multirun's composition: the search space may be given as sweeps (interval(...))
            loader = GlobalHydra.instance().config_loader()
            node = loader.load_configuration(CONFIG, overrides, run_mode=RunMode.MULTIRUN).hydra
            composed = {
                "sweep_dir": str(node.sweep.dir),
                "params": OmegaConf.to_container(node.sweeper.params) or {},
                "sampler": OmegaConf.to_container(node.sweeper.sampler),
                "n_trials": node.sweeper.n_trials,
                "n_jobs": node.sweeper.n_jobs,
            }
    finally:
        GlobalHydra.instance().clear()
    for key in ("n_trials", "n_jobs"):
        value = composed[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            fail(PROGRAM, f"hydra.sweeper.{key}: must be a whole number from 1 up, got {value!r}")
    return composed


def search_space(hydra_cfg: Any) -> dict[str, tuple[float, float]]:
    """{parameter: (low, high)} from hydra.sweeper.params; each end must be a valid value."""
    from simulation.config import ConfigError, resolve

    space = {}
    for key, text in hydra_cfg["params"].items():
        match = INTERVAL.match(str(text))
        if not match:
            fail(PROGRAM, f"hydra.sweeper.params.{key}: must be interval(low, high), got {text!r}")
        low, high = float(match.group(1)), float(match.group(2))
        if not low < high:
            fail(PROGRAM, f"hydra.sweeper.params.{key}: low must be below high, got {text!r}")
        for end in (low, high):
            try:
                resolve(**{key.replace(".", "__"): end})
            except ConfigError as err:
                fail(PROGRAM, f"hydra.sweeper.params.{key}: {err}")
        space[str(key)] = (low, high)
    if not space:
        fail(PROGRAM, "hydra.sweeper.params: the search space is empty")
    return space


# after the search --------------------------------------------------------------------------------
def finish(
    sweep_dir: Path,
    cfg: dict[str, Any],
    settings: dict[str, Any],
    space: dict[str, Any],
    hydra_cfg: Any,
) -> None:
    """Check the best trial on fresh seeds and write the calibration with its provenance."""
    from experiments.targets import fit_table

    trials = read_trials(sweep_dir)
    if trials.empty:
        fail(PROGRAM, f"{sweep_dir}: no trial finished")
    best = trials.loc[trials["loss"].idxmin()]
    values = {k: round_sig(float(best[k]), settings["digits"]) for k in space}
    base = {k: v for k, v in cfg.items() if k != "calibration"}
    per_seed = check(base, values, settings["check_seeds"])
    table = fit_table(per_seed)
    record = calibration_record(cfg, settings, space, hydra_cfg, trials, best, values, table)
    write_outputs(sweep_dir, record, trials, per_seed, table)
    if settings["install"]:
        write_outputs(targets.CALIBRATED.parent, record, trials, per_seed, table)
    tell(sweep_dir, table, values, settings)


OUTPUTS = ("trials.csv", "check.csv", "fit.csv", "fit.md", "fit.png")
INSTALLED = (*OUTPUTS, "calibrated.yaml")


def write_outputs(folder: Path, record: dict, trials: Any, per_seed: Any, table: Any) -> None:
    """The calibration (calibration.yaml, or calibrated.yaml where it is installed) with its
    trials, the check's per-seed values and the fit as a table and a figure; the YAML last."""
    from analysis.reports.calibration import fit_markdown, plot_fit

    atomic_write(folder / "trials.csv", lambda f: trials.to_csv(f, index=False), binary=False)
    atomic_write(folder / "check.csv", lambda f: per_seed.to_csv(f, index=False), binary=False)
    atomic_write(folder / "fit.csv", lambda f: table.to_csv(f, index=False), binary=False)
    atomic_write(folder / "fit.md", lambda f: f.write(fit_markdown(table)), binary=False)
    atomic_write(folder / "fit.png", lambda f: plot_fit(table, trials, f))
    name = targets.CALIBRATED.name if folder == targets.CALIBRATED.parent else "calibration.yaml"
    write_yaml(folder / name, record)


def read_trials(sweep_dir: Path) -> Any:
    """One row per finished trial: its number, searched values, measured targets and loss."""
    import pandas as pd
    import yaml

    rows = []
    for path in sorted(sweep_dir.glob("trial*/trial.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        overrides = yaml.safe_load(
            (path.parent / ".hydra" / "overrides.yaml").read_text(encoding="utf-8")
        )
        searched = {
            o.split("=", 1)[0]: float(o.split("=", 1)[1]) for o in overrides if _is_number(o)
        }
        rows.append(
            {
                "trial": int(path.parent.name[5:]),
                **searched,
                **result["values"],
                "loss": result["loss"],
            }
        )
    return (
        pd.DataFrame(rows).sort_values("trial").reset_index(drop=True) if rows else pd.DataFrame()
    )


def _is_number(override: str) -> bool:
    try:
        float(override.split("=", 1)[1])
    except (IndexError, ValueError):
        return False
    return True


def check(base: dict[str, Any], values: dict[str, float], seeds: int) -> Any:
    """Every target on fresh seeds, two processes at a time."""
    import pandas as pd
    from joblib import Parallel, delayed

    from simulation.config import merge, nest

    config = merge(base, nest(values))
    chosen = range(CHECK_FIRST_SEED, CHECK_FIRST_SEED + seeds)
    parts = Parallel(n_jobs=2)(delayed(_measure_one)(config, s) for s in chosen)
    failed = [p for p in parts if isinstance(p, str)]
    if failed:
        fail(PROGRAM, f"the check of the best values failed: {failed[0]}")
    return pd.concat(parts, ignore_index=True)


def _measure_one(config: dict[str, Any], seed: int) -> Any:
    """One seed of the check; an error comes back as one line (not every exception pickles)."""
    from experiments.targets import measure

    try:
        return measure(config, [seed])
    except Exception as err:  # reported by the parent, which fails with one line
        return f"seed {seed}: {type(err).__name__}: {' '.join(str(err).split())[:200]}"


def round_sig(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def calibration_record(
    cfg, settings, space, hydra_cfg, trials, best, values, table
) -> dict[str, Any]:
    """The calibration and where it comes from: targets, search, fit per target."""
    from experiments.outputs import git_commit
    from simulation import __version__
    from simulation.parameters import defaults

    previous = defaults()
    return {
        "parameters": values,
        "previous_defaults": {k: lookup(previous, k) for k in values},
        "provenance": {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["reform-calibrate", *sys.argv[1:]]),
            "git_commit": git_commit(),
            "package_version": __version__,
            "search": {
                "method": "Hydra Optuna sweeper (hydra-optuna-sweeper), one trial per launcher job",
                "sampler": hydra_cfg["sampler"],
                "trials": int(len(trials)),
                "space": {k: list(v) for k, v in space.items()},
                "seeds_per_trial": settings["seeds"],
                "first_seed": cfg.get("seed", 0),
                "population": {k: cfg["population"][k] for k in ("citizens", "enterprises")},
                "warmup": cfg.get("warmup"),
                "loss": "sum over calibrated targets of (distance outside the observed band / tolerance)^2",
                "best_trial": int(best["trial"]),
                "best_loss": float(best["loss"]),
            },
            "targets": [_target_record(t) for t in targets.TARGETS],
            "check": {
                "seeds": settings["check_seeds"],
                "first_seed": CHECK_FIRST_SEED,
                "rounded_to_significant_digits": settings["digits"],
            },
        },
        "fit": [_fit_row(r) for r in table.to_dict("records")],
        "not_met": [r["target"] for r in table.to_dict("records") if not r["fits"]],
    }


def _target_record(t) -> dict[str, Any]:
    return {
        "name": t.name,
        "label": t.label,
        "scenario": t.scenario,
        "observed": [t.low, t.high],
        "tolerance": t.tolerance,
        "calibrated": t.calibrated,
        "source": t.source,
    }


def _fit_row(row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "target",
        "model",
        "ci_low",
        "ci_high",
        "observed_low",
        "observed_high",
        "error",
        "fits",
    )
    return {
        k: (
            bool(row[k])
            if k == "fits"
            else str(row[k])
            if k == "target"
            else round(float(row[k]), 4)
        )
        for k in keys
    }


def write_yaml(path: Path, record: dict[str, Any]) -> None:
    import yaml

    header = "# Calibrated parameters with their provenance, written by reform-calibrate.\n"
    atomic_write(
        path, lambda f: f.write(header + yaml.safe_dump(record, sort_keys=False)), binary=False
    )


def tell(sweep_dir: Path, table: Any, values: dict[str, float], settings: dict[str, Any]) -> None:
    from experiments.targets import relative

    where = relative(sweep_dir)
    print(f"{PROGRAM}: best values, checked on {settings['check_seeds']} fresh seeds:")
    for key, value in values.items():
        print(f"  {key} = {value:g}")
    for row in table.to_dict("records"):
        mark = "fits" if row["fits"] else "MISSES"
        print(
            f"  {row['target']:<22} model {row['model']:.3f}  observed {row['observed_low']:.3f}"
            f"{'' if row['observed_low'] == row['observed_high'] else '-' + format(row['observed_high'], '.3f')}"
            f"  {mark} (tolerance {row['tolerance']:g})"
        )
    print(f"calibration: {where}/calibration.yaml\nfit:         {where}/fit.png, {where}/fit.md")
    if not settings["install"]:
        print(
            f"to make it the default: reform-calibrate ... calibration.install=true, or copy it to "
            f"{relative(targets.CALIBRATED.parent)}/ (calibration.yaml as calibrated.yaml) and set the values "
            "in simulation/parameters.py"
        )


main = Command(
    PROGRAM,
    CONFIG,
    trial,
    check=check_app_keys,
    interrupted="finished trials are kept in the sweep folder",
    hand_over=search_and_check,
).main


if __name__ == "__main__":
    main()
