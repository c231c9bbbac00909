"""reform-bench: what one agent-month of this model costs next to Mesa's own BoltzmannWealth.

One invocation measures, side by side and one core per run:
  - the reference: `mesa.examples.BoltzmannWealth` (Mesa's "large" benchmark set-up: 10,000 agents
    on a 100 x 100 grid), 100 steps, microseconds per agent-step, median of the repetitions;
  - this model at 20,000 and 200,000 citizens (enterprises a tenth of that), 240 months after a
    60-month warm-up, for `pressure_and_technology` (the headline) and `internal_reform`;
  - with `--full`, 1,000,000 citizens for 120 months;
  - a classroom step (2,000 citizens) in milliseconds;
  - sample invariance: status-quo staff growth a year, item and agency rebound under
    `internal_reform`, and items and the hidden share at the last month under `public_pressure`,
    at 2,000, 20,000 and 200,000 simulated citizens standing for the same province (2 seeds
    each, 240 months): no result may depend on the sample size.

Every measured run happens in a fresh Python process (`python -m benchmarks.bench --child ...`),
so its peak memory is its own: VmHWM of the child (`/proc/self/status`), which unlike ru_maxrss
does not inherit the parent's pages across fork/exec. Children run one at a time with BLAS and
OpenMP limited to one thread. The parent stays on the standard library so it stays small.

Seconds of a model run = building the model + every month (warm-up included) + the time series;
interpreter start-up and imports are reported apart. Agent-months counted = (citizens +
enterprises + departments) x all months simulated + supervising bodies x months since launch
(they exist from the launch on).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.bench_children import measure_child
from benchmarks.bench_figures import summarise, table
from benchmarks.bench_plan import HEADLINE, INVARIANCE, QUICK, Plan
from simulation.arguments import whole_number

ROOT = Path(__file__).resolve().parent.parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
CHILD_TIMEOUT_S = 1800  # a hung child must not hang `make bench` forever


# the parent: plan, measure, summarise ------------------------------------------------------------
def run_child(task: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; return its JSON plus the load around it."""
    env = {**os.environ, **ONE_THREAD}  # OPENBLAS_CORETYPE and friends are inherited untouched
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "benchmarks.bench", "--child", json.dumps({"task": task, **spec})]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"benchmark child {task} {spec} failed: " + " | ".join(tail))
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(
        process_wall_s=wall, load_1min_before=load_before, load_1min_after=os.getloadavg()[0]
    )
    return result


def model_spec(plan: Plan, scenario: str, citizens: int, steps: int, seed: int) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "citizens": citizens,
        "enterprises": max(citizens // 10, 1),
        "steps": steps,
        "warmup": plan.warmup,
        "seed": seed,
    }


