"""Gaussian-process emulators of a simulator's outputs, one per target, with their own
validation, for history matching (Andrianakis et al. 2015, PLoS Comput Biol 11(1):e1003968).

Each emulator works on inputs scaled to [-1, 1] over the box it was trained in, and has:

- *active inputs*, chosen first: a partial F-test per input on a quadratic regression (its linear,
  square and, when the runs allow, interaction terms), at level alpha / inputs, or given by the
  caller. The other inputs are not modelled: their effect, with the simulator's run-to-run noise,
  goes into the nugget, as Andrianakis et al. do;
- a regression mean, a least-squares fit of 1, x and x^2 on the active inputs (x alone when
  the runs number fewer than twice those terms);
- a Gaussian process on the regression's residuals (scikit-learn's GaussianProcessRegressor):
  ConstantKernel * RBF with one length-scale per active input + WhiteKernel (the nugget),
  its hyper-parameters fitted by maximum likelihood with a few restarts.

Its prediction is the regression plus the GP's mean; its variance the GP's predictive variance
(nugget included), times a variance inflation set by the leave-one-out check, plus the simulator's
run-to-run variance when runs were replicated (the record is one realisation, the emulator
predicts the mean). The uncertainty of the regression coefficients is not propagated: the
leave-one-out check, which refits them, shows when that matters.

Leave-one-out check (`diagnose`): each run is left out in turn, the regression refitted and the GP
conditioned on the rest with the hyper-parameters held. The standardised errors should lie within
+-3 for at least 95 % of runs, and no run may be *misclassified*: ruled out by the emulator
although the simulator's own output is not implausible (hmer's classification check). When that
fails, the emulator's variance is inflated by the smallest factor of INFLATIONS that passes; when
none does, the emulator is not to be used for cutting.

Why scikit-learn: its GaussianProcessRegressor is maintained, already in the lock (through
ema-workbench) and small; autoemulate (Alan Turing Institute), which has a history-matching class,
requires Python < 3.13 in every release to 2.1.2 (this project runs 3.13) and pulls in torch,
gpytorch, pyro-ppl and lightgbm.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, Kernel, WhiteKernel
from threadpoolctl import ThreadpoolController

from analysis.studies.implausibility import CUTOFF, Target

SCREEN_ALPHA = 0.05  # family-wise level of the active-input screen (Bonferroni over inputs)
WITHIN = 0.95  # share of leave-one-out standardised errors that must lie within +-3
INFLATIONS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 9.0)  # variance factors tried, at most sd x 3
RESTARTS = 2  # extra random starts of the GP's likelihood optimiser


_THREADS = ThreadpoolController()  # threadpoolctl comes with scikit-learn


def _one_blas_thread[F: Callable](func: F) -> F:
    """Run on one BLAS thread: a GP's matrices here are small, and on a busy machine threads
    waiting on each other made a history match three to four times slower."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with _THREADS.limit(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def scale(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inputs mapped from [low, high] to [-1, 1], column by column."""
    return 2.0 * (np.asarray(x, float) - low) / (high - low) - 1.0


def _quadratic(xs: np.ndarray, interactions: bool) -> tuple[np.ndarray, list[set[int]]]:
    """Columns 1, x_j, x_j^2 (and x_i x_j) with, for each column, the inputs it involves."""
    n, d = xs.shape
    cols, uses = [np.ones(n)], [set()]
    for j in range(d):
        cols += [xs[:, j], xs[:, j] ** 2]
        uses += [{j}, {j}]
    if interactions:
        for i, j in combinations(range(d), 2):
            cols.append(xs[:, i] * xs[:, j])
            uses.append({i, j})
    return np.column_stack(cols), uses


def _rss(basis: np.ndarray, y: np.ndarray) -> float:
    beta, *_ = np.linalg.lstsq(basis, y, rcond=None)
    return float(np.sum((y - basis @ beta) ** 2))


def screen_active(
    xs: np.ndarray, y: np.ndarray, *, alpha: float = SCREEN_ALPHA, max_active: int | None = None
) -> list[int]:
    """Indices of the inputs that act on y, strongest first: each input's terms are dropped from
    a quadratic regression in turn and kept when the partial F-test rejects at alpha / inputs.
    Interactions enter only when the runs number at least twice the terms, squares likewise;
    with fewer runs still, a correlation test decides. At least one input is kept."""
    pvalues = _partial_f_pvalues(xs, y)
    d = xs.shape[1]
    order = [int(j) for j in np.argsort(pvalues, kind="stable")]
    active = [j for j in order if pvalues[j] < alpha / d] or order[:1]
    return active[:max_active] if max_active else active


