"""History matching (analysis.studies.history_matching, .emulators, .implausibility) on a toy
simulator whose answer is known: inputs a and b act strongly, c weakly, d not at all, with noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy.stats import qmc

from analysis.studies.emulators import diagnose, fit_emulator, leave_one_out, scale, screen_active
from analysis.studies.history_matching import (
    Box,
    history_match,
    identifiability,
    maximin_subset,
    pairs_figure,
)
from analysis.studies.implausibility import (
    Target,
    default_nth,
    implausibility,
    non_implausible,
    nth_max,
    targets_from_table,
)

pytestmark = pytest.mark.heavy  # many model runs: CI runs them, the fast tier does not

BOX = Box.from_ranges({"a": (0.0, 2.0), "b": (-1.0, 1.0), "c": (0.0, 10.0), "d": (0.0, 1.0)})
NOISE = 0.05
TRUTH = {"a": 0.7, "b": 0.2, "c": 6.0, "d": 0.5}
TEMPLATE = [Target(n, 0.0, obs_sd=0.05, discrepancy_sd=0.05) for n in ("y1", "y2", "y3")]
QUICK = {"design_size": 40, "max_waves": 4, "candidates": 5000}


def mean(x: np.ndarray) -> np.ndarray:
    """The toy's outputs without noise: a and b act strongly (y1 linearly, y2 with an
    interaction, y3 curved), c weakly (y1 only), d not at all."""
    a, b, c, _ = ((x - BOX.low) / (BOX.high - BOX.low)).T
    return np.column_stack([4 * a + 2 * b + 0.3 * c, 3 * a * b + 3 * b, np.exp(1.5 * a) - b**2])


def noise(seeds: np.ndarray, k: int) -> np.ndarray:
    return np.array([np.random.default_rng(s).normal(0, NOISE, k) for s in seeds])


def toy(x: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """The toy simulator: its mean plus Gaussian noise drawn from each run's seed."""
    return mean(x) + noise(seeds, 3)


