"""reform-bench: what one agent-month of this model costs next to Mesa's own BoltzmannWealth.

One invocation measures, side by side and one core per run:
  - the reference: `mesa.examples.BoltzmannWealth` (Mesa's "large" benchmark set-up: 10,000 agents
    on a 100 x 100 grid), 100 steps, microseconds per agent-step, median of the repetitions;
  - this model at 20,000 and 200,000 citizens (enterprises a tenth of that), 240 months after a
    60-month warm-up, for `pressure_and_technology` (the headline) and `internal_reform`;
  - with `--full`, 1,000,000 citizens for 120 months;
  - a classroom step (2,000 citizens) in milliseconds;
  - sample invariance: status-quo staff growth a year, and item and agency rebound under
    `internal_reform`, at 2,000, 20,000 and 200,000 simulated citizens standing for the same
    province (2 seeds each, 240 months): no result may depend on the sample size.

Every measured run happens in a fresh Python process (`python -m experiments.bench --child ...`),
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
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADLINE = "pressure_and_technology"
SCENARIOS = ("pressure_and_technology", "internal_reform")
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
CHILD_TIMEOUT_S = 1800  # a hung child must not hang `make bench` forever

# the targets (on a 2-core machine, one core per run)
TARGETS = {
    "ratio": ("<=", 0.02),
    "seconds_20k": ("<", 2.0),
    "seconds_200k": ("<", 60.0),
    "peak_mb_200k": ("<", 2048.0),
    "scaling_200k_over_20k": ("<=", 11.0),
    "seconds_1m": ("<", 300.0),
    "peak_mb_1m": ("<", 8192.0),
    # spread (largest minus smallest) over the sample sizes of INVARIANCE
    "invariance_staff_growth_spread": ("<=", 0.005),
    "invariance_items_rebound_spread": ("<=", 0.15),
    "invariance_agencies_rebound_spread": ("<=", 0.15),
}
INVARIANCE = {
    "status_quo": "staff_growth_annual",
    "internal_reform": ("items_rebound", "agencies_rebound"),
}
COUNTED = (
    "agent-months = (citizens + enterprises + departments) x (warmup + steps) "
    "+ supervising bodies x steps (created at the launch); seconds = model construction + all "
    "months + time series, in a fresh process, imports excluded"
)


@dataclass(frozen=True)
class Plan:
    """Sizes of one benchmark invocation."""

    boltzmann_agents: int = 10_000
    boltzmann_grid: int = 100  # Mesa's own "large" benchmark: about one agent per cell
    boltzmann_steps: int = 100
    boltzmann_reps: int = 3
    small: int = 20_000
    large: int = 200_000
    huge: int = 1_000_000
    steps: int = 240
    huge_steps: int = 120
    warmup: int | None = None  # None: the model's default (60 months)
    model_reps: int = 3
    classroom_citizens: int = 2_000
    classroom_steps: int = 24
    invariance_sizes: tuple[int, ...] = (2_000, 20_000, 200_000)
    invariance_seeds: int = 2
    scenarios: tuple[str, ...] = SCENARIOS
    full: bool = False
    quick: bool = False


# fmt: off
QUICK = Plan(
    boltzmann_agents=1_000, boltzmann_grid=32, boltzmann_steps=10, boltzmann_reps=3,
    small=1_000, large=4_000, huge=8_000, steps=12, huge_steps=6, warmup=6, model_reps=1,
    classroom_citizens=500, classroom_steps=3, invariance_sizes=(300, 1_000), invariance_seeds=1,
    scenarios=(HEADLINE,), quick=True,
)
# fmt: on


# children: each runs in its own process and prints one JSON line --------------------------------
def _memory_mb() -> dict[str, float]:
    """Current and peak resident memory of this process, from /proc (Linux) or getrusage."""
    out: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    out["ru_maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    out.setdefault("VmHWM", out["ru_maxrss"])
    out.setdefault("VmRSS", out["ru_maxrss"])
    return out


def _child_boltzmann(spec: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    from mesa.examples import BoltzmannWealth
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario

    t1 = time.perf_counter()
    n, side, steps = spec["agents"], spec["grid"], spec["steps"]
    scenario = BoltzmannScenario(n=n, width=side, height=side, rng=spec["seed"])
    model = BoltzmannWealth(scenario=scenario)
    t2, c2 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        model.step()
    t3, c3 = time.perf_counter(), time.process_time()
    return {
        "agents": n,
        "grid": side,
        "steps": steps,
        "import_s": t1 - t0,
        "build_s": t2 - t1,
        "steps_s": t3 - t2,
        "us_per_agent_step": (t3 - t2) / (n * steps) * 1e6,
        # CPU time is less disturbed than wall time when other jobs share the cores
        "cpu_us_per_agent_step": (c3 - c2) / (n * steps) * 1e6,
        "peak_mb": _memory_mb()["VmHWM"],
    }


def _build_model(spec: dict[str, Any]) -> Any:
    from simulation import ReformModel, scenarios

    scenario = scenarios.load(spec["scenario"])
    overrides = {
        "population__citizens": spec["citizens"],
        "population__enterprises": spec["enterprises"],
        "steps": spec["steps"],
        "seed": spec["seed"],
    }
    if spec.get("warmup") is not None:
        overrides["warmup"] = spec["warmup"]
    return ReformModel({"scenario": scenario}, **overrides)


def _agent_months(model: Any) -> tuple[int, dict[str, int]]:
    """Agents of each kind x the months each kind existed (see COUNTED)."""
    counts = {kind.__name__: len(agents) for kind, agents in model.agents_by_type.items()}
    months = model.params.warmup + max(model.month, 0)
    launched = max(model.month, 0)
    bodies = counts.get("SupervisingBody", 0)
    return (sum(counts.values()) - bodies) * months + bodies * launched, counts


def _child_model(spec: dict[str, Any]) -> dict[str, Any]:
    logging_quiet()
    t0 = time.perf_counter()
    import yaml  # noqa: F401  (imports are timed apart from the run)

    import experiments.paths  # noqa: F401
    import simulation  # noqa: F401

    t1, c1 = time.perf_counter(), time.process_time()
    rss_after_import = _memory_mb()["VmRSS"]
    model = _build_model(spec)
    t2 = time.perf_counter()
    series = model.run()
    t3, c3 = time.perf_counter(), time.process_time()
    agent_months, counts = _agent_months(model)
    last = series.iloc[-1]
    return {
        "scenario": spec["scenario"],
        "citizens": spec["citizens"],
        "enterprises": spec["enterprises"],
        "months": model.params.warmup + max(model.month, 0),
        "warmup": model.params.warmup,
        "agents": counts,
        "agent_months": agent_months,
        "import_s": t1 - t0,
        "build_s": t2 - t1,
        "run_s": t3 - t2,
        "seconds": t3 - t1,
        "cpu_seconds": c3 - c1,
        "us_per_agent_month": (t3 - t1) / agent_months * 1e6,
        "us_per_agent_month_run_only": (t3 - t2) / agent_months * 1e6,
        "rss_after_import_mb": rss_after_import,
        "peak_mb": _memory_mb()["VmHWM"],
        "versions": _versions(),
        "check": {  # a glance that the run did something sensible
            "realisation_rate": float(last["realisation_rate"]),
            "items_open": int(last["items_open"]),
            "matters_last_month": int(last["matters"]),
        },
    }


def _versions() -> dict[str, str]:
    import mesa
    import numpy

    import simulation

    return {"mesa": mesa.__version__, "numpy": numpy.__version__, "model": simulation.__version__}


def _child_classroom(spec: dict[str, Any]) -> dict[str, Any]:
    """Step-by-step timing, as the dashboard's Step button would call it."""
    logging_quiet()
    import yaml  # noqa: F401  (the Reset button does not pay for imports)

    import experiments.paths  # noqa: F401
    import simulation  # noqa: F401

    t0 = time.perf_counter()
    model = _build_model(spec)
    t1 = time.perf_counter()
    warm, reform = [], []
    while model.month < spec["steps"]:
        s = time.perf_counter()
        model.step()
        (warm if model.month <= 0 else reform).append((time.perf_counter() - s) * 1e3)
    return {
        "citizens": spec["citizens"],
        "build_ms": (t1 - t0) * 1e3,
        "warmup_step_ms": statistics.median(warm) if warm else 0.0,
        "step_ms": statistics.median(reform),
        "step_ms_max": max(reform),
        "steps_timed": len(reform),
        "peak_mb": _memory_mb()["VmHWM"],
    }


