"""History matching over any simulator: the match itself, wave by wave
(analysis.studies.history_waves, whose names are re-exported here), the identifiability check that
should come first, and the pairs figure of what a match left.

Identifiability: targets are generated from known parameter values (one run, its noise included,
plus observation error), matched back, and each parameter is called identified by IDENTIFIED_RULE.

Pure: the simulator is the caller's callable; results are frames, dicts and Figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.studies.history_waves import (
    CANDIDATES,
    MARGIN,
    MAX_BATCHES,
    MAXIMIN_POOL,
    MIN_SHRINK,
    Box,
    HistoryMatch,
    Simulator,
    Unmeasured,
    history_match,
    maximin_subset,
    sample_limits,
)
from analysis.studies.implausibility import Target

__all__ = [
    "CANDIDATES",
    "FAR",
    "IDENTIFIED_RULE",
    "MARGIN",
    "MAX_BATCHES",
    "MAX_SHARE",
    "MAXIMIN_POOL",
    "MIN_SHRINK",
    "Box",
    "HistoryMatch",
    "Identifiability",
    "Simulator",
    "Unmeasured",
    "history_match",
    "identifiability",
    "maximin_subset",
    "pairs_figure",
    "synthetic_targets",
]

MAX_SHARE = 0.5  # identified: at most this share of the prior range left ...
FAR = 0.25  # ... and the prior's ends at least this share of the range from the truth ruled out
IDENTIFIED_RULE = (
    f"identified = the true value lies inside the final range and the true point is not ruled "
    f"out; at most {MAX_SHARE:.0%} of the prior range is left; and each end of the prior at least "
    f"{FAR:.0%} of the range from the true value, the other parameters at their true values, "
    f"is ruled out"
)


@dataclass
class Identifiability:
    """`table`: one row per parameter (see IDENTIFIED_RULE); `match`: the history match of the
    synthetic targets; `targets`: those targets; `truth`: the parameter values they came from."""

    table: pd.DataFrame
    match: HistoryMatch
    targets: list[Target]
    truth: dict[str, float]


def synthetic_targets(
    simulator: Simulator,
    box: Box,
    truth: Mapping[str, float],
    template: Sequence[Target],
    rng: np.random.Generator,
    observation_error: bool = True,
) -> list[Target]:
    """The template's targets with values from one run at the true parameters (its noise
    included: the record is one realisation), plus observation error drawn from each obs_sd."""
    x = np.array([[truth[n] for n in box.names]], float)
    y = np.asarray(simulator(x, rng.integers(2**31 - 1, size=1)), float)[0]
    if not np.isfinite(y).all():
        missing = [t.name for t, v in zip(template, y) if not np.isfinite(v)]
        raise Unmeasured(f"the run at the true values measured no {', '.join(missing)}")
    err = rng.normal(0, [t.obs_sd for t in template]) if observation_error else 0.0
    return [Target(t.name, float(v), t.obs_sd, t.discrepancy_sd) for t, v in zip(template, y + err)]


def _far_ruled_out(hm: HistoryMatch, true: np.ndarray, j: int) -> bool:
    """Whether the prior's end(s) at least FAR of the range from the truth, the other
    parameters at their true values, are all ruled out."""
    low, high = hm.box.low[j], hm.box.high[j]
    ends = [e for e in (low, high) if abs(e - true[j]) >= FAR * (high - low)]
    far = np.repeat(true[None], len(ends), axis=0)
    far[:, j] = ends
    return bool(len(ends)) and not hm.non_implausible(far).any()


def identifiability(
    simulator: Simulator,
    box: Box,
    truth: Mapping[str, float],
    targets: Sequence[Target],
    *,
    seed: int = 0,
    observation_error: bool = True,
    **match: object,
) -> Identifiability:
    """Generate the targets from known parameter values (`targets` gives names and errors; their
    values are replaced), history-match them back with `history_match(**match)`, and report
    per parameter whether the record pins it (IDENTIFIED_RULE)."""
    rng = np.random.default_rng(seed)
    synthetic = synthetic_targets(simulator, box, truth, targets, rng, observation_error)
    hm = history_match(simulator, box, synthetic, seed=rng, **match)
    true = np.array([truth[n] for n in box.names], float)
    truth_left = bool(hm.non_implausible(true[None])[0])
    lo, hi = sample_limits(hm.region.to_numpy(), len(true))
    left = np.nan_to_num((hi - lo) / (box.high - box.low))  # nothing left: 0
    inside = (lo <= true) & (true <= hi)
    far = np.array([_far_ruled_out(hm, true, j) for j in range(len(true))])
    table = pd.DataFrame(
        {"parameter": box.names, "prior_low": box.low, "prior_high": box.high, "truth": true,
         "final_low": lo, "final_high": hi, "share_of_range_left": left,
         "contains_truth": inside, "truth_not_ruled_out": truth_left, "far_ruled_out": far,
         "identified": inside & truth_left & (left <= MAX_SHARE) & far, "rule": IDENTIFIED_RULE}
    )  # fmt: skip
    return Identifiability(table, hm, synthetic, dict(truth))


def pairs_figure(
    sample: pd.DataFrame,
    box: Box,
    truth: Mapping[str, float] | None = None,
    names: Sequence[str] | None = None,
    max_points: int = 1500,
    seed: int = 0,
) -> Figure:
    """Pairs plot of a non-implausible sample over the prior box: histograms on the diagonal,
    scatter below it, the true values (if known) in red. `names`: the parameters to show."""
    names = list(names or box.names)
    if len(sample) > max_points:
        sample = sample.sample(max_points, random_state=seed)
    lims = {n: (box.low[box.names.index(n)], box.high[box.names.index(n)]) for n in names}
    k = len(names)
    fig = Figure(figsize=(1.9 * k + 1, 1.9 * k + 1), layout="constrained")
    axes = fig.subplots(k, k, squeeze=False)
    for i, row in enumerate(names):
        for j, col in enumerate(names):
            ax = axes[i, j]
            if j > i:
                ax.set_axis_off()
                continue
            if i == j:
                ax.hist(sample[col], bins=20, range=lims[col], color="0.45")
            else:
                ax.scatter(sample[col], sample[row], s=3, alpha=0.4, color="tab:blue", lw=0)
                ax.set_ylim(lims[row])
                if truth:
                    ax.plot(truth[col], truth[row], "o", color="tab:red", ms=5)
            if truth and i == j:
                ax.axvline(truth[col], color="tab:red", lw=1.2)
            ax.set_xlim(lims[col])
            ax.set_xlabel(col if i == k - 1 else "", fontsize=8)
            ax.set_ylabel(row if j == 0 and i > 0 else "", fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle(f"Not ruled out: {len(sample)} points shown", fontsize=10)
    return fig
