"""History matching over any simulator, wave by wave (Craig et al. 1997; Vernon, Goldstein &
Bower 2010; Andrianakis et al. 2015; the design follows the R package hmer, Iskauskas et al.
2024). analysis.studies.history_matching adds the identifiability check that should come first.

A *simulator* is a callable `simulator(x, seeds) -> y`: x has one row per run (columns in the
order of the prior box's names, original units), seeds one integer per run, y one row per run and
one column per target (in the targets' order). It may be stochastic: it must then draw its noise
from the seed it is given, which makes a match reproducible. NaN marks a failed run.

Each wave (`history_match`):
1. design: a Latin hypercube over the prior box in wave 1; later, uniform candidates in the
   bounding box of what the last wave left (widened by MARGIN of its width each side, within the
   prior), those non-implausible under every earlier wave kept, and a maximin (space-filling)
   subset of them chosen;
2. simulate the design (over `replicates` seeds each; the emulators learn the mean);
3. fit one emulator per target (analysis.studies.emulators) over the wave's box and check it by
   leave-one-out; an emulator that fails even with its variance inflated is not used in this wave;
4. cut: a point stays when, under every wave's emulators, the nth-highest implausibility over
   the targets is below the cut-off (analysis.studies.implausibility; a target whose emulator is not
   used counts as 0: it rules nothing out).

The share of the prior box not ruled out is estimated from the uniform candidates: the wave's
box's share of the prior times the share of candidates that survive. Waves stop when a wave keeps
more than 1 - min_shrink of the region the previous wave left (it stopped shrinking), at
`max_waves`, or when no candidate survives. In that last case the match says so and names the
targets no point can meet (the smallest implausibility each reaches); the cut-off is never
loosened. Ranges are those of the non-implausible sample (its min and max): estimates, which
can differ between waves by sampling error even where the region did not change.

Pure: the simulator is the caller's callable; results are frames and dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import qmc

from analysis.studies.emulators import Emulator, diagnose, fit_emulator, leave_one_out
from analysis.studies.implausibility import (
    CUTOFF,
    Target,
    closest_approach,
    default_nth,
    emulated_implausibility,
    nth_max,
)

Simulator = Callable[[np.ndarray, np.ndarray], np.ndarray]

MIN_SHRINK = 0.1  # stop once a wave removes less than this share of the region left
CANDIDATES = 20_000  # uniform candidates per batch, for the design and the share estimate
MAX_BATCHES = 10  # at most this many more batches while too few candidates survive
MARGIN = 0.1  # the next wave's box: the survivors' bounding box widened by this share each side
MAXIMIN_POOL = 4_000  # the space-filling choice looks at most at this many survivors


@dataclass(frozen=True, eq=False)
class Box:
    """The prior box: each parameter's name and range."""

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray

    def __post_init__(self) -> None:
        if not len(self.names) == len(self.low) == len(self.high) or (self.low >= self.high).any():
            raise ValueError("a box needs one low < high per parameter name")

    @classmethod
    def from_ranges(cls, ranges: Mapping[str, tuple[float, float]]) -> Box:
        lows, highs = zip(*ranges.values())
        return cls(tuple(ranges), np.array(lows, float), np.array(highs, float))

    @classmethod
    def from_factors(cls, factors: Iterable) -> Box:
        """From objects with .name, .low and .high (e.g. analysis.studies.sensitivity.Factor)."""
        return cls.from_ranges({f.name: (f.low, f.high) for f in factors})

    def share(self, low: np.ndarray, high: np.ndarray) -> float:
        """The volume of [low, high] as a share of the box's."""
        return float(np.prod((high - low) / (self.high - self.low)))

    def frame(self, x: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.atleast_2d(x), columns=list(self.names))


class Unmeasured(ValueError):
    """Runs measured none of a target (failed or too short runs): there is nothing to emulate or
    match back for it."""


@dataclass
class _Wave:
    low: np.ndarray
    high: np.ndarray
    emulators: list[Emulator]
    used: list[bool]

    def implausibility(self, x: np.ndarray, targets: Sequence[Target]) -> np.ndarray:
        return emulated_implausibility(self.emulators, targets, x, self.used)


