"""Speed-ups must not change behaviour (issue 5).

tests/data/reference_metrics.json holds per-seed summaries of small runs recorded with the code as
it was (experiments/reference_distribution.py). While the model's sources are unchanged, every
seed must give the very same values; after a change, each metric's distribution over the seeds
must still agree with the reference: a two-sample Kolmogorov-Smirnov test and a difference of
means within a few standard errors, both Bonferroni-corrected over all metrics.
"""

from __future__ import annotations

import json
import math
import statistics

import pytest

from experiments import reference_distribution as ref

FAMILY_ALPHA = 0.01  # chance the whole file fails for a change that keeps behaviour
MEAN_Z = 4.0  # standard errors a mean may move by (about 1e-4 two-sided per metric)
REL_FLOOR = 0.002  # a mean may always move by 0.2 % (metrics with almost no spread)


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(ref.REFERENCE.read_text())


def ks_statistic(a: list[float], b: list[float]) -> float:
    """Largest gap between the two empirical distribution functions."""
    points = sorted(set(a) | set(b))
    return max(abs(_ecdf(a, x) - _ecdf(b, x)) for x in points)


def _ecdf(values: list[float], x: float) -> float:
    return sum(v <= x for v in values) / len(values)


def ks_critical(n: int, m: int, alpha: float) -> float:
    """Asymptotic two-sample KS critical value (conservative with ties)."""
    return math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m))


def disagreements(new: dict, old: dict) -> list[str]:
    """Metrics whose distributions differ, as readable lines (empty when all agree)."""
    tests = sum(len(metrics) for metrics in old.values())  # every comparison the file makes
    alpha = FAMILY_ALPHA / tests
    found = []
    for scenario, metrics in new.items():
        for name, values in metrics.items():
            base = old[scenario][name]
            d, crit = ks_statistic(values, base), ks_critical(len(values), len(base), alpha)
            gap = abs(statistics.mean(values) - statistics.mean(base))
            se = math.sqrt(
                statistics.variance(values) / len(values) + statistics.variance(base) / len(base)
            )
            allowed = max(MEAN_Z * se, REL_FLOOR * abs(statistics.mean(base)))
            if d > crit or gap > allowed:
                found.append(
                    f"{scenario}.{name}: KS D={d:.2f} (limit {crit:.2f}), mean "
                    f"{statistics.mean(values):.4g} vs {statistics.mean(base):.4g} "
                    f"(allowed gap {allowed:.3g})"
                )
    return found


def test_reference_is_well_formed(reference):
    settings = reference["settings"]
    assert len(settings["seeds"]) == ref.SEEDS
    assert set(reference["metrics"]) == set(ref.SCENARIOS)
    for metrics in reference["metrics"].values():
        assert set(metrics) == set(ref.METRICS)
        assert all(len(values) == ref.SEEDS for values in metrics.values())


@pytest.mark.heavy
def test_same_seed_same_outputs():
    one = ref.summary("pressure_and_technology", 7)
    two = ref.summary("pressure_and_technology", 7)
    assert one == two


@pytest.mark.heavy
@pytest.mark.parametrize(
    "n_seeds",
    [10, pytest.param(ref.SEEDS, marks=pytest.mark.slow)],
    ids=["10-seeds", "20-seeds"],
)
def test_distributions_agree_with_reference(reference, n_seeds):
    """The first `n_seeds` reference seeds of both scenarios, rerun (10 seeds: about 6 s here;
    all 20: about 12 s, run with REFORM_SLOW=1)."""
    seeds = reference["settings"]["seeds"][:n_seeds]
    new = ref.collect(seeds)
    if reference["code"]["sources_sha256"] == ref.fingerprint()["sources_sha256"]:
        # unchanged sources: same seed, same outputs
        for scenario, metrics in new.items():
            for name, values in metrics.items():
                expected = reference["metrics"][scenario][name][:n_seeds]
                assert values == pytest.approx(expected, rel=1e-9), (
                    f"{scenario}.{name} changed although the model's sources did not"
                )
    problems = disagreements(new, reference["metrics"])
    assert not problems, "behaviour changed:\n" + "\n".join(problems)


@pytest.mark.heavy
def test_comparison_detects_a_real_change(reference):
    """The check has teeth: applicants harder to satisfy (satisfaction logit 3.4 -> 2.4, about
    ten points of satisfaction) are told apart from the reference with half the seeds."""
    scenario = "pressure_and_technology"
    changed = ref.collect(range(10), (scenario,), applicants__satisfaction_base=2.4)
    problems = disagreements(changed, reference["metrics"])
    assert any("satisfaction_rate" in line for line in problems), problems
