"""The runs of each validation stage, and what each stage makes of them.

Stages: `check` (the stylized facts, and the scenarios the article's claim compares), `morris`
(screening of every assumed and calibrated parameter over its plausible range), `sobol` (per
outcome, that outcome's most influential factors of the screening), `phase` (pressure strength x
technology level), `prim` (scenario discovery) and `robustness` (every verdict the reports print,
under a Latin hypercube of the assumed parameters' plausible ranges). A stage's plan is deterministic (seeded
samples), so rerunning the same command finds the same runs and resumes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.outcomes import OUTCOMES
from analysis.studies import discovery, phase, pull, robustness, sensitivity
from experiments.outputs import config_hash
from experiments.sweepdir import FINISHED_MARK, Job, is_finished
from experiments.targets import TARGETS, scenario_config
from simulation.config import merge, nest, resolve
from simulation.parameters import plausible_ranges

METRIC = "metric."  # the comparison report's run metrics, in a table of outcomes
STAGES = ("check", "morris", "sobol", "phase", "prim", "pull", "history", "robustness")


@dataclass
class Plan:
    """A stage's runs and, per run, the point of the design it evaluates."""

    stage: str
    jobs: list[Job]
    points: pd.DataFrame  # one row per job (same order): job name, scenario, seed, design values
    factors: list[sensitivity.Factor] = field(default_factory=list)
    design: np.ndarray | None = None  # the SALib sample (rows of `points` per scenario, in order)
    # Sobol: per outcome, its own factors and sample (`points` has an `outcome` column)
    by_outcome: dict[str, tuple[list[sensitivity.Factor], np.ndarray]] = field(default_factory=dict)


def value_text(value: Any) -> str:
    """A value as Hydra's override grammar reads it back exactly."""
    return repr(float(value)) if isinstance(value, float | np.floating) else str(value)


def make_job(
    name: str,
    base: Mapping[str, Any],
    scenario: str,
    seed: int,
    settings: Mapping[str, Any],
    values: Mapping[str, Any],
    meta: Mapping[str, Any],
) -> Job:
    """One run: scenario, seed, run settings (steps, population) and parameter values (dotted)."""
    assigned = {
        "steps": settings["steps"],
        "population.citizens": settings["citizens"],
        "population.enterprises": settings["enterprises"],
        **values,
    }
    params = resolve(
        merge(base, {"scenario": scenario_config(scenario), "seed": seed}),
        **{k.replace(".", "__"): v for k, v in assigned.items()},
    )
    overrides = (
        f"scenario={scenario}",
        f"seed={seed}",
        *(f"{k}={value_text(v)}" for k, v in assigned.items()),
    )
    return Job(
        name,
        overrides,
        {"scenario": scenario, "seed": seed, "config_hash": config_hash(params), **meta},
    )


def sizes(study: Mapping[str, Any]) -> dict[str, int]:
    """Run length and population of the sensitivity, phase and PRIM runs."""
    return {
        "steps": study["steps"],
        "citizens": study["citizens"],
        "enterprises": study["enterprises"],
    }


def check_sizes(base: Mapping[str, Any], study: Mapping[str, Any]) -> dict[str, int]:
    """The check runs at the parameter table's population: the one the calibration used."""
    pop = base["population"]
    return {
        "steps": study["check_steps"],
        "citizens": pop["citizens"],
        "enterprises": pop["enterprises"],
    }


# plans -------------------------------------------------------------------------------------------
def plan_check(base: Mapping[str, Any], study: Mapping[str, Any]) -> Plan:
    """Every scenario the facts and the claim need, `check_seeds` replicates each."""
    scenarios = list(dict.fromkeys([*study["check_scenarios"], *(t.scenario for t in TARGETS)]))
    seeds = range(study["seed"], study["seed"] + study["check_seeds"])
    jobs, rows = [], []
    for s in scenarios:
        for k in seeds:
            jobs.append(
                make_job(f"check/{s}/seed{k}", base, s, k, check_sizes(base, study), {}, {})
            )
            rows.append({"job": jobs[-1].name, "scenario": s, "seed": k})
    return Plan("check", jobs, pd.DataFrame(rows))


