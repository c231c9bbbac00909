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


@pytest.mark.heavy
def test_status_quo_staff_growth_does_not_depend_on_the_sample():
    small = np.mean([staff_growth(400, s) for s in (0, 1)])
    large = np.mean([staff_growth(4000, s) for s in (0, 1)])
    assert abs(small - large) < 0.002, f"{small:.2%}/yr at 400 citizens, {large:.2%} at 4,000"


@pytest.mark.heavy
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


@pytest.mark.heavy
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


def pressure_end(citizens: int, seed: int) -> tuple[float, float]:
    """Items (open and hidden) and the hidden share after ten years of public pressure."""
    row = (
        small_model(
            "public_pressure", steps=120, seed=seed, population__citizens=citizens,
            population__enterprises=citizens // 10,
        )
        .run()
        .iloc[-1]
    )  # fmt: skip
    items = row["items_open"] + row["items_hidden"]
    return items, row["items_hidden"] / items


def sample_gap() -> tuple[float, float, float]:
    """Public pressure at 400 and 5,000 citizens (three seeds each): the hidden share at both
    sizes and the relative gap in items. (Every county expects the province's share of matters
    whatever the sample put there, so even a county the sample left without a firm is watched.)"""
    small = np.mean([pressure_end(400, s) for s in range(3)], axis=0)
    large = np.mean([pressure_end(5000, s) for s in range(3)], axis=0)
    return small[1], large[1], abs(small[0] - large[0]) / max(small[0], large[0])


@pytest.mark.heavy
def test_what_complaints_reveal_does_not_depend_on_the_sample():
    """Under public pressure hidden items come to light through the complaints the represented
    province files, so the hidden share and the items left agree at 400 and 5,000 citizens."""
    small, large, items = sample_gap()
    assert abs(small - large) <= 0.01 + 0.25 * max(small, large), (small, large)
    assert items < 0.04, f"items differ by {items:.1%}"


@pytest.mark.heavy
def test_counting_the_samples_complaints_would_make_it_depend_on_it():
    """The check above has teeth: counting the simulated sample's complaints, each weighted by
    the thousands of applicants it stands for, saturates the paths a sampled complaint reached
    and leaves the others unseen for months, so what watchers find, and the items left, depend
    on the sample's size."""
    from simulation import model as model_module

    def sampled(self, chains):  # the old count: this month's sampled complaints, scaled
        needs, complained = self._sampled
        K, M = chains.hidden.shape
        weight = complained * self.scale[needs.enterprise.astype(int)]
        return np.bincount(needs.county * M + needs.matter, weight, K * M).reshape(K, M)

    def judge(self, needs, outcomes, chains, _judge=model_module.ReformModel.judge_service):
        satisfied, complained = _judge(self, needs, outcomes, chains)
        self._sampled = needs, complained
        return satisfied, complained

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_module.ReformModel, "expected_complaints", sampled)
        patch.setattr(model_module.ReformModel, "judge_service", judge)
        _, _, items = sample_gap()
    assert items > 0.04, f"items differ by only {items:.1%}"