def _child_invariance(spec: dict[str, Any]) -> dict[str, Any]:
    """One run's summary metrics, for the sample-invariance comparison."""
    logging_quiet()
    from analysis.summary import run_metrics

    metrics = run_metrics(_build_model(spec).run())
    return {k: metrics[k] for k in ("staff_growth_annual", "items_rebound", "agencies_rebound")}


def _child_naive(spec: dict[str, Any]) -> dict[str, Any]:
    """The floor of a naive Mesa model: one no-op Python call per agent per step, over the
    same agents (`shuffle_do("step")` right after construction: no supervising bodies yet)."""
    logging_quiet()
    model = _build_model(spec)
    agents = model.agents
    times = []
    for _ in range(spec["reps"]):
        s = time.perf_counter()
        agents.shuffle_do("step")
        times.append(time.perf_counter() - s)
    return {
        "agents": len(agents),
        "us_per_agent_step": statistics.median(times) / len(agents) * 1e6,
    }


def _child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    """pyinstrument over one whole run (construction included); not timed for the figures."""
    logging_quiet()
    from pyinstrument import Profiler

    import simulation  # noqa: F401

    profiler = Profiler(interval=0.001)
    profiler.start()
    model = _build_model(spec)
    model.run()
    profiler.stop()
    tree = profiler.output_text(unicode=False, color=False, show_all=False)
    flat = _self_time(profiler.last_session.root_frame(), profiler.last_session.duration)
    Path(spec["path"]).write_text(
        f"{tree}\n\nself time by function (top 30)\n{flat}\n", encoding="utf-8"
    )
    return {"path": spec["path"], "seconds": profiler.last_session.duration}


