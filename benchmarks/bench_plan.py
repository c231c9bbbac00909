"""What one reform-bench invocation measures: the sizes (`Plan`), the issue's targets, and how
agent-months are counted. Shared by the parent (benchmarks/bench.py), which plans and measures,
and the figures it draws (benchmarks/bench_figures.py)."""

from __future__ import annotations

from dataclasses import dataclass

HEADLINE = "pressure_and_technology"
SCENARIOS = ("pressure_and_technology", "internal_reform")

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
    "invariance_hidden_share_end_spread": ("<=", 0.01),
    # items at the last month under public pressure: largest over smallest size, minus 1
    "invariance_items_end_relative_spread": ("<=", 0.05),
}
INVARIANCE = {
    "status_quo": "staff_growth_annual",
    "internal_reform": ("items_rebound", "agencies_rebound"),
    # what watchers' evidence leaves hidden must not depend on the sample (issue 25, item 5)
    "public_pressure": ("items_end", "hidden_share_end"),
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
