"""reform-bench's children: each measurement runs in a fresh Python process
(`python -m benchmarks.bench --child SPEC`) and prints one JSON line, so its peak memory is its
own (VmHWM of the child, `/proc/self/status`). The imports a run needs are timed apart from it."""

from __future__ import annotations

import json
import resource
import statistics
import time
from pathlib import Path
from typing import Any


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


def build_model(spec: dict[str, Any]) -> Any:
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


def agent_months(model: Any) -> tuple[int, dict[str, int]]:
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
    model = build_model(spec)
    t2 = time.perf_counter()
    series = model.run()
    t3, c3 = time.perf_counter(), time.process_time()
    counted, counts = agent_months(model)
    last = series.iloc[-1]
    return {
        "scenario": spec["scenario"],
        "citizens": spec["citizens"],
        "enterprises": spec["enterprises"],
        "months": model.params.warmup + max(model.month, 0),
        "warmup": model.params.warmup,
        "agents": counts,
        "agent_months": counted,
        "import_s": t1 - t0,
        "build_s": t2 - t1,
        "run_s": t3 - t2,
        "seconds": t3 - t1,
        "cpu_seconds": c3 - c1,
        "us_per_agent_month": (t3 - t1) / counted * 1e6,
        "us_per_agent_month_run_only": (t3 - t2) / counted * 1e6,
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
    model = build_model(spec)
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
    from analysis.measures.summary import run_metrics

    df = build_model(spec).run()
    metrics = run_metrics(df)
    last = df.iloc[-1]
    items = float(last["items_open"] + last["items_hidden"])
    return {
        **{k: metrics[k] for k in ("staff_growth_annual", "items_rebound", "agencies_rebound")},
        "items_end": items,
        "hidden_share_end": float(last["items_hidden"]) / items if items else 0.0,
    }


def _child_naive(spec: dict[str, Any]) -> dict[str, Any]:
    """The floor of a naive Mesa model: one no-op Python call per agent per step, over the
    same agents (`shuffle_do("step")` right after construction: no supervising bodies yet)."""
    logging_quiet()
    model = build_model(spec)
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
    model = build_model(spec)
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


def measure_child(spec_text: str) -> int:
    """Run the child `spec_text` names (JSON with its `task`); print its result as one line."""
    spec = json.loads(spec_text)
    print(json.dumps(CHILDREN[spec.pop("task")](spec)))
    return 0