def measure(plan: Plan, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every measurement of `plan` and return the raw results."""
    raw: dict[str, Any] = {"boltzmann": [], "model": [], "classroom": None}
    sizes = [("small", plan.small, plan.steps), ("large", plan.large, plan.steps)]
    reps = max(plan.boltzmann_reps, plan.model_reps)
    # interleave reference and model so both see the same machine conditions
    for rep in range(reps):
        if rep < plan.boltzmann_reps:
            spec = {
                "agents": plan.boltzmann_agents,
                "grid": plan.boltzmann_grid,
                "steps": plan.boltzmann_steps,
                "seed": rep,
            }
            raw["boltzmann"].append(run_child("boltzmann", spec))
            us = raw["boltzmann"][-1]["us_per_agent_step"]
            log(f"  BoltzmannWealth rep {rep + 1}: {us:.2f} us/agent-step")
        if rep >= plan.model_reps:
            continue
        for scenario in plan.scenarios:
            for label, citizens, steps in sizes:
                result = run_child("model", model_spec(plan, scenario, citizens, steps, rep))
                result.update(size=label, rep=rep)
                raw["model"].append(result)
                log(
                    f"  {scenario} {citizens:,} citizens rep {rep + 1}: {result['seconds']:.2f} s, "
                    f"{result['peak_mb']:.0f} MB"
                )
    if plan.full:
        for scenario in plan.scenarios:
            result = run_child("model", model_spec(plan, scenario, plan.huge, plan.huge_steps, 0))
            result.update(size="huge", rep=0)
            raw["model"].append(result)
            log(
                f"  {scenario} {plan.huge:,} citizens: {result['seconds']:.2f} s, "
                f"{result['peak_mb']:.0f} MB"
            )
    spec = model_spec(plan, HEADLINE, plan.small, plan.steps, 0)
    raw["naive"] = run_child("naive", {**spec, "reps": 5})
    log(
        f"  no-op shuffle_do over the same agents: {raw['naive']['us_per_agent_step']:.2f} us/agent"
    )
    spec = model_spec(plan, HEADLINE, plan.classroom_citizens, plan.classroom_steps, 0)
    raw["classroom"] = run_child("classroom", spec)
    log(f"  classroom step: {raw['classroom']['step_ms']:.1f} ms")
    raw["invariance"] = measure_invariance(plan, log)
    return raw


def measure_invariance(plan: Plan, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """The same province simulated with more and fewer applicants (see the module docstring)."""
    rows = []
    for scenario in INVARIANCE:
        for citizens in plan.invariance_sizes:
            for seed in range(plan.invariance_seeds):
                spec = model_spec(plan, scenario, citizens, plan.steps, seed)
                rows.append({**spec, **run_child("invariance", spec)})
            log(f"  invariance: {scenario} at {citizens:,} citizens done")
    return rows


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_avg": list(os.getloadavg()),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "threads_per_run": 1,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
    }
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    info["commit"] = commit or None
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "simulation", "scenarios"]
        + [":!simulation/dashboard", ":!simulation/app.py"],  # presentation only
        capture_output=True,
        text=True,
    ).stdout.strip()
    info["model_sources_modified"] = bool(dirty)  # figures then describe uncommitted code
    return info


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomic: a reader sees the old file or the new one."""
    from experiments.atomic import atomic_write

    atomic_write(path, lambda f: f.write(json.dumps(data, indent=2) + "\n"), binary=False)


def parse(argv: list[str] | None) -> argparse.Namespace:
    from experiments.cli import ArgumentParser

    p = ArgumentParser(prog="reform-bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("bench.json"), help="JSON to write atomically")
    p.add_argument("--full", action="store_true", help="add 1,000,000 citizens x 120 months")
    p.add_argument("--quick", action="store_true", help="tiny sizes: tests the machinery only")
    p.add_argument(
        "--reps", type=whole_number(1, 1000), default=None, help="repetitions per model run (3)"
    )
    p.add_argument(
        "--profile", type=Path, default=None, help="also profile the 200k run (pyinstrument text)"
    )
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is None:  # the results must have somewhere to go before hours are spent
        _check_out(p, args.out)
    return args


def _check_out(parser: argparse.ArgumentParser, out: Path) -> None:
    from experiments.cli import check_output_dir

    if out.is_dir():
        parser.error(f"--out: {out} is a directory; give a file name, e.g. {out / 'bench.json'}")
    check_output_dir(parser.prog, out.parent, "--out")


def main(argv: list[str] | None = None) -> int:
    from experiments.cli import guarded

    args = parse(argv)
    if args.child is not None:
        return measure_child(args.child)
    with guarded("reform-bench", interrupted="nothing was written"):
        return bench(args)


def bench(args: argparse.Namespace) -> int:
    plan = QUICK if args.quick else Plan()
    plan = replace(plan, full=args.full)
    if args.reps:
        # the reference is a median of at least 3 (the issue); model runs may be fewer
        plan = replace(plan, boltzmann_reps=max(args.reps, 3), model_reps=max(args.reps, 1))
    info = machine()
    load = info["load_avg"][0]
    print(f"reform-bench: measuring (load {load:.2f}, {info['cpus']} cpus) ...", flush=True)
    raw = measure(plan, log=lambda s: print(s, flush=True))
    result = summarise(plan, raw)
    result["machine"] = {**info, **raw["model"][0]["versions"]}
    result["load_avg_end"] = list(os.getloadavg())
    if args.profile is not None:
        spec = model_spec(plan, HEADLINE, plan.large, plan.steps, 0)
        run_child("profile", {**spec, "path": str(args.profile.resolve())})
        result["profile"] = str(args.profile)
    write_json(args.out, result)
    print()
    print(table(result))
    print(f"\nwrote {args.out}")
    missed = [k for k, t in result["targets"].items() if not t["met"]]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
