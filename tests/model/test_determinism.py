"""Same config and seed give identical outputs; scenarios share citizens and needs (CRN)."""

import numpy as np
import pandas as pd

from simulation import ReformModel
from tests.conftest import scenario, small_model


def test_same_seed_same_series():
    a = small_model("pressure_and_technology", seed=4, steps=18).run()
    b = small_model("pressure_and_technology", seed=4, steps=18).run()
    pd.testing.assert_frame_equal(a, b)


def test_different_seed_different_series():
    a = small_model("internal_reform", seed=1, steps=12).run()
    b = small_model("internal_reform", seed=2, steps=12).run()
    assert not a["matters"].equals(b["matters"])


def needs_stream(name, months=18):
    model = ReformModel(
        {"scenario": scenario(name)},
        population__citizens=800,
        population__enterprises=80,
        warmup=6,
        seed=7,
    )
    seen = []
    original = model.demand.step

    def spy():
        needs = original()
        citizen = ~needs.enterprise
        seen.append((needs.applicant[citizen].copy(), needs.matter[citizen].copy()))
        return needs

    model.demand.step = spy
    for _ in range(months):
        model.step()
    return model, seen


def test_scenarios_see_the_same_citizens_and_needs():
    base, base_needs = needs_stream("status_quo")
    for name in ("internal_reform", "pressure_and_technology", "technology_only"):
        other, other_needs = needs_stream(name)
        assert np.array_equal(base.citizens.county, other.citizens.county)
        assert np.array_equal(base.citizens.digital_ability, other.citizens.digital_ability)
        for (who_a, what_a), (who_b, what_b) in zip(base_needs, other_needs):
            assert np.array_equal(who_a, who_b) and np.array_equal(what_a, what_b)


def test_warmup_is_shared_by_all_scenarios():
    runs = [
        small_model(n, warmup=12, steps=3, seed=5).run()
        for n in ("status_quo", "pressure_and_technology")
    ]
    warm = [r[r["step"] <= 0].drop(columns=["phase"]) for r in runs]
    pd.testing.assert_frame_equal(warm[0], warm[1])
    assert not runs[0]["items_open"].iloc[-1] == runs[1]["items_open"].iloc[-1]
