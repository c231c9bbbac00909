"""reform-bench's figures from the raw measurements: the ratio to BoltzmannWealth, the scaling,
the targets met or missed, sample invariance, and the table printed at the end."""

from __future__ import annotations

import statistics
from dataclasses import asdict
from typing import Any

from benchmarks.bench_plan import COUNTED, HEADLINE, INVARIANCE, TARGETS, Plan


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
    per_scenario = {
        s: {
            size: _size_figure(raw, s, size, boltz, boltz_cpu)
            for size in ("small", "large", "huge")
        }
        for s in plan.scenarios
    }
    head = per_scenario[HEADLINE]
    out = _headline(head, raw, boltz, boltz_cpu)
    if plan.full and head["huge"]:
        out.update(
            seconds_1m=head["huge"]["seconds"],
            peak_mb_1m=head["huge"]["peak_mb"],
            model_us_per_agent_month_1m=head["huge"]["us_per_agent_month"],
        )
    out["invariance"] = invariance_figures(raw.get("invariance", []))
    for key, figure in out["invariance"].items():
        out[f"invariance_{key}_spread"] = figure["spread"]
    items = [v for v in out["invariance"].get("items_end", {}).get("by_citizens", {}).values()]
    if items and min(items) > 0:
        out["invariance_items_end_relative_spread"] = max(items) / min(items) - 1.0
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


def _size_figure(
    raw: dict[str, Any], scenario: str, size: str, boltz: float, boltz_cpu: float
) -> dict[str, Any] | None:
    """One scenario at one size: medians over the repetitions, the worst peak memory."""
    found = [r for r in raw["model"] if r["scenario"] == scenario and r["size"] == size]
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


def _headline(
    head: dict[str, Any], raw: dict[str, Any], boltz: float, boltz_cpu: float
) -> dict[str, Any]:
    """The headline scenario's figures at the small and the large size."""
    small, large = head["small"], head["large"]
    return {
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


def _meets(value: float, op: str, limit: float) -> bool:
    return value <= limit if op == "<=" else value < limit


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