@dataclass
class HistoryMatch:
    """What the waves found. `waves`: one row per wave (its share of the prior not ruled out and
    how it ended); `ranges`: each parameter's range before and after each wave; `samples`: the
    non-implausible sample after each wave; `diagnostics` and `loo`: the emulators' leave-one-out
    check (summary and per run); `runs`: every simulator run; `failure`: when a wave ruled out
    everything, each target's smallest implausibility, the unreachable ones flagged."""

    box: Box
    targets: list[Target]
    cutoff: float
    nth: int
    waves: pd.DataFrame
    ranges: pd.DataFrame
    samples: dict[int, pd.DataFrame]
    diagnostics: pd.DataFrame
    loo: pd.DataFrame
    runs: pd.DataFrame
    stopped: str
    failure: pd.DataFrame | None = None
    _waves: list[_Wave] = field(default_factory=list, repr=False)

    @property
    def region(self) -> pd.DataFrame:
        """The non-implausible sample the last wave left (empty if it ruled out everything)."""
        return self.samples[max(self.samples)]

    @property
    def share(self) -> float:
        """The share of the prior box not ruled out."""
        return float(self.waves["share"].iloc[-1])

    def implausibility(self, x: np.ndarray, wave: int) -> pd.DataFrame:
        """Each target's implausibility at points x under one wave's emulators (0 where the
        wave did not use a target's emulator)."""
        imp = self._waves[wave - 1].implausibility(np.atleast_2d(x), self.targets)
        return pd.DataFrame(imp, columns=[t.name for t in self.targets])

    def non_implausible(self, x: np.ndarray) -> np.ndarray:
        """Whether each point (rows, the box's column order) survives every wave."""
        return _survives(self._waves, np.atleast_2d(x), self.targets, self.cutoff, self.nth)


def _survives(
    waves: Sequence[_Wave], x: np.ndarray, targets: Sequence[Target], cutoff: float, nth: int
) -> np.ndarray:
    keep = np.ones(len(x), bool)
    for wave in waves:
        if keep.any():
            keep[keep] = nth_max(wave.implausibility(x[keep], targets), nth) < cutoff
    return keep