def plan_design(
    stage: str,
    base: Mapping[str, Any],
    study: Mapping[str, Any],
    scenarios: Sequence[str],
    factors: list[sensitivity.Factor],
    design: np.ndarray,
    prefix: str = "",
    meta: Mapping[str, Any] | None = None,
) -> Plan:
    """One run per row of a SALib design, per scenario, all with the study's first seed."""
    jobs, rows = [], []
    for s in scenarios:
        for i, x in enumerate(design):
            values = {f.name: sensitivity.run_value(f, v) for f, v in zip(factors, x)}
            name = f"{stage}/{prefix}{s}/run{i:05d}"
            jobs.append(make_job(name, base, s, study["seed"], sizes(study), values, {}))
            rows.append({"job": name, "scenario": s, "seed": study["seed"], **(meta or {})})
            rows[-1].update(values)
    return Plan(stage, jobs, pd.DataFrame(rows), factors, design)


def plan_morris(base: Mapping[str, Any], study: Mapping[str, Any]) -> Plan:
    factors = sensitivity.plausible_factors(sensitivity.screened())
    design = sensitivity.morris_design(
        factors, study["morris_trajectories"], study["seed"], study["morris_levels"]
    )
    return plan_design("morris", base, study, study["sensitivity_scenarios"], factors, design)


def plan_sobol(base: Mapping[str, Any], study: Mapping[str, Any], morris: pd.DataFrame) -> Plan:
    """Per outcome, a Saltelli sample over that outcome's own most influential factors."""
    ranked = morris[morris["scenario"].isin(study["sobol_scenarios"])]  # where Sobol looks
    jobs, frames, by_outcome = [], [], {}
    for outcome in OUTCOMES:
        chosen = sensitivity.most_influential(
            ranked[ranked["outcome"] == outcome], study["sobol_factors"]
        )
        factors = sensitivity.plausible_factors(chosen)
        design = sensitivity.sobol_design(factors, study["sobol_n"], study["seed"])
        part = plan_design(
            "sobol", base, study, study["sobol_scenarios"], factors, design,
            prefix=f"{outcome}/", meta={"outcome": outcome},
        )  # fmt: skip
        jobs += part.jobs
        frames.append(part.points)
        by_outcome[outcome] = (factors, design)
    points = pd.concat(frames, ignore_index=True)
    return Plan("sobol", jobs, points, by_outcome=by_outcome)


def plan_phase(base: Mapping[str, Any], study: Mapping[str, Any]) -> Plan:
    scenario = study["phase_scenario"]
    params = phase.with_scenario(resolve(base), scenario_config(scenario))
    pressures, levels = phase.grid(study["phase_size"], params, study["max_pressure"])
    seeds = range(study["seed"], study["seed"] + study["phase_seeds"])
    jobs, rows = [], []
    for i, p in enumerate(pressures):
        for j, level in enumerate(levels):
            point = {phase.PRESSURE: float(p), phase.TECHNOLOGY: float(level)}
            values = phase.overrides(point, params)
            for k in seeds:
                jobs.append(
                    make_job(
                        f"phase/p{i:02d}_t{j:02d}/seed{k}",
                        base,
                        scenario,
                        k,
                        sizes(study),
                        values,
                        {},
                    )
                )
                rows.append({"job": jobs[-1].name, "scenario": scenario, "seed": k, **point})
    return Plan("phase", jobs, pd.DataFrame(rows))


def prim_bounds(
    base: Mapping[str, Any], study: Mapping[str, Any]
) -> dict[str, tuple[float, float]]:
    params = phase.with_scenario(resolve(base), scenario_config(study["phase_scenario"]))
    low, high = phase.level_range(params)
    bounds = {
        phase.PRESSURE: (0.0, float(study["prim_max_pressure"])),
        phase.TECHNOLOGY: (low, low + 0.95 * (high - low)),
    }
    for f in sensitivity.plausible_factors(study["prim_factors"]):
        bounds[f.name] = (f.low, f.high)
    return bounds


def plan_prim(base: Mapping[str, Any], study: Mapping[str, Any]) -> Plan:
    scenario = study["phase_scenario"]
    params = phase.with_scenario(resolve(base), scenario_config(scenario))
    sample = discovery.latin_hypercube(prim_bounds(base, study), study["prim_runs"], study["seed"])
    jobs, rows = [], []
    for i, point in enumerate(sample.to_dict("records")):
        values = phase.overrides(point, params)
        jobs.append(
            make_job(f"prim/run{i:05d}", base, scenario, study["seed"], sizes(study), values, {})
        )
        rows.append({"job": jobs[-1].name, "scenario": scenario, "seed": study["seed"], **point})
    return Plan("prim", jobs, pd.DataFrame(rows))


