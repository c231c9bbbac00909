"""The classroom dashboard in a real browser: `reform-class` serves the page, Playwright drives
Debian's headless Chromium. No request may leave 127.0.0.1, and the server's CDN fallback points
at a dead local port, so a front-end file that was not installed fails the test instead of
quietly coming from the internet. Screenshots go to artifacts/."""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from simulation.dashboard import info
from tests.browser_support import ARTIFACTS, CHROMIUM_FLAGS, UPDATED, chromium, serve

pytestmark = pytest.mark.browser

MONTH = re.compile(r"(?:Month|Step|Time)\s*[:=]?\s*(\d+)")  # as the acceptance check reads it
STEP = "button:has-text('Step')"
READY = f"{STEP}, button:has-text('单步')"  # the controls are there, in either language
CHARTS_ON_FIRST_TAB = 3
BAND = 24  # pixels at most between the app bar and the views: the page's own padding


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(ARTIFACTS / "reform-class.log") as s:
        yield s.url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


class Session:
    """One browser context (one student) on the dashboard, with every request checked."""

    def __init__(self, browser, url: str, query: str = "", charts: int = CHARTS_ON_FIRST_TAB):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.context.route("**/*", self._only_local(url))
        self.page = self.context.new_page()
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.goto(url + query)
        # attached, not visible: the projector view opens with the side bar closed
        self.page.locator(READY).first.wait_for(state="attached", timeout=60_000)
        self.wait_for_charts(charts)

    def _only_local(self, url: str):
        def handle(route) -> None:
            if route.request.url.startswith(url):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        return handle

    def wait_for_charts(self, count: int = CHARTS_ON_FIRST_TAB) -> None:
        script = f"() => document.querySelectorAll('.reform-vega[data-month]').length >= {count}"
        self.page.wait_for_function(script, timeout=60_000)

    def month(self) -> int:
        match = MONTH.search(self.page.inner_text("body"))
        assert match, "no month shown"
        return int(match.group(1))

    def step(self) -> float:
        """Click Step; seconds until the new month is shown and every chart has redrawn."""
        month = self.month() + 1
        start = time.perf_counter()
        self.page.locator(STEP).first.click()
        self.page.wait_for_function(UPDATED, arg=month, polling=5, timeout=30_000)
        return time.perf_counter() - start

    def click(self, text: str) -> None:
        self.page.get_by_role("button", name=text).first.click()

    def shot(self, name: str) -> None:
        self.page.wait_for_timeout(600)  # let Vuetify's tab slide finish
        self.page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server) -> Iterator[Session]:
    s = Session(browser, server)
    yield s
    s.close()


def test_page_loads_with_no_network(session):
    assert session.month() == 0
    body = session.page.inner_text("body")
    for control in (
        "scenario",
        "complaint channel",
        "third-party evaluation",
        "political target",
        "one window",
        "data sharing",
        "technology level",
        "campaign interval",
        "citizens",
        "seed",
        "Reset",
    ):
        assert control.lower() in body.lower(), control
    assert session.outside == [] and session.failed == []
    session.shot("loaded")


def test_step_advances_the_month_and_redraws_every_view(session):
    # each step waits until the counter and every chart show the new month (30 s at most);
    # how long that takes is a figure of benchmarks/dashboard_step.py, not a test
    seconds = [session.step() for _ in range(8)]
    assert session.month() == 8
    session.shot("stepped")
    report = {
        "what": "click Step -> new month shown and every chart redrawn; 2,000 citizens, 200 firms",
        "seconds": seconds,
        "median": statistics.median(seconds),
        "figures": "make bench-dashboard",
    }
    (ARTIFACTS / "dashboard-timing.json").write_text(json.dumps(report, indent=1))


def test_play_runs_months_until_paused(session):
    session.click("▶")
    session.page.wait_for_function(
        "() => /Month [3-9]/.test(document.body.innerText)", timeout=30_000
    )
    session.click("❚❚")
    session.page.wait_for_timeout(800)
    paused = session.month()
    session.page.wait_for_timeout(1000)
    assert paused >= 3 and session.month() == paused


def test_slider_change_and_reset_change_the_model(session):
    session.step()
    slider = session.page.locator(".v-input").filter(has_text="citizens").locator("[role=slider]")
    slider.first.focus()
    slider.first.press("ArrowRight")  # 2,000 -> 2,500 citizens
    session.click("Reset")
    session.page.wait_for_function(
        "() => document.body.innerText.includes('2,500 citizens')", timeout=30_000
    )
    assert session.month() == 0
    session.step()
    assert session.month() == 1
    session.shot("reset")


def test_every_browser_has_its_own_model(browser, server):
    a, b = Session(browser, server), Session(browser, server)
    try:
        for _ in range(3):
            a.step()
        b.step()
        assert (a.month(), b.month()) == (3, 1)
        a.click("Reset")
        a.page.wait_for_function("() => document.body.innerText.includes('Month 0')")
        b.page.wait_for_timeout(500)
        assert (a.month(), b.month()) == (0, 1)
    finally:
        a.close()
        b.close()