def _self_time(root: Any, duration: float, top: int = 30) -> str:
    """Self time per function over the whole call tree (pyinstrument's flat view groups
    library frames in ways that do not add up, so sum it here)."""
    totals: dict[str, float] = {}
    stack = [root]
    while stack:
        frame = stack.pop()
        children = [c for c in frame.children if not c.is_synthetic_leaf]
        own = frame.time - sum(c.time for c in children)  # the "[self]" leaves
        where = f"{frame.function}  {Path(frame.file_path or '?').name}:{frame.line_no}"
        totals[where] = totals.get(where, 0.0) + own
        stack.extend(children)
    rows = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    return "\n".join(f"{t:7.3f} s {100 * t / duration:5.1f}%  {name}" for name, t in rows)


def logging_quiet() -> None:
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)


CHILDREN = {
    "boltzmann": _child_boltzmann,
    "model": _child_model,
    "classroom": _child_classroom,
    "naive": _child_naive,
    "invariance": _child_invariance,
    "profile": _child_profile,
}


def _run_child(task: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; return its JSON plus the load around it."""
    env = {**os.environ, **ONE_THREAD}  # OPENBLAS_CORETYPE and friends are inherited untouched
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "experiments.bench", "--child", json.dumps({"task": task, **spec})]
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


# the parent: plan, measure, summarise ------------------------------------------------------------
def _model_spec(plan: Plan, scenario: str, citizens: int, steps: int, seed: int) -> dict[str, Any]:
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
            raw["boltzmann"].append(_run_child("boltzmann", spec))
            us = raw["boltzmann"][-1]["us_per_agent_step"]
            log(f"  BoltzmannWealth rep {rep + 1}: {us:.2f} us/agent-step")
        if rep >= plan.model_reps:
            continue
        for scenario in plan.scenarios:
            for label, citizens, steps in sizes:
                result = _run_child("model", _model_spec(plan, scenario, citizens, steps, rep))
                result.update(size=label, rep=rep)
                raw["model"].append(result)
                log(
                    f"  {scenario} {citizens:,} citizens rep {rep + 1}: {result['seconds']:.2f} s, "
                    f"{result['peak_mb']:.0f} MB"
                )
    if plan.full:
        for scenario in plan.scenarios:
            result = _run_child("model", _model_spec(plan, scenario, plan.huge, plan.huge_steps, 0))
            result.update(size="huge", rep=0)
            raw["model"].append(result)
            log(
                f"  {scenario} {plan.huge:,} citizens: {result['seconds']:.2f} s, "
                f"{result['peak_mb']:.0f} MB"
            )
    spec = _model_spec(plan, HEADLINE, plan.small, plan.steps, 0)
    raw["naive"] = _run_child("naive", {**spec, "reps": 5})
    log(
        f"  no-op shuffle_do over the same agents: {raw['naive']['us_per_agent_step']:.2f} us/agent"
    )
    spec = _model_spec(plan, HEADLINE, plan.classroom_citizens, plan.classroom_steps, 0)
    raw["classroom"] = _run_child("classroom", spec)
    log(f"  classroom step: {raw['classroom']['step_ms']:.1f} ms")
    raw["invariance"] = measure_invariance(plan, log)
    return raw


def measure_invariance(plan: Plan, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """The same province simulated with more and fewer applicants (see the module docstring)."""
    rows = []
    for scenario in INVARIANCE:
        for citizens in plan.invariance_sizes:
            for seed in range(plan.invariance_seeds):
                spec = _model_spec(plan, scenario, citizens, plan.steps, seed)
                rows.append({**spec, **_run_child("invariance", spec)})
            log(f"  invariance: {scenario} at {citizens:,} citizens done")
    return rows


def invariance_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per metric: the mean over seeds at each sample size, and the spread across sizes."""
    out: dict[str, Any] = {}
    for scenario, metrics in INVARIANCE.items():
        for metric in (metrics,) if isinstance(metrics, str) else metrics:
            means = {}
            for citizens in sorted({r["citizens"] for r in rows if r["scenario"] == scenario}):
                values = [
                    r[metric]
                    for r in rows
                    if r["scenario"] == scenario and r["citizens"] == citizens
                    and r[metric] is not None and r[metric] == r[metric]
                ]  # fmt: skip
                means[citizens] = statistics.mean(values) if values else float("nan")
            finite = [v for v in means.values() if v == v]
            spread = max(finite) - min(finite) if finite else float("nan")
            key = metric.removesuffix("_annual")
            out[key] = {"scenario": scenario, "by_citizens": means, "spread": spread}
    return out


def summarise(plan: Plan, raw: dict[str, Any]) -> dict[str, Any]:
    """The figures the issue asks for, from the raw results (headline scenario)."""
    boltz = statistics.median(r["us_per_agent_step"] for r in raw["boltzmann"])
    boltz_cpu = statistics.median(r["cpu_us_per_agent_step"] for r in raw["boltzmann"])

    def runs(scenario: str, size: str) -> list[dict[str, Any]]:
        return [r for r in raw["model"] if r["scenario"] == scenario and r["size"] == size]

    def figure(scenario: str, size: str) -> dict[str, Any] | None:
        found = runs(scenario, size)
        if not found:
            return None
        seconds = statistics.median(r["seconds"] for r in found)
        cpu = statistics.median(r["cpu_seconds"] for r in found)
        agent_months = found[0]["agent_months"]
        return {
            "citizens": found[0]["citizens"],
            "enterprises": found[0]["enterprises"],
            "months": found[0]["months"],
            "agent_months": agent_months,
            "seconds": seconds,
            "seconds_all": [r["seconds"] for r in found],
            "cpu_seconds": cpu,
            "build_s": statistics.median(r["build_s"] for r in found),
            "us_per_agent_month": seconds / agent_months * 1e6,
            "peak_mb": max(r["peak_mb"] for r in found),  # the worst repetition
            "rss_after_import_mb": statistics.median(r["rss_after_import_mb"] for r in found),
            "ratio": seconds / agent_months * 1e6 / boltz,
            "ratio_cpu": cpu / agent_months * 1e6 / boltz_cpu,
        }

    per_scenario = {
        s: {size: figure(s, size) for size in ("small", "large", "huge")} for s in plan.scenarios
    }
    head = per_scenario[HEADLINE]
    small, large = head["small"], head["large"]
    out: dict[str, Any] = {
        "boltzmann_us_per_agent_step": boltz,
        "model_us_per_agent_month": large["us_per_agent_month"],
        "ratio": large["ratio"],
        "seconds_200k": large["seconds"],
        "peak_mb_200k": large["peak_mb"],
        "scaling_200k_over_20k": large["seconds"] / small["seconds"],
        "classroom_step_ms": raw["classroom"]["step_ms"],
        "seconds_20k": small["seconds"],
        "peak_mb_20k": small["peak_mb"],
        "model_us_per_agent_month_20k": small["us_per_agent_month"],
        "ratio_20k": small["ratio"],
        # the same ratio in CPU time: a cross-check when the machine is shared
        "ratio_cpu": large["ratio_cpu"],
        "ratio_cpu_20k": small["ratio_cpu"],
        "boltzmann_cpu_us_per_agent_step": boltz_cpu,
        # context: what a naive Mesa model pays before doing any work (one call per agent-step)
        "naive_noop_us_per_agent_step": raw["naive"]["us_per_agent_step"],
    }
    if plan.full and head["huge"]:
        out.update(
            seconds_1m=head["huge"]["seconds"],
            peak_mb_1m=head["huge"]["peak_mb"],
            model_us_per_agent_month_1m=head["huge"]["us_per_agent_month"],
        )
    out["invariance"] = invariance_figures(raw.get("invariance", []))
    for key, figure in out["invariance"].items():
        out[f"invariance_{key}_spread"] = figure["spread"]
    out["targets"] = {
        key: {"value": out[key], "goal": f"{op} {limit:g}", "met": _meets(out[key], op, limit)}
        for key, (op, limit) in TARGETS.items()
        if key in out
    }
    out["headline_scenario"] = HEADLINE
    out["scenarios"] = per_scenario
    out["classroom"] = raw["classroom"]
    out["boltzmann"] = {
        "model": "mesa.examples.BoltzmannWealth",
        "agents": plan.boltzmann_agents,
        "grid": f"{plan.boltzmann_grid}x{plan.boltzmann_grid}",
        "steps": plan.boltzmann_steps,
        "reps": raw["boltzmann"],
    }
    out["naive_agents"] = raw["naive"]["agents"]
    out["counted"] = COUNTED
    out["plan"] = asdict(plan)
    return out


def _meets(value: float, op: str, limit: float) -> bool:
    return value <= limit if op == "<=" else value < limit


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


def table(result: dict[str, Any]) -> str:
    """A readable summary of `result`."""
    b, m, c = result["boltzmann"], result["machine"], result["classroom"]
    sizes = "QUICK sizes (figures meaningless)" if result["plan"]["quick"] else "full sizes"
    lines = [
        f"reform-bench  ({m['cpus']} cpus, 1-min load {m['load_avg'][0]:.2f} at start, "
        f"{result['load_avg_end'][0]:.2f} at end; one thread per run; {sizes})",
        f"reference: BoltzmannWealth {b['agents']:,} agents on {b['grid']}, {b['steps']} steps, "
        f"median of {len(b['reps'])}: {result['boltzmann_us_per_agent_step']:.2f} us/agent-step "
        f"(CPU {result['boltzmann_cpu_us_per_agent_step']:.2f})",
        "",
        f"{'scenario':<26}{'citizens':>11}{'months':>8}{'agent-months':>15}{'seconds':>9}"
        f"{'us/ag-mo':>10}{'ratio':>8}{'cpu s':>8}{'ratio(cpu)':>11}{'peak MB':>9}",
    ]
    for scenario, runs in result["scenarios"].items():
        for f in runs.values():
            if f is None:
                continue
            lines.append(
                f"{scenario:<26}{f['citizens']:>11,}{f['months']:>8}{f['agent_months']:>15,}"
                f"{f['seconds']:>9.2f}{f['us_per_agent_month']:>10.3f}{f['ratio']:>8.3f}"
                f"{f['cpu_seconds']:>8.2f}{f['ratio_cpu']:>11.3f}{f['peak_mb']:>9.0f}"
            )
    lines += [
        "",
        f"scaling time(large)/time(small): {result['scaling_200k_over_20k']:.2f}",
        f"classroom ({c['citizens']:,} citizens): build {c['build_ms']:.0f} ms, "
        f"step {c['step_ms']:.1f} ms median (max {c['step_ms_max']:.1f}), "
        f"warm-up step {c['warmup_step_ms']:.1f} ms",
        f"naive floor: a no-op shuffle_do('step') over the same {result['naive_agents']:,} agents "
        f"costs {result['naive_noop_us_per_agent_step']:.2f} us/agent-step",
        "",
        "sample invariance (the same province, more or fewer simulated applicants; mean of seeds):",
    ]
    for key, figure in result.get("invariance", {}).items():
        sizes = ", ".join(f"{v:.4f} at {int(c):,}" for c, v in figure["by_citizens"].items())
        lines.append(f"  {figure['scenario']} {key}: {sizes}; spread {figure['spread']:.4f}")
    lines += [
        "",
        f"targets ({result['headline_scenario']}):",
    ]
    for key, t in result["targets"].items():
        verdict = "met" if t["met"] else "MISSED"
        lines.append(f"  {key:<24}{t['value']:>10.3f}  goal {t['goal']:<8} {verdict}")
    lines.append(f"counted: {result['counted']}")
    return "\n".join(lines)


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
    p.add_argument("--reps", type=_count, default=None, help="repetitions per model run (3)")
    p.add_argument(
        "--profile", type=Path, default=None, help="also profile the 200k run (pyinstrument text)"
    )
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is None:  # the results must have somewhere to go before hours are spent
        _check_out(p, args.out)
    return args


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 1000, got {text!r}")
    return value


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


def measure_child(spec_text: str) -> int:
    spec = json.loads(spec_text)
    print(json.dumps(CHILDREN[spec.pop("task")](spec)))
    return 0


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
        spec = _model_spec(plan, HEADLINE, plan.large, plan.steps, 0)
        _run_child("profile", {**spec, "path": str(args.profile.resolve())})
        result["profile"] = str(args.profile)
    write_json(args.out, result)
    print()
    print(table(result))
    print(f"\nwrote {args.out}")
    missed = [k for k, t in result["targets"].items() if not t["met"]]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
