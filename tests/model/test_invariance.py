"""No result depends on how many applicants are simulated to stand for the province (docs/ODD.md, M6).

The simulated applicants are a sample of the represented population. Bureaus plan on the
province's expected work and watchers count represented matters, so the same province simulated
with more or fewer applicants must grow its staff at the same pace and regrow its items alike.
Full sizes (2,000 to 200,000 citizens) are measured by `reform-bench`.
"""

import numpy as np
import pytest

from analysis.measures.summary import run_metrics
from tests.conftest import small_model


def staff_growth(citizens: int, seed: int, **overrides) -> float:
    df = small_model(
        "status_quo", steps=120, warmup=0, seed=seed, population__citizens=citizens,
        population__enterprises=citizens // 10, **overrides,
    ).run()  # fmt: skip
    staff = df["staff"].to_numpy()
    return (staff[-1] / staff[0]) ** (12 / (len(staff) - 1)) - 1


def test_status_quo_staff_growth_does_not_depend_on_the_sample():
    small = np.mean([staff_growth(400, s) for s in (0, 1)])
    large = np.mean([staff_growth(4000, s) for s in (0, 1)])
    assert abs(small - large) < 0.002, f"{small:.2%}/yr at 400 citizens, {large:.2%} at 4,000"


def test_hiring_on_the_months_noisy_work_would_depend_on_it():
    """The check above has teeth: planning on the sampled month instead of the expected work
    ratchets staff up faster in small samples (hiring follows noise up, never down)."""
    from simulation import model as model_module

    real = model_module.ReformModel.expected_matters

    def sampled(self):  # what a bureau would see if it planned on this month's sampled matters
        return self._sampled_matters

    def serve(self, needs, chains, _serve=model_module.ReformModel.serve):
        self._sampled_matters = self.matters_by_place(needs)[1]
        return _serve(self, needs, chains)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_module.ReformModel, "expected_matters", sampled)
        patch.setattr(model_module.ReformModel, "serve", serve)
        small = np.mean([staff_growth(400, s) for s in (0, 1)])
        large = np.mean([staff_growth(4000, s) for s in (0, 1)])
    assert small - large > 0.002
    assert model_module.ReformModel.expected_matters is real


def test_internal_reform_regrows_alike_at_both_sizes():
    """Six seeds a size: since a cut that never returns counts as no rebound, one run's rebound is
    nearly all-or-nothing (0.01 to 0.72 at 5,000 citizens), so two seeds compare noise."""
    rebound = []
    for citizens in (500, 5000):
        runs = [
            run_metrics(
                small_model(
                    "internal_reform", steps=150, warmup=12, seed=s, population__citizens=citizens,
                    population__enterprises=citizens // 10,
                ).run()
            )["items_rebound"]
            for s in range(6)
        ]  # fmt: skip
        rebound.append(np.nanmean(runs))
    assert abs(rebound[0] - rebound[1]) < 0.15
