"""The lesson plan the model keeps (issue 23): every preset, run for its horizon on seeds 0-3,
shows what its exercise claims, and the teacher's key in docs/classroom.md is exactly what the
model gives today, in English and Chinese (simulation/dashboard/lesson.py)."""

from __future__ import annotations

import pytest

from simulation.dashboard import lesson, presets
from simulation.i18n import Words as translate

pytestmark = pytest.mark.integration  # 24 runs of 60-120 months: about a minute


@pytest.fixture(scope="module")
def values():
    return lesson.measured()


def test_every_claim_of_the_plan_holds_on_every_seed(values):
    assert lesson.failed_claims(values) == []


def test_the_key_in_the_plan_is_what_the_model_gives(values):
    page = lesson.PAGE.read_text(encoding="utf-8")
    start, stop = page.index(lesson.BEGIN), page.index(lesson.END) + len(lesson.END)
    assert page[start:stop] == lesson.key_markdown(values), (
        "docs/classroom.md's key is stale: run `python -m simulation.dashboard.lesson`"
    )


def test_every_exercise_has_readings_a_horizon_and_chinese_words():
    zh = translate("zh")
    assert set(lesson.READINGS) == set(presets.PRESETS)
    for name, readings in lesson.READINGS.items():
        assert readings and presets.PRESETS[name].horizon >= 12
        for reading in readings:
            assert zh(reading.said) != reading.said and zh(reading.claim) != reading.claim


def test_a_claim_the_model_contradicts_is_reported(monkeypatch):
    """The check that guards the plan: "a campaign cuts half of its items" (the 0.2 plan's
    sentence) fails against what the model gives."""
    half = lesson.Reading("cuts {value}", lambda r: 0.22, "{:.0%}", "half", lambda v: v >= 0.45)
    monkeypatch.setattr(lesson, "READINGS", {"internal_regrowth": (half,)})
    assert lesson.failed_claims({"internal_regrowth": [[0.22, 0.21]]}) == [
        "internal_regrowth: cuts 22% (plan: half)",
        "internal_regrowth: cuts 21% (plan: half)",
    ]
