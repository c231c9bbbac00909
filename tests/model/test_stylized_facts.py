"""Pattern tests: at the calibrated defaults the model meets the stylized facts it was fitted to
within the stated tolerances, and predicts the held-out ones (experiments/targets.py: a target's
role is "fit" or "holdout"):

- realisation and satisfaction rates ~12 and ~36 months after a "run at most once" launch
  (Zhejiang 87.9 % / 94.7 % in 2017, 92.9 % / 97.1 % in 2019): within 2 points. The observed
  rates are province-wide survey figures with a sampling error of about a point, and Zhejiang's
  timing is known to a few months; 2 points covers both, and the replicate noise of the model's
  3-month means at the default population (a standard deviation of about one point).
- staff growth of bureaus with no reform (Parkinson: 5-7 % a year): inside the band, give or take
  half a point (Parkinson's own figures span 5.17-6.56 %).
- share of the items alive at the launch cut within ten years of internally driven reform
  (State Council 2002-2012: 69.3 %): within 10 points, because the observed count is of items
  "cut or amended" across a different set of items, so only the order of magnitude is comparable.

Held-out figures are predictions, not fits: they are not used by the calibration, so a miss is a
finding (the validation report states it). Their test bounds a prediction at three tolerances, a
miss that large would mean the model no longer describes the reform at all.

The model runs at the parameter table's population (the one the calibration used). The default
suite averages two fresh seeds (not those of the search); the slow variant ten.
"""

from __future__ import annotations

import pytest

from experiments.targets import TARGETS, calibrated_values, fit_table, measure
from simulation.config import merge, nest
from simulation.parameters import defaults

pytestmark = pytest.mark.heavy  # many model runs: CI runs them, the fast tier does not


def calibrated_defaults() -> dict:
    """The parameter table with the calibration in force applied (a no-op once the table holds it)."""
    return merge(defaults(), nest(calibrated_values()))


def check(seeds: list[int]):
    table = fit_table(measure(calibrated_defaults(), seeds))
    return {row["target"]: row for row in table.to_dict("records")}


@pytest.fixture(scope="module")
def fit():
    return check([1000, 1001])


def described(row: dict) -> str:
    return (
        f"{row['label']}: model {row['model']:.3f}, observed {row['observed_low']:.3f}-"
        f"{row['observed_high']:.3f}, tolerance {row['tolerance']:.3f}"
    )


@pytest.mark.parametrize("target", [t.name for t in TARGETS if t.calibrated])
def test_a_fitted_stylized_fact_is_met(fit, target):
    assert fit[target]["fits"], described(fit[target])


@pytest.mark.parametrize("target", [t.name for t in TARGETS if not t.calibrated])
def test_a_held_out_stylized_fact_is_predicted_within_three_tolerances(fit, target):
    row = fit[target]
    assert row["role"] == "holdout" and abs(row["error"]) <= 3 * row["tolerance"], described(row)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=False,
    reason="known miss of the calibration in force (experiments/calibration/fit.csv): over its ten "
    "fresh seeds the 2017 satisfaction rate is 92.5 % against 94.7 %, 0.2 point beyond the tolerance",
)
def test_every_fitted_stylized_fact_over_ten_seeds():
    fit = check(list(range(1000, 1010)))
    missed = {
        k: round(r["model"], 3) for k, r in fit.items() if r["role"] == "fit" and not r["fits"]
    }
    assert not missed, missed