def test_comparison_and_info_tabs(session):
    session.step()
    session.page.get_by_role("tab", name="against internal_reform").click()
    session.page.get_by_text("(yours)").first.wait_for()
    table = session.page.locator("table.reform-compare").inner_text()
    assert "pressure_and_technology (yours)" in table and "internal_reform" in table
    session.wait_for_charts(1)
    session.shot("comparison")
    session.page.get_by_role("tab", name="info").click()
    heading = session.page.locator(".reform-info h3")
    heading.first.wait_for()
    assert heading.all_inner_texts() == list(
        info.SECTIONS
    )  # in order (tests/classroom/test_dashboard.py)
    assert session.month() == 1  # the counter stays the first month on the page
    session.shot("info")


@pytest.mark.parametrize("name", ["window_without_data", "pressure_without_technology"])
def test_a_preset_link_opens_its_exercise(browser, server, name):
    """`?preset=<name>`: the model runs the preset's scenario, the controls show it, and the side
    bar asks the exercise's question; Reset keeps the preset."""
    from simulation.dashboard.presets import PRESETS

    preset = PRESETS[name]
    s = Session(browser, server, f"?preset={name}")
    try:
        body = s.page.inner_text("body")
        assert preset.settings["scenario_name"] in body and preset.title in body
        s.shot(f"preset-{name}")
        s.click("Reset")
        s.page.wait_for_timeout(1500)
        assert preset.settings["scenario_name"] in s.page.inner_text("body")
    finally:
        s.close()


