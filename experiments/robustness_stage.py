"""The `robustness` stage of reform-validate: every verdict judged again in many plausible worlds
(analysis.robustness), drawn from the region the history stage left when it ran (calibrated
parameters included), else over the assumed parameters' plausible ranges; then a one-at-a-time
check, so that PRIM's `rests_on` names only parameters that act on the verdict's scenarios.

The one-at-a-time check: for each verdict that flips in some worlds, its most separating
parameters (analysis.robustness.most_separating) are each set alone to the far end of their
plausible range (the end farther from the table's value), every other parameter at the table's
value, in each scenario the verdict is judged on, with the first seed. A parameter acts when any
run metric differs from the table world's run of the same scenario and seed (common random
numbers: a parameter a scenario never reads gives the same run, to the last digit).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.factorial import CELLS
from analysis.studies import sensitivity
from analysis.studies.claims import ALONE, BOTH, CLEAN
from analysis.studies.robustness import CLAIMS, most_separating, parse_key
from experiments import validation_stages as vs
from experiments.app import SweepRunner
from experiments.sweepdir import FINISHED_MARK, is_finished
from simulation.config import resolve

ONE_AT_A_TIME = "robustness/oat"  # the check's runs


def verdict_scenarios(key: str) -> list[str]:
    """The scenarios whose runs a verdict is judged on."""
    kind, subject, _q = parse_key(key)
    if kind in ("regrowth", "paper"):
        return [subject]
    if kind == "sum":
        return list(CELLS)
    n = int(subject)
    claimed = [s for m, s, _stops in CLAIMS if m == n]
    return claimed or [CLEAN, BOTH, *ALONE]


def suspects(
    nominal: Mapping[str, str], worlds: pd.DataFrame, draws: pd.DataFrame
) -> dict[str, list[str]]:
    """Per verdict that flips in some worlds and holds in others, the parameters that separate
    them most (most_separating): those a one-at-a-time check should try."""
    out = {}
    for key, verdict in nominal.items():
        said = worlds[key] if key in worlds else pd.Series(dtype=object)
        known = said.notna().to_numpy()
        flips = (said != verdict).to_numpy()[known]
        if flips.any() and not flips.all():
            out[key] = most_separating(draws[known].reset_index(drop=True), flips)
    return out


def table_value(base: Mapping[str, Any], name: str) -> float:
    value: Any = dict(resolve(base))
    for part in name.split("."):
        value = value[part]
    return float(value)


def far_end(factor: sensitivity.Factor, table: float) -> float | int:
    """The end of the plausible range farther from the table's value."""
    end = factor.low if abs(factor.low - table) > abs(factor.high - table) else factor.high
    return sensitivity.run_value(factor, end)


def plan_one_at_a_time(
    base: Mapping[str, Any], study: Mapping[str, Any], suspected: Mapping[str, list[str]]
) -> vs.Plan:
    """One run per suspected parameter and scenario of the verdicts that suspect it."""
    wanted: dict[str, set[str]] = {}
    for key, names in suspected.items():
        for name in names:
            wanted.setdefault(name, set()).update(verdict_scenarios(key))
    factors = {f.name: f for f in sensitivity.plausible_factors(sorted(wanted))}
    seed, jobs, rows = study["seed"], [], []
    for name in sorted(wanted):
        value = far_end(factors[name], table_value(base, name))
        for s in sorted(wanted[name] & set(study["robustness_scenarios"])):
            job = f"{ONE_AT_A_TIME}/{name}/{s}/seed{seed}"
            jobs.append(vs.make_job(job, base, s, seed, vs.sizes(study), {name: value}, {}))
            rows.append(
                {"job": job, "parameter": name, "scenario": s, "seed": seed, "value": value}
            )
    return vs.Plan(
        ONE_AT_A_TIME,
        jobs,
        pd.DataFrame(rows, columns=["job", "parameter", "scenario", "seed", "value"]),
    )


def _metrics(run_dir: Path) -> dict[str, Any] | None:
    if not is_finished(run_dir):
        return None
    return json.loads((run_dir / FINISHED_MARK).read_text(encoding="utf-8")).get("metrics")


def same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two runs' metrics agree to the last digit (NaN agrees with NaN)."""
    return a.keys() == b.keys() and all(a[k] == b[k] or (_nan(a[k]) and _nan(b[k])) for k in a)


def _nan(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def acting(
    sweep_dir: Path, oat: vs.Plan, suspected: Mapping[str, list[str]]
) -> tuple[dict[str, list[str]], pd.DataFrame]:
    """Per verdict, the suspected parameters shown to act on one of its scenarios (a run that
    did not finish shows nothing), and the check's table."""
    rows = []
    for r in oat.points.itertuples():
        moved = _metrics(sweep_dir / r.job)
        table = _metrics(sweep_dir / f"robustness/table/{r.scenario}/seed{r.seed}")
        acts = moved is not None and table is not None and not same(moved, table)
        rows.append(
            {"parameter": r.parameter, "scenario": r.scenario, "value": r.value, "acts": acts}
        )
    check = pd.DataFrame(rows, columns=["parameter", "scenario", "value", "acts"])
    acted = {(r.parameter, r.scenario) for r in check.itertuples() if r.acts}
    out = {
        key: [n for n in names if any((n, s) in acted for s in verdict_scenarios(key))]
        for key, names in suspected.items()
    }
    return out, check


def run_robustness(
    runner: SweepRunner, base: Mapping[str, Any], study: Mapping[str, Any], results: Mapping
) -> dict[str, Any]:
    """Plan (from the history region when there is one), run, check one at a time, judge."""
    region = results.get("history", {}).get("region")
    plan = vs.plan_robustness(base, study, region)
    runner.run(plan.jobs, plan.stage)
    runs = vs.read_outcomes(runner.sweep_dir, plan)
    nominal, worlds, draws = vs.robustness_worlds(plan, runs, study)
    suspected = suspects(nominal, worlds, draws)
    oat = plan_one_at_a_time(base, study, suspected)
    if oat.jobs:
        runner.run(oat.jobs, "robustness (one at a time)")
    acts, check = acting(runner.sweep_dir, oat, suspected)
    table = vs.robustness_results(plan, runs, study, acts)
    table["worlds_from"] = drawn_from(region, "history" in results)
    if len(check):
        check.to_csv(Path(runner.sweep_dir) / "robustness_one_at_a_time.csv", index=False)
    return {"runs": runs, "table": table, "factors": plan.factors, "one_at_a_time": check}


def drawn_from(region: pd.DataFrame | None, history_ran: bool) -> str:
    """Where the worlds came from, for robustness.csv."""
    if region is not None and len(region):
        return f"history region ({len(region)} points not ruled out)"
    if history_ran:
        return "prior box of the assumed parameters: the record ruled out every point"
    return "prior box of the assumed parameters"