def plan_pull(base: Mapping[str, Any], study: Mapping[str, Any]) -> Plan:
    """Each of `pull_factors` at `pull_levels` values over its plausible range, one at a time, in
    each of `pull_scenarios` with the same seeds (the others at the table's values)."""
    seeds = range(study["seed"], study["seed"] + study["pull_seeds"])
    jobs, rows = [], []
    for factor in sensitivity.plausible_factors(study["pull_factors"]):
        for i, value in enumerate(pull.levels(factor, study["pull_levels"])):
            for s in study["pull_scenarios"]:
                for k in seeds:
                    name = f"pull/{factor.name}/l{i:02d}/{s}/seed{k}"
                    values = {factor.name: value}
                    jobs.append(make_job(name, base, s, k, sizes(study), values, {}))
                    rows.append(
                        {"job": name, "scenario": s, "seed": k, pull.FACTOR: factor.name,
                         pull.LEVEL: i, pull.VALUE: value}
                    )  # fmt: skip
    return Plan("pull", jobs, pd.DataFrame(rows))


def plan_robustness(
    base: Mapping[str, Any], study: Mapping[str, Any], region: pd.DataFrame | None = None
) -> Plan:
    """The table's values (world `table`) and `robustness_draws` worlds: a Latin hypercube over
    the plausible ranges of every assumed parameter or, given a history region, points of the
    region (every uncertain parameter, calibrated ones included). In each world every scenario
    runs with the same seeds."""
    if region is not None and len(region):
        factors = sensitivity.plausible_factors(list(region.columns))
        picked = np.random.default_rng(study["seed"]).choice(
            len(region), min(len(region), study["robustness_draws"]), replace=False
        )  # never the same world twice: repeated worlds would narrow the interval falsely
        sample = region.iloc[np.sort(picked)]
    else:
        factors = sensitivity.plausible_factors(list(plausible_ranges(("assumed",))))
        bounds = {f.name: (f.low, f.high) for f in factors}
        sample = discovery.latin_hypercube(bounds, study["robustness_draws"], study["seed"])
    worlds = [("table", {})] + [
        (f"draw{i:04d}", {f.name: sensitivity.run_value(f, row[f.name]) for f in factors})
        for i, row in enumerate(sample.to_dict("records"))
    ]
    seeds = range(study["seed"], study["seed"] + study["robustness_seeds"])
    jobs, rows = [], []
    for world, values in worlds:
        for s in study["robustness_scenarios"]:
            for k in seeds:
                name = f"robustness/{world}/{s}/seed{k}"
                jobs.append(make_job(name, base, s, k, sizes(study), values, {}))
                rows.append({"job": name, "world": world, "scenario": s, "seed": k, **values})
    return Plan("robustness", jobs, pd.DataFrame(rows), factors)


# results -----------------------------------------------------------------------------------------
def plan(
    stage: str, base: Mapping[str, Any], study: Mapping[str, Any], results: Mapping[str, Any]
) -> Plan:
    """The runs of one stage (Sobol reads the Morris ranking in `results`)."""
    if stage == "sobol":
        return plan_sobol(base, study, results["morris"]["indices"])
    planners = {
        "check": plan_check,
        "morris": plan_morris,
        "phase": plan_phase,
        "prim": plan_prim,
        "pull": plan_pull,
        "robustness": plan_robustness,
    }
    return planners[stage](base, study)


def analyse(
    plan: Plan, table: pd.DataFrame, base: Mapping[str, Any], study: Mapping[str, Any]
) -> dict[str, Any]:
    """What the report reads of one stage, besides its runs."""
    if plan.stage == "check":
        return {"fit": check_results(table)}
    if plan.stage == "morris":
        return {"indices": morris_results(plan, table, study), "factors": plan.factors}
    if plan.stage == "sobol":
        factors = {o: f for o, (f, _) in plan.by_outcome.items()}
        return {"indices": sobol_results(plan, table, study), "factors": factors}
    if plan.stage == "prim":
        return {"box": prim_results(table, study), "bounds": prim_bounds(base, study)}
    if plan.stage == "robustness":
        return {"table": robustness_results(plan, table, study), "factors": plan.factors}
    return {}


