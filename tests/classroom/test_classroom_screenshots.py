"""The pictures of the lesson plan and of the dashboard's page, taken in real Chromium (issue
23): each exercise's preset run to its horizon, every chart drawn. They are kept in artifacts/;
`make screenshots` copies them to docs/ (docs/classroom/<preset>.png, docs/dashboard.png)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulation.dashboard import lesson
from simulation.dashboard.presets import PRESETS
from tests.browser_support import ARTIFACTS
from tests.classroom.test_dashboard_browser import STROKED, Session, browser, server  # noqa: F401

pytestmark = pytest.mark.browser
PICTURED = ("internal_regrowth", "window_without_data", "pressure_without_technology")


def run_to(s: Session, months: int) -> None:
    for month in range(1, months + 1):
        s.page.locator("button:has-text('Step')").first.click()
        s.page.wait_for_function(
            "m => document.querySelector('.reform-month').textContent === 'Month ' + m",
            arg=month,
            timeout=60_000,
        )


@pytest.fixture
def wide(browser, server) -> Iterator:  # noqa: F811
    def open_at(query: str) -> Session:
        return Session(browser, server, query)

    return open_at


# the side bar's monitors: label -> value shown
MONITORS = """() => Object.fromEntries([...document.querySelectorAll('.reform-kpi')]
  .map(tile => [tile.querySelector('span').textContent, tile.querySelector('b').textContent]))"""


@pytest.mark.parametrize("name", PICTURED)
def test_each_exercise_at_its_horizon(wide, name):
    """The page at the preset's horizon shows what the teacher's key says of seed 0 (the
    seed a preset opens on), on every monitor a reading names; every chart is drawn."""
    preset = PRESETS[name]
    s = wide(f"?preset={name}")
    try:
        run_to(s, preset.horizon)
        s.page.wait_for_timeout(1500)
        charts = s.page.evaluate(STROKED)
        assert charts and all(all(n >= 1 for n in panels) for panels in charts), charts
        shown = s.page.evaluate(MONITORS)
        run = lesson.run(preset, 0)
        read = [r for r in lesson.READINGS[name] if r.monitor]
        for reading in read:
            assert shown[reading.monitor] == reading.fmt.format(reading.measure(run)), reading.said
        s.page.screenshot(path=str(ARTIFACTS / f"classroom-{name}.png"), full_page=True)
    finally:
        s.close()


def test_the_page_after_fourteen_months(wide):
    s = wide("")
    try:
        run_to(s, 14)
        s.page.wait_for_timeout(1500)
        s.page.screenshot(path=str(ARTIFACTS / "dashboard-page.png"))
    finally:
        s.close()