def _partial_f_pvalues(xs: np.ndarray, y: np.ndarray) -> np.ndarray:
    n, d = xs.shape
    for interactions, squares in ((True, True), (False, True), (False, False)):
        basis, uses = _quadratic(xs, interactions)
        if not squares:
            keep = [0] + list(range(1, 1 + 2 * d, 2))
            basis, uses = basis[:, keep], [uses[k] for k in keep]
        p = basis.shape[1]
        if n >= 2 * p or (not squares and n >= p + 5):
            break
    else:  # too few runs for a regression: one correlation test per input
        return np.array([stats.pearsonr(xs[:, j], y).pvalue for j in range(d)])
    rss_full = max(_rss(basis, y), 1e-300)
    out = np.ones(d)
    for j in range(d):
        reduced = [k for k, u in enumerate(uses) if j not in u]
        q = p - len(reduced)
        f = ((_rss(basis[:, reduced], y) - rss_full) / q) / (rss_full / (n - p))
        out[j] = stats.f.sf(f, q, n - p)
    return out


def _mean_basis(xa: np.ndarray, quadratic: bool) -> np.ndarray:
    return np.column_stack([np.ones(len(xa)), xa] + ([xa**2] if quadratic else []))


def _kernel(n_active: int) -> Kernel:
    return ConstantKernel(1.0, (1e-3, 1e2)) * RBF(
        np.ones(n_active), length_scale_bounds=(0.25, 100.0)
    ) + WhiteKernel(0.1, noise_level_bounds=(1e-8, 2.0))


def _fit_gp(
    xa: np.ndarray, resid: np.ndarray, kernel: Kernel, seed: int | None
) -> GaussianProcessRegressor:
    """A GP on residuals already scaled to unit sd; `seed=None` holds the kernel as given."""
    gp = GaussianProcessRegressor(
        kernel,
        optimizer="fmin_l_bfgs_b" if seed is not None else None,
        n_restarts_optimizer=RESTARTS if seed is not None else 0,
        random_state=seed,
    )
    with warnings.catch_warnings():  # a length-scale at its bound is no error here
        warnings.simplefilter("ignore", ConvergenceWarning)
        return gp.fit(xa, resid)