def toy_with_unreachable(x: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """The toy plus y4 = 1 + (b - 0.5) + noise on b's [0, 1] scale: between 0.5 and 1.5."""
    b = (x[:, 1] - BOX.low[1]) / (BOX.high[1] - BOX.low[1])
    return np.column_stack([toy(x, seeds), 0.5 + b + noise(seeds + 1, 1)[:, 0]])


def at(**values: float) -> np.ndarray:
    """The true point with some parameters moved."""
    return np.array([[{**TRUTH, **values}[n] for n in BOX.names]])


@pytest.fixture(scope="module")
def ident():
    return identifiability(toy, BOX, TRUTH, TEMPLATE, seed=1, **QUICK)


@pytest.fixture(scope="module")
def unreachable():
    targets = [*ident_targets(), Target("y4", 5.0, 0.05, 0.05)]
    return targets, history_match(toy_with_unreachable, BOX, targets, seed=3, **QUICK)


def ident_targets() -> list[Target]:
    """The toy's targets at the true point, without noise."""
    y = mean(at())[0]
    return [Target(t.name, float(v), t.obs_sd, t.discrepancy_sd) for t, v in zip(TEMPLATE, y)]


# --- targets and implausibility ------------------------------------------------------------


def test_targets_read_from_a_table_take_sds_or_variances():
    table = pd.DataFrame({"name": ["p", "q"], "value": [1.0, 2.0], "obs_var": [0.04, 0.09]})
    p, q = targets_from_table(table, obs="obs_var")
    assert (p.obs_sd, q.obs_sd, p.discrepancy_sd) == pytest.approx((0.2, 0.3, 0.0))
    with pytest.raises(ValueError, match="repeat"):
        targets_from_table(pd.concat([table, table]), obs="obs_var")
    with pytest.raises(ValueError):
        Target("bad", 1.0, obs_sd=-1.0)


def test_a_point_is_judged_on_the_nth_highest_implausibility():
    targets = [Target("p", 0.0, 1.0), Target("q", 0.0, 1.0), Target("r", 0.0, 1.0)]
    imp = implausibility(np.array([[5.0, 1.0, 0.5]]), np.zeros((1, 3)), targets)
    assert imp[0] == pytest.approx([5.0, 1.0, 0.5])
    assert nth_max(imp, 1)[0] == 5.0 and nth_max(imp, 2)[0] == 1.0
    assert not non_implausible(imp, 3.0, nth=1)[0]  # the highest decides: ruled out
    assert non_implausible(imp, 3.0, nth=2)[0]  # one bad target is tolerated
    assert default_nth(10) == 1 and default_nth(11) == 2  # hmer's convention
    # the emulator's variance widens the tolerance: I = |z - E| / sqrt(Var_em + Var_obs + Var_d)
    wide = implausibility(np.array([[4.0]]), np.array([[3.0]]), [Target("p", 0.0, 1.0)])
    assert wide[0, 0] == pytest.approx(2.0)


# --- emulators -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def training():
    rng = np.random.default_rng(7)
    x = qmc.scale(qmc.LatinHypercube(4, rng=rng).random(60), BOX.low, BOX.high)
    return x, toy(x, rng.integers(2**31 - 1, size=60))


def test_the_screen_finds_the_inputs_that_act(training):
    x, y = training
    active = [BOX.names[j] for j in screen_active(scale(x, BOX.low, BOX.high), y[:, 0])]
    assert {"a", "b"} <= set(active[:2]) and "d" not in active


def test_leave_one_out_errors_lie_mostly_within_3(training):
    x, y = training
    rng = np.random.default_rng(0)
    target = Target("y1", 3.0, 0.05, 0.05)
    em = fit_emulator(
        x, y[:, 0], target="y1", inputs=BOX.names, low=BOX.low, high=BOX.high, rng=rng
    )
    loo = leave_one_out(em, x, y[:, 0])
    assert (loo["standardised_error"].abs() <= 3).mean() >= 0.95
    row = diagnose(em, loo, target)
    assert row["used"] and row["inflation"] == 1.0 and row["misclassified"] == 0
    assert 0.5 * NOISE < row["nugget_sd"] < 2 * NOISE  # the nugget carries the noise
    # fresh runs: the emulator's predictive variance (nugget included) covers them too
    fresh = qmc.scale(qmc.LatinHypercube(4, rng=rng).random(60), BOX.low, BOX.high)
    m, var = em.predict(fresh)
    assert (np.abs(toy(fresh, np.arange(60))[:, 0] - m) / np.sqrt(var) <= 3).mean() >= 0.95


def test_an_overconfident_emulator_is_not_trusted_as_it_is(training):
    x, y = training
    em = fit_emulator(
        x, y[:, 0], target="y1", inputs=BOX.names, low=BOX.low, high=BOX.high,
        rng=np.random.default_rng(0),
    )  # fmt: skip
    # no nugget and short length-scales: the emulator claims to know the noise
    em.gp.kernel_.set_params(k2__noise_level=1e-8, k1__k2__length_scale=0.05)
    # a target far from every run: no run can be misclassified, the errors alone must tell
    row = diagnose(em, leave_one_out(em, x, y[:, 0]), Target("y1", 100.0, 0.05, 0.05))
    assert row["loo_within_3"] < 0.95 and row["misclassified"] == 0
    assert row["inflation"] > 1.0 or not row["used"]


# --- waves and identifiability -------------------------------------------------------------


def test_the_truth_stays_inside_the_region(ident):
    hm, table = ident.match, ident.table.set_index("parameter")
    assert hm.non_implausible(at())[0]
    assert table["contains_truth"].all() and table["truth_not_ruled_out"].all()
    assert 0 < hm.share < 0.1  # the record rules out most of the box


def test_values_far_from_the_truth_on_an_active_input_are_ruled_out(ident):
    hm, table = ident.match, ident.table.set_index("parameter")
    assert not hm.non_implausible(at(a=2.0))[0] and not hm.non_implausible(at(b=-1.0))[0]
    assert table.loc[["a", "b"], "far_ruled_out"].all()
    assert table.loc[["a", "b"], "identified"].all()
    assert (table.loc[["a", "b"], "share_of_range_left"] < 0.5).all()


def test_the_inert_input_is_not_narrowed_nor_identified(ident):
    hm, table = ident.match, ident.table.set_index("parameter")
    assert table.loc["d", "share_of_range_left"] > 0.9
    assert not table.loc["d", "far_ruled_out"] and not table.loc["d", "identified"]
    assert hm.non_implausible(at(d=0.0))[0] and hm.non_implausible(at(d=1.0))[0]
    assert table["rule"].str.contains("identified").all()  # the rule travels with the table


def test_waves_report_share_ranges_diagnostics_and_why_they_stopped(ident):
    hm = ident.match
    assert len(hm.waves) >= 2 and hm.waves["share"].is_monotonic_decreasing
    assert "stopped shrinking" in hm.stopped or "most waves" in hm.stopped
    # the stopping rule: go on while a wave removes at least 10 % of what was left
    assert (hm.waves["kept_of_previous"].iloc[:-1] <= 0.9).all()
    assert hm.waves["kept_of_previous"].iloc[-1] > 0.9 or len(hm.waves) == QUICK["max_waves"]
    first = hm.ranges[hm.ranges["wave"] == 1].set_index("parameter")
    assert (first["low_before"] == BOX.low).all() and (first["high_before"] == BOX.high).all()
    assert first.loc["a", "share_of_prior_range"] < 0.5 < first.loc["d", "share_of_prior_range"]
    assert set(hm.diagnostics["target"]) == {"y1", "y2", "y3"}
    assert (hm.diagnostics["loo_within_3"] >= 0.9).all()
    assert len(hm.runs) == QUICK["design_size"] * len(hm.waves)


def test_the_cutoff_is_kept_in_every_wave(ident):
    hm = ident.match
    assert (hm.waves["cutoff"] == 3.0).all()
    region = hm.region.to_numpy()
    for wave in hm.waves["wave"]:
        assert (hm.implausibility(region, wave).max(axis=1) < 3.0).all()


def test_a_target_nothing_can_reach_rules_out_everything_and_is_named(unreachable):
    _, hm = unreachable
    assert len(hm.region) == 0 and hm.share == 0
    assert len(hm.waves) == 1 and hm.waves["cutoff"].iloc[0] == 3.0  # not loosened
    assert hm.failure.loc[hm.failure["unreachable"], "target"].tolist() == ["y4"]
    assert hm.failure.set_index("target").loc["y4", "min_implausibility"] > 10
    assert "ruled out every point" in hm.stopped and "y4" in hm.stopped
    assert not hm.non_implausible(at())[0]


def test_judged_on_the_second_highest_one_unreachable_target_is_tolerated(unreachable):
    targets, _ = unreachable
    hm = history_match(
        toy_with_unreachable, BOX, targets, seed=3, nth=2, **{**QUICK, "max_waves": 1}
    )
    assert len(hm.region) > 0 and hm.failure is None


def test_the_same_seed_gives_the_same_region():
    settings = {"design_size": 30, "max_waves": 2, "candidates": 3000, "replicates": 2}
    one, two, other = (
        identifiability(toy, BOX, TRUTH, TEMPLATE, seed=s, **settings) for s in (5, 5, 6)
    )
    assert [t.value for t in one.targets] == [t.value for t in two.targets]
    pd.testing.assert_frame_equal(one.match.region, two.match.region)
    pd.testing.assert_frame_equal(one.match.waves, two.match.waves)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert not one.match.region.equals(other.match.region)
    # replicated runs: the run-to-run noise is estimated, and added for the one-realisation record
    assert one.match.diagnostics["stochastic_sd"].between(0.5 * NOISE, 2 * NOISE).all()


def test_maximin_spreads_the_design():
    rng = np.random.default_rng(0)
    pool = rng.random((2000, 2))
    chosen = maximin_subset(pool, 20, np.zeros(2), np.ones(2), rng)
    random = pool[:20]

    def closest(p: np.ndarray) -> float:
        d = np.linalg.norm(p[:, None] - p[None], axis=2)
        return d[np.triu_indices(len(p), 1)].min()

    assert closest(chosen) > 2 * closest(random)


def test_the_pairs_figure_draws_every_pair(ident):
    fig = pairs_figure(ident.match.region, BOX, truth=TRUTH)
    assert isinstance(fig, Figure) and len(fig.axes) == 16