def _uniform(low: np.ndarray, high: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    return low + (high - low) * rng.random((n, len(low)))


def maximin_subset(
    points: np.ndarray, size: int, low: np.ndarray, high: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A space-filling subset: greedily the point farthest from those already chosen (scaled to
    the box), from a random start."""
    if len(points) <= size:
        return points
    if len(points) > MAXIMIN_POOL:
        points = points[rng.choice(len(points), MAXIMIN_POOL, replace=False)]
    xs = (points - low) / (high - low)
    chosen = [int(rng.integers(len(points)))]
    dist = np.linalg.norm(xs - xs[chosen[0]], axis=1)
    while len(chosen) < size:
        chosen.append(int(np.argmax(dist)))
        dist = np.minimum(dist, np.linalg.norm(xs - xs[chosen[-1]], axis=1))
    return points[chosen]


@dataclass
class _Matcher:
    """One history match in progress: its settings, random stream and the waves so far."""

    simulator: Simulator
    box: Box
    targets: list[Target]
    design_size: int
    replicates: int
    cutoff: float
    nth: int
    candidates: int
    active: Mapping[str, Sequence[str]]
    rng: np.random.Generator
    waves: list[_Wave] = field(default_factory=list)

    def survives(self, x: np.ndarray) -> np.ndarray:
        return _survives(self.waves, x, self.targets, self.cutoff, self.nth)

    def wave_box(self, previous: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The prior box in wave 1; then the last sample's bounding box, widened by MARGIN."""
        box = self.box
        if not self.waves:
            return box.low, box.high
        low, high = previous.min(axis=0), previous.max(axis=0)
        # at least 1 % of the prior's width: a sample of a few points understates the region
        pad = np.maximum(MARGIN * (high - low), 0.01 * (box.high - box.low))
        return np.maximum(low - pad, box.low), np.minimum(high + pad, box.high)

    def pool(self, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, int]:
        """Uniform candidates in [low, high] that every earlier wave lets through, in batches
        until twice the design survive; the survivors and how many were drawn."""
        kept, drawn = [], 0
        for _ in range(MAX_BATCHES):
            x = _uniform(low, high, self.candidates, self.rng)
            kept.append(x[self.survives(x)])
            drawn += self.candidates
            if sum(map(len, kept)) >= 2 * self.design_size:
                break
        return np.concatenate(kept), drawn

    def top_up(self, left: np.ndarray, drawn: int, low, high) -> tuple[np.ndarray, int]:
        """More uniform candidates in the wave's box while fewer than a design's worth survive
        every wave: the region's sample and share rest on them."""
        for _ in range(MAX_BATCHES):
            if len(left) >= self.design_size:
                break
            x = _uniform(low, high, self.candidates, self.rng)
            left, drawn = np.concatenate([left, x[self.survives(x)]]), drawn + self.candidates
        return left, drawn

    def design(self, pool: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Wave 1: a Latin hypercube over the prior box. Later: a maximin subset of the
        surviving candidates; when too few, jittered copies of them that survive too (a
        region too thin for those may leave a smaller design)."""
        size, rng = self.design_size, self.rng
        if not self.waves:
            unit = qmc.LatinHypercube(len(self.box.names), rng=rng).random(size)
            return qmc.scale(unit, self.box.low, self.box.high)
        for _ in range(MAX_BATCHES):
            if len(pool) >= size:
                break
            base = pool[rng.integers(len(pool), size=4 * size)]
            x = np.clip(base + rng.normal(0, 0.05, base.shape) * (high - low), low, high)
            pool = np.concatenate([pool, x[self.survives(x)]])
        return maximin_subset(pool, size, low, high, rng)

    def simulate(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean output per run over the replicates' seeds, and the pooled run-to-run variance."""
        k, ys = len(self.targets), []
        for _ in range(self.replicates):
            y = np.asarray(self.simulator(x, self.rng.integers(2**31 - 1, size=len(x))), float)
            if y.shape != (len(x), k):
                raise ValueError(f"the simulator returned shape {y.shape}, not {(len(x), k)}")
            ys.append(y)
        ys = np.stack(ys)
        noise = np.nanmean(ys.var(axis=0, ddof=1), axis=0) if len(ys) > 1 else np.zeros(k)
        return ys.mean(axis=0), np.nan_to_num(noise)

    def fit(self, x, y, noise, low, high, number: int) -> tuple[_Wave, list[dict], list]:
        """One emulator per target on the runs that did not fail, each checked by leave-one-out
        and its variance inflated as the check requires."""
        ems, used, rows, loos = [], [], [], []
        for k, target in enumerate(self.targets):
            ok = np.isfinite(y[:, k])
            if ok.sum() < 2:  # an emulator needs runs that measured the target
                raise Unmeasured(f"wave {number}: {ok.sum()} runs measured {target.name}")
            fixed = self.active.get(target.name)
            em = fit_emulator(
                x[ok], y[ok, k], target=target.name, inputs=self.box.names, low=low, high=high,
                rng=self.rng, stochastic_var=float(noise[k]),
                active=[self.box.names.index(n) for n in fixed] if fixed else None,
            )  # fmt: skip
            loo = leave_one_out(em, x[ok], y[ok, k])
            row = diagnose(em, loo, target, cutoff=self.cutoff)
            em.inflation = row["inflation"]
            ems.append(em)
            used.append(bool(row["used"]))
            rows.append({"wave": number, **row, "failed_runs": int((~ok).sum())})
            loos.append(loo.assign(wave=number, target=target.name, run=np.flatnonzero(ok)))
        return _Wave(low, high, ems, used), rows, loos


def sample_limits(sample: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Each column's (min, max) over a sample of d columns; NaN when the sample is empty."""
    nan = np.full(d, np.nan)
    return (sample.min(axis=0), sample.max(axis=0)) if len(sample) else (nan, nan)


def _ranges(box: Box, number: int, before: np.ndarray, after: np.ndarray) -> pd.DataFrame:
    """Each parameter's range before the wave (the prior's in wave 1) and after it."""
    d = len(box.names)
    lb, hb = (box.low, box.high) if number == 1 else sample_limits(before, d)
    la, ha = sample_limits(after, d)
    return pd.DataFrame(
        {"wave": number, "parameter": box.names, "prior_low": box.low, "prior_high": box.high,
         "low_before": lb, "high_before": hb, "low_after": la, "high_after": ha,
         "share_of_prior_range": (ha - la) / (box.high - box.low)}
    )  # fmt: skip


def _stopped(
    number: int,
    failure: pd.DataFrame | None,
    kept: float,
    min_shrink: float,
    last: bool,
    cutoff: float,
) -> str:
    """Why the waves end here ('' when they go on): nothing left, no more shrinking, or the
    last wave allowed."""
    if failure is not None:
        bad = failure[failure["unreachable"]]
        named = ", ".join(
            f"{r.target} (at best {r.min_implausibility:.3g})" for r in bad.itertuples()
        )
        why = f"no point can meet {named}" if len(bad) else "no point meets all targets together"
        return f"wave {number} ruled out every point: {why} at the cut-off {cutoff:g}, not loosened"
    if kept > 1 - min_shrink:
        return f"wave {number} kept {kept:.0%} of the region: it stopped shrinking"
    return f"stopped at the most waves allowed ({number})" if last else ""


def history_match(
    simulator: Simulator,
    box: Box,
    targets: Sequence[Target],
    *,
    design_size: int,
    max_waves: int = 5,
    replicates: int = 1,
    cutoff: float = CUTOFF,
    nth: int | None = None,
    min_shrink: float = MIN_SHRINK,
    candidates: int = CANDIDATES,
    active: Mapping[str, Sequence[str]] | None = None,
    seed: int | np.random.Generator = 0,
) -> HistoryMatch:
    """Run waves of history matching (see the module's docstring). `design_size`: runs per wave
    (each over `replicates` seeds); `nth`: judge each point on its nth-highest implausibility
    (default: analysis.studies.implausibility.default_nth); `min_shrink`: the stopping rule;
    `candidates`: uniform candidates per batch; `active`: fixed active inputs per target name
    (the others' are screened); `seed`: the whole match's random stream."""
    targets = list(targets)
    nth = nth or default_nth(len(targets))
    m = _Matcher(
        simulator, box, targets, design_size, replicates, cutoff, nth, candidates,
        active or {}, np.random.default_rng(seed),
    )  # fmt: skip
    rows, ranges, diags, loos, runs, samples = [], [], [], [], [], {}
    share, failure, previous = 1.0, None, np.empty((0, len(box.names)))
    for number in range(1, max_waves + 1):
        low, high = m.wave_box(previous)
        pool, drawn = m.pool(low, high)
        x = m.design(np.concatenate([pool, previous]), low, high)
        y, noise = m.simulate(x)
        wave, d, lo = m.fit(x, y, noise, low, high, number)
        m.waves.append(wave)
        imp = wave.implausibility(pool, targets)
        left, drawn = m.top_up(pool[nth_max(imp, nth) < cutoff], drawn, low, high)
        new_share = box.share(low, high) * len(left) / drawn
        if not len(left):  # name what cannot be met, among the targets this wave emulates
            used = [k for k, u in enumerate(wave.used) if u]
            failure = closest_approach(imp[:, used], [targets[k].name for k in used], cutoff)
        last = number == max_waves
        stopped = _stopped(number, failure, new_share / share, min_shrink, last, cutoff)
        rows.append(
            {"wave": number, "runs": len(x) * replicates, "box_share": box.share(low, high),
             "candidates": drawn, "share": new_share, "kept_of_previous": new_share / share,
             "cutoff": cutoff, "nth": nth, "emulators_used": int(sum(wave.used)),
             "outcome": stopped or "shrank"}
        )  # fmt: skip
        runs.append(box.frame(x).assign(wave=number, **dict(zip([t.name for t in targets], y.T))))
        ranges.append(_ranges(box, number, previous, left))
        diags, loos, samples[number] = diags + d, loos + lo, box.frame(left)
        share, previous = new_share, left
        if stopped:
            break
    return HistoryMatch(
        box, targets, cutoff, nth, pd.DataFrame(rows), pd.concat(ranges, ignore_index=True),
        samples, pd.DataFrame(diags), pd.concat(loos, ignore_index=True),
        pd.concat(runs, ignore_index=True), stopped, failure, m.waves,
    )  # fmt: skip