def read_outcomes(sweep_dir: Path, plan: Plan) -> pd.DataFrame:
    """The plan's points with every outcome of their finished runs (NaN for unfinished ones)."""
    rows = []
    for name in plan.points["job"]:
        path = Path(sweep_dir) / name
        summary = (
            json.loads((path / FINISHED_MARK).read_text(encoding="utf-8"))
            if is_finished(path)
            else {}
        )
        metrics = {f"{METRIC}{k}": v for k, v in summary.get("metrics", {}).items()}
        rows.append({"finished": bool(summary), **summary.get("outcomes", {}), **metrics})
    return pd.concat([plan.points.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


def check_results(table: pd.DataFrame) -> pd.DataFrame:
    """Per seed, each target measured in its scenario (the calibration check)."""
    from experiments.targets import fit_table

    per_seed = pd.DataFrame({"seed": sorted(table["seed"].unique())}).set_index("seed")
    for t in TARGETS:
        part = table[table["scenario"] == t.scenario].set_index("seed")[t.metric]
        per_seed[t.name] = part
    return fit_table(per_seed.reset_index())


def design_outcomes(table: pd.DataFrame, scenario: str) -> dict[str, np.ndarray]:
    part = table[table["scenario"] == scenario]
    return {o: part[o].to_numpy(float) for o in OUTCOMES}


def morris_results(plan: Plan, table: pd.DataFrame, study: Mapping[str, Any]) -> pd.DataFrame:
    frames = []
    for s in study["sensitivity_scenarios"]:
        ind = sensitivity.morris_indices(
            plan.factors,
            plan.design,
            design_outcomes(table, s),
            study["seed"],
            study["morris_levels"],
        )
        frames.append(ind.assign(scenario=s))
    return pd.concat(frames, ignore_index=True)


def sobol_results(plan: Plan, table: pd.DataFrame, study: Mapping[str, Any]) -> pd.DataFrame:
    """Per outcome and scenario, Sobol indices of that outcome's own factors."""
    frames = []
    for outcome, (factors, _) in plan.by_outcome.items():
        mine = table[table["outcome"] == outcome]
        for s in study["sobol_scenarios"]:
            y = mine.loc[mine["scenario"] == s, outcome].to_numpy(float)
            ind = sensitivity.sobol_indices(factors, {outcome: y}, study["seed"], study["level"])
            frames.append(ind.assign(scenario=s))
    return pd.concat(frames, ignore_index=True)


def robustness_worlds(
    plan: Plan, table: pd.DataFrame, study: Mapping[str, Any]
) -> tuple[dict[str, str], pd.DataFrame, pd.DataFrame]:
    """The nominal verdicts (the table's world), every drawn world's verdicts and its values."""
    done = table[table["finished"]]
    verdicts = {}
    for world, part in done.groupby("world", sort=False):
        metrics = part.filter(like=METRIC).rename(columns=lambda c: c.removeprefix(METRIC))
        metrics.insert(0, "scenario", part["scenario"])
        verdicts[world] = robustness.world_verdicts(metrics, part, study["threshold"])
    nominal = verdicts.pop("table", {})
    worlds = pd.DataFrame.from_dict(verdicts, orient="index")
    names = [f.name for f in plan.factors]
    draws = done.groupby("world", sort=False)[names].first().reindex(worlds.index)
    return nominal, worlds, draws


def robustness_results(
    plan: Plan,
    table: pd.DataFrame,
    study: Mapping[str, Any],
    acts: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Every verdict's share of worlds holding, and what flips it (analysis.robustness)."""
    nominal, worlds, draws = robustness_worlds(plan, table, study)
    return robustness.robustness_table(
        nominal, worlds, draws, study["min_density"], study["robust_share"], acts
    )


def prim_results(table: pd.DataFrame, study: Mapping[str, Any]) -> discovery.PrimResult:
    done = table[np.isfinite(table["items_rebound"].to_numpy(float))]
    names = list(prim_bounds_names(study))
    return discovery.find_box(
        done[names], (done["items_rebound"] < study["threshold"]).to_numpy(), study["min_density"]
    )


def prim_bounds_names(study: Mapping[str, Any]) -> list[str]:
    return [phase.PRESSURE, phase.TECHNOLOGY, *study["prim_factors"]]


def calibration_overrides(path: str | None) -> dict[str, Any]:
    """Parameter values of a calibration file, as dotted keys (empty without a file)."""
    if not path:
        return {}
    import yaml

    record = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return dict(record["parameters"])


def base_with(base: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    return merge(base, nest(values))