def test_an_unknown_preset_opens_the_defaults_and_says_so(browser, server):
    s = Session(browser, server, "?preset=nonsense")
    try:
        assert "No preset 'nonsense'" in s.page.inner_text("body")
    finally:
        s.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_projector_view_is_large_enough_to_read_across_a_room(browser, server, lang):
    """`?view=projector` at a projector's 1366 x 768: the month, four numbers and two charts, each
    chart well over the 90 pixels of the full layout, with no blank band above them."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(server + f"?view=projector&lang={lang}")
        page.wait_for_selector(".reform-projector-month", timeout=60_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.reform-vega[data-month] svg, .reform-vega[data-month] canvas').length >= 1",
            timeout=60_000,
        )
        page.wait_for_timeout(500)
        month = page.locator(".reform-projector-month").bounding_box()
        chart = page.locator(".reform-vega").first.bounding_box()
        bar = page.locator("header").first.bounding_box()
        assert chart["height"] >= 250 and month["y"] < 200
        assert month["y"] - (bar["y"] + bar["height"]) <= BAND, "a blank band above the month"
        assert chart["y"] + chart["height"] <= 768, "the charts run below the screen"
        size = page.eval_on_selector(
            ".reform-projector-kpis b", "e => getComputedStyle(e).fontSize"
        )
        assert float(size.rstrip("px")) >= 40
        assert page.locator(".reform-projector-kpis b").count() == 4
        axis = page.eval_on_selector_all(
            ".reform-vega g.role-axis-label text",
            "els => els.map(e => parseFloat(e.getAttribute('font-size')))",
        )
        assert axis and min(axis) >= 24, "axis labels too small to read at five metres"
        assert month["x"] < 100, "the side bar still takes the left of the screen"
        suffix = "" if lang == "en" else "-zh"
        page.screenshot(path=str(ARTIFACTS / f"dashboard-projector{suffix}.png"))
    finally:
        context.close()


# per faceted chart, per facet: the lines drawn with a stroke. A colour scale whose domain misses
# a series draws that series with no stroke, an empty panel with axes (three of six, in 0.2)
STROKED = """() => [...document.querySelectorAll('.reform-vega')]
  .map(chart => [...chart.querySelectorAll('g.mark-group.role-scope.cell > g')])
  .filter(cells => cells.length > 0)
  .map(cells => cells.map(cell => [...cell.querySelectorAll('g.mark-line path')].filter(p => {
    const stroke = p.getAttribute('stroke');
    return stroke && stroke !== 'none' && stroke !== 'transparent'
      && (p.getAttribute('d') || '').length > 10;
  }).length))"""


@pytest.mark.parametrize(
    "query, tab",
    [
        ("", None),
        ("", "against internal_reform"),
        ("?lang=zh", None),
        ("?lang=zh", "与体制内改革对比"),
        ("?view=projector", None),
        ("?view=projector&lang=zh", None),
    ],
)
def test_every_panel_of_every_chart_draws_a_line(browser, server, query, tab):
    projector = "projector" in query
    s = Session(browser, server, query, charts=1 if projector else CHARTS_ON_FIRST_TAB)
    try:
        if projector:  # its side bar opens from the app bar, as a teacher opens it to play
            s.page.locator("header button").first.click()
            s.page.wait_for_timeout(500)
        for _ in range(3):
            s.page.locator(READY).first.click()
            s.page.wait_for_timeout(300)
        if projector:
            s.page.locator("header button").first.click()
        if tab:
            s.page.get_by_role("tab", name=tab).click()
        # until every chart shows month 3 and has drawn (a tab's charts mount after it slides
        # in); then every panel of every faceted chart must hold a stroked line
        s.page.wait_for_function(
            "() => { const charts = [...document.querySelectorAll('.reform-vega')];"
            " return charts.length > 0 && charts.every(e => e.dataset.month === '3'"
            " && e.querySelector('svg')); }",
            timeout=60_000,
        )
        with contextlib.suppress(PlaywrightTimeout):  # the assertions below say what is missing
            s.page.wait_for_function(
                f"() => {{ const charts = ({STROKED})(); return charts.length > 0"
                " && charts.every(p => p.length > 0 && p.every(n => n >= 1)); }",
                timeout=10_000,
            )
        charts = s.page.evaluate(STROKED)
        assert charts, "no faceted chart on the page"
        for panels in charts:
            assert panels and all(lines >= 1 for lines in panels), charts
        name = re.sub(r"[^a-z]+", "-", f"{query} {tab or ''}".lower()).strip("-") or "main"
        s.shot(f"lines-{name}")
    finally:
        s.close()


def test_the_tabs_start_right_under_the_app_bar(session):
    tabs = session.page.locator(".v-tabs").first.bounding_box()
    bar = session.page.locator("header").first.bounding_box()
    assert tabs["y"] - (bar["y"] + bar["height"]) <= BAND


def test_the_dashboard_switches_to_chinese_and_back(browser, server):
    """`?lang=zh` opens it in Chinese; the switch in the side bar turns it to English and back,
    while the model keeps its month."""
    s = Session(browser, server, "?lang=zh")
    try:
        body = s.page.inner_text("body")
        assert "第 0 个月" in body and "公开事项" in body and "本次运行" in body
        s.shot("chinese")
        s.page.get_by_role("button", name="English").first.click()
        s.page.wait_for_function(
            "() => document.body.innerText.includes('Month 0')", timeout=30_000
        )
        assert "items open" in s.page.inner_text("body")
        s.page.get_by_role("button", name="中文").first.click()
        s.page.wait_for_function(
            "() => document.body.innerText.includes('第 0 个月')", timeout=30_000
        )
    finally:
        s.close()


# the Chinese web font: which of its files the page fetched, and whether the browser has it
FONT_LOADED = """family => ({
  files: performance.getEntriesByType('resource').map(e => e.name)
    .filter(name => name.includes('/@fontsource/') && name.endsWith('.woff2')),
  loaded: [...document.fonts].filter(f => f.family.replaceAll('"', '') === family
    && f.status === 'loaded').length,
  check: document.fonts.check(`16px "${family}"`, '最多跑一次改革'),
})"""


def shown_english(text: str) -> list[str]:
    """English words in a page's text, but Solara's own banner (tests/classroom/test_dashboard_i18n.py)."""
    from tests.classroom.test_dashboard_i18n import english_words

    for name in ("This website runs on Solara", "ENGLISH"):  # the switch's, in capitals
        text = text.replace(name, "")
    return english_words([text])


def test_the_chinese_dashboard_has_every_view_in_chinese_and_its_own_font(browser, server):
    """`?lang=zh`: the controls, the network, the journey and the cascade, then the comparison and
    Info tabs, read in Chinese, charts included; the Chinese font comes from the local CDN
    folder (the machine has none of its own), and its characters render in it."""
    from simulation.dashboard.assets import FONT_FAMILY

    s = Session(browser, server, "?lang=zh")
    try:
        s.page.wait_for_function(
            "family => document.fonts.check(`16px \"${family}\"`, '部门网络')",
            arg=FONT_FAMILY,
            timeout=30_000,
        )
        body = s.page.inner_text("body")
        for text in (
            "部门网络",
            "审批事项",
            "县",
            "一位申请人的办事行程",
            "要办的事",
            "换一位申请人",
        ):
            assert text in body, text
        for text in ("连锁变化", "重置", "单步", "模型参数", "投诉渠道", "随机种子", "原因"):
            assert text in body, text
        charts = " ".join(s.page.locator(".reform-vega svg").all_text_contents())
        assert "住建" in charts and "综合窗口＋数据共享" in charts and "流程" in charts
        assert not shown_english(body), shown_english(body)
        font = s.page.evaluate(FONT_LOADED, FONT_FAMILY)
        assert font["files"] and font["loaded"] and font["check"], font
        s.shot("chinese")
        s.page.get_by_role("tab", name="与体制内改革对比").click()
        s.page.get_by_text("你的情景").first.wait_for()
        s.wait_for_charts(1)
        assert "体制内改革" in s.page.locator("table.reform-compare").inner_text()
        s.shot("chinese-comparison")
        s.page.get_by_role("tab", name="说明").click()
        heading = s.page.locator(".reform-info h3")
        heading.first.wait_for()
        assert heading.all_inner_texts()[0] == "这是什么？"
        assert len(heading.all_inner_texts()) == len(info.SECTIONS)
        page = s.page.inner_html(".reform-info")  # its `code` spans are identifiers
        assert not shown_english(page), shown_english(page)
        s.shot("chinese-info")
        assert s.outside == [] and s.failed == []
    finally:
        s.close()
