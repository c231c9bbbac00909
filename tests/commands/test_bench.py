"""The benchmark machinery (issue 5) at tiny sizes. No timing targets here: the machine is shared
and noisy, so only the shape and the arithmetic of the figures are checked."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks import bench, bench_children, bench_plan

pytestmark = pytest.mark.integration

KEYS = (
    "boltzmann_us_per_agent_step",
    "model_us_per_agent_month",
    "ratio",
    "seconds_200k",
    "peak_mb_200k",
    "scaling_200k_over_20k",
    "classroom_step_ms",
    "seconds_1m",
    "peak_mb_1m",
)


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> tuple[dict, str, list]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    code = bench.main(["--quick", "--full", "--out", str(out)])
    assert code == 0
    return json.loads(out.read_text()), out, list(out.parent.iterdir())


def test_writes_every_key_with_sane_values(quick):
    result, _, _ = quick
    for key in KEYS:
        value = result[key]
        assert isinstance(value, float) and math.isfinite(value) and value > 0, (key, value)
    assert 50 < result["peak_mb_200k"] < 4096  # an interpreter with numpy, pandas and mesa


def test_figures_follow_from_the_runs(quick):
    result, _, _ = quick
    head = result["scenarios"][bench_plan.HEADLINE]
    small, large = head["small"], head["large"]
    assert result["seconds_200k"] == large["seconds"]
    assert result["scaling_200k_over_20k"] == pytest.approx(large["seconds"] / small["seconds"])
    assert result["model_us_per_agent_month"] == pytest.approx(
        large["seconds"] / large["agent_months"] * 1e6
    )
    assert result["ratio"] == pytest.approx(
        result["model_us_per_agent_month"] / result["boltzmann_us_per_agent_step"]
    )
    assert len(result["boltzmann"]["reps"]) == bench_plan.QUICK.boltzmann_reps
    assert set(result["targets"]) == set(bench_plan.TARGETS)
    assert all(isinstance(t["met"], bool) for t in result["targets"].values())


def test_counts_agent_months_honestly(quick):
    """(citizens + enterprises + departments) x all months + supervising bodies x months since
    launch, warm-up included."""
    result, _, _ = quick
    plan = bench_plan.QUICK
    large = result["scenarios"][bench_plan.HEADLINE]["large"]
    assert large["months"] == plan.warmup + plan.steps
    assert large["citizens"] == plan.large and large["enterprises"] == plan.large // 10
    model = bench_children.build_model(
        bench.model_spec(plan, bench_plan.HEADLINE, plan.large, 2, 0)
    )
    model.run()
    counts = {kind.__name__: len(agents) for kind, agents in model.agents_by_type.items()}
    months = plan.warmup + 2
    expected = (
        counts["Citizen"] + counts["Enterprise"] + counts["Department"]
    ) * months + counts.get("SupervisingBody", 0) * 2
    assert bench_children.agent_months(model)[0] == expected
    assert counts["Citizen"] == plan.large


def test_json_written_atomically(quick):
    _, out, files = quick
    assert files == [out]  # no temporary file left beside it


def test_table_is_readable(quick):
    result, _, _ = quick
    text = bench.table(result)
    assert "BoltzmannWealth" in text and "load" in text and "counted:" in text
    assert bench_plan.HEADLINE in text


def test_failed_child_is_reported():
    with pytest.raises(RuntimeError, match="benchmark child"):
        bench.run_child("model", {"scenario": "no_such_scenario", "citizens": 10})


def test_sample_invariance_is_measured_at_each_size_and_printed(quick):
    result, _, _ = quick
    figures = result["invariance"]
    assert set(figures) == {
        "staff_growth",
        "items_rebound",
        "agencies_rebound",
        "items_end",
        "hidden_share_end",
    }
    assert figures["items_end"]["scenario"] == "public_pressure"
    assert "invariance_items_end_relative_spread" in result["targets"]
    sizes = {str(n) for n in bench_plan.QUICK.invariance_sizes}
    growth = figures["staff_growth"]
    assert set(growth["by_citizens"]) == sizes
    values = list(growth["by_citizens"].values())
    assert growth["spread"] == pytest.approx(max(values) - min(values))
    assert "sample invariance" in bench.table(result)