@dataclass
class Emulator:
    """The emulator of one target (see the module's docstring)."""

    target: str
    inputs: tuple[str, ...]
    active: tuple[int, ...]
    low: np.ndarray
    high: np.ndarray
    beta: np.ndarray
    gp: GaussianProcessRegressor
    residual_sd: float
    stochastic_var: float = 0.0
    inflation: float = 1.0
    quadratic: bool = True  # the regression mean has square terms

    @property
    def active_names(self) -> list[str]:
        return [self.inputs[j] for j in self.active]

    @property
    def nugget_var(self) -> float:
        """The nugget: inactive inputs and run-to-run noise, in the output's units squared."""
        return float(self.gp.kernel_.k2.noise_level) * self.residual_sd**2

    @property
    def lengthscales(self) -> dict[str, float]:
        """Per active input, on the [-1, 1] scale: long means a gentle effect."""
        ls = np.atleast_1d(self.gp.kernel_.k1.k2.length_scale)
        return dict(zip(self.active_names, map(float, ls)))

    @_one_blas_thread
    def gp_predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and the GP's predictive variance (nugget included, no inflation)."""
        xa = scale(np.atleast_2d(x), self.low, self.high)[:, list(self.active)]
        mu, sd = self.gp.predict(xa, return_std=True)
        mean = _mean_basis(xa, self.quadratic) @ self.beta + self.residual_sd * mu
        return mean, (self.residual_sd * sd) ** 2

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Expectation of the output at x (points in rows, original units) and every model-side
        variance: inflation x GP variance + run-to-run variance."""
        mean, var = self.gp_predict(x)
        return mean, self.inflation * var + self.stochastic_var


@_one_blas_thread
def fit_emulator(
    x: np.ndarray,
    y: np.ndarray,
    *,
    target: str,
    inputs: Sequence[str],
    low: np.ndarray,
    high: np.ndarray,
    rng: np.random.Generator,
    active: Sequence[int] | None = None,
    stochastic_var: float = 0.0,
) -> Emulator:
    """Fit one target's emulator to runs x (rows, original units) -> y, over the box [low, high].
    `active` fixes the active inputs (indices into `inputs`); otherwise they are screened."""
    low, high = np.asarray(low, float), np.asarray(high, float)
    xs = scale(x, low, high)
    y = np.asarray(y, float)
    # at most as many active inputs as the runs can fit a quadratic mean for, with room to spare
    most = max(1, (len(y) // 2 - 1) // 2)
    act = tuple(active) if active is not None else tuple(screen_active(xs, y, max_active=most))
    xa = xs[:, list(act)]
    quadratic = len(y) >= 2 * (1 + 2 * len(act))
    basis = _mean_basis(xa, quadratic)
    beta, *_ = np.linalg.lstsq(basis, y, rcond=None)
    resid = y - basis @ beta
    # a deterministic, exactly quadratic output leaves no residual: keep the GP well posed
    sd = max(float(resid.std()), 1e-9 * (float(np.abs(y).max()) + 1.0))
    gp = _fit_gp(xa, resid / sd, _kernel(len(act)), int(rng.integers(2**31 - 1)))
    return Emulator(
        target, tuple(inputs), act, low, high, beta, gp, sd, stochastic_var, 1.0, quadratic
    )


@_one_blas_thread
def leave_one_out(em: Emulator, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Each run predicted by the emulator refitted without it (regression refitted, GP
    hyper-parameters held): observed, mean, gp_var and the standardised error."""
    xa = scale(x, em.low, em.high)[:, list(em.active)]
    y = np.asarray(y, float)
    basis = _mean_basis(xa, em.quadratic)
    mean, var = np.empty(len(y)), np.empty(len(y))
    for i in range(len(y)):
        rest = np.arange(len(y)) != i
        beta, *_ = np.linalg.lstsq(basis[rest], y[rest], rcond=None)
        resid = (y[rest] - basis[rest] @ beta) / em.residual_sd
        gp = _fit_gp(xa[rest], resid, em.gp.kernel_, None)
        mu, sd = gp.predict(xa[i : i + 1], return_std=True)
        mean[i] = basis[i] @ beta + em.residual_sd * mu[0]
        var[i] = (em.residual_sd * sd[0]) ** 2
    frame = pd.DataFrame({"observed": y, "mean": mean, "gp_var": var})
    frame["standardised_error"] = (frame["observed"] - frame["mean"]) / np.sqrt(frame["gp_var"])
    return frame


def _misclassified(em: Emulator, loo: pd.DataFrame, target: Target, factor: float, cutoff: float):
    """Runs the emulator rules out though the simulator's output itself is not implausible."""
    rest = em.stochastic_var + target.variance
    by_emulator = np.abs(target.value - loo["mean"]) / np.sqrt(factor * loo["gp_var"] + rest)
    # as hmer: the run's own output judged with the target's variance alone
    by_simulator = np.abs(target.value - loo["observed"]) / np.sqrt(rest)
    return (by_emulator >= cutoff) & (by_simulator < cutoff)


def diagnose(
    em: Emulator, loo: pd.DataFrame, target: Target, *, cutoff: float = CUTOFF
) -> dict[str, object]:
    """The leave-one-out verdict on an emulator: one row of the diagnostics table. Its
    `inflation` is the smallest factor of INFLATIONS that passes, `used` False when none does."""
    se = loo["standardised_error"].abs()
    chosen = next(
        (
            f
            for f in INFLATIONS
            if (se / np.sqrt(f) <= 3).mean() >= WITHIN
            and not _misclassified(em, loo, target, f, cutoff).any()
        ),
        None,
    )
    factor = chosen if chosen is not None else INFLATIONS[-1]
    return {
        "target": em.target,
        "runs": len(loo),
        "active": ";".join(em.active_names),
        "lengthscales": ";".join(f"{k}={v:.3g}" for k, v in em.lengthscales.items()),
        "nugget_sd": float(np.sqrt(em.nugget_var)),
        "stochastic_sd": float(np.sqrt(em.stochastic_var)),
        "loo_within_3": float((se <= 3).mean()),
        "loo_max_abs_error": float(se.max()),
        "loo_rmse": float(np.sqrt(((loo["observed"] - loo["mean"]) ** 2).mean())),
        "misclassified": int(_misclassified(em, loo, target, 1.0, cutoff).sum()),
        "inflation": float(factor),
        "used": chosen is not None,
    }
