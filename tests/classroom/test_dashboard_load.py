"""Many students at once (issue 7): `reform-class` on a loopback port, N headless Chromium
contexts (one per student) stepping and resetting their own models at the same time.

Every student has a seed of their own and a known script of Steps and Resets, so each page's
month and seed are known at every moment: a page that shows another month or seed than its own
script says is cross-talk. Before each action the page must still show exactly what this
student last saw (nobody else moved it); after each action it must show the new month, its own
seed and every chart redrawn for that month. Console errors, page errors, failed or
non-loopback requests, Solara's error and disconnect messages and tracebacks in the server's
output all fail the test. The server's RSS (its process tree) is read after a first page has
loaded and closed, sampled while the class works, and read again after every context has
closed; a second, shorter wave of the same class checks that what stays is reused rather than
leaked. Figures go to artifacts/dashboard-load-<name>.json.

The light version (6 students, 20 s) runs by default; the full one (30 students, 60 s) is
marked `slow`. See docs/dashboard.md, "Many students".
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM_FLAGS, chromium, serve

pytestmark = pytest.mark.integration

# "close to its start": what stays after a class leaves is allocator memory that Python and
# glibc keep for reuse (pymalloc arenas pinned by a few long-lived objects), measured at 2-3 MB
# per student who was there (see docs/dashboard.md); 30 students leave about 70-110 MB. A leak
# of every session would keep the whole peak, 5-6 MB a student, and grow with every class.
TOLERANCE_MB = 150.0
TOLERANCE_SHARE = 0.30  # of the baseline, if that is more
# a second class must reuse what the first left: it may add at most this share of the first
# class's growth (a leak would add all of it again)
REUSE_SHARE = 0.5
REUSE_FLOOR_MB = 15.0  # RSS noise between two reads after a settle is a few MB
SETTLE = 15.0  # seconds at most for RSS to stop falling once closed sessions are freed
SESSION_TIMEOUT = 10  # seconds, for students who vanish (reform-class --session-timeout)
WAIT_MS = int(
    os.environ.get("WAIT_MS", 90_000)
)  # for one action's result on an overloaded 2-core machine
POLL_MS = 100  # a page checks its state ten times a second, not every frame: 30 pages poll

# month, banner and charts of a page, read at once
STATE = """() => {
  const counter = document.querySelector('.reform-month');
  const banner = counter ? counter.nextElementSibling : null;
  return {
    month: counter ? counter.textContent : null,
    banner: banner ? banner.textContent : null,
    charts: [...document.querySelectorAll('.reform-vega')].map(e => e.dataset.month ?? null),
  };
}"""
# does the page show this month of this seed, with every chart redrawn for it?
SHOWS = """([month, seed]) => {
  const counter = document.querySelector('.reform-month');
  const banner = counter ? counter.nextElementSibling : null;
  const charts = [...document.querySelectorAll('.reform-vega')];
  return counter !== null && counter.textContent === 'Month ' + month
    && banner !== null && banner.textContent.includes('seed ' + seed + ')')
    && charts.length >= 3 && charts.every(e => e.dataset.month === String(month));
}"""
# what Solara shows when the page breaks: a traceback in place of the page, or a lost session
BROKEN = re.compile(r"Traceback|Please refresh|disconnected|Could not restore", re.I)
SERVER_ERROR = re.compile(r"Traceback|^ERROR|Exception in", re.M)


@dataclass(frozen=True)
class Load:
    name: str
    students: int
    seconds: float  # how long they step and reset
    actions: int  # Steps and Resets per student in that time, about (the pace)
    again: float  # seconds of the second class (the memory check)
    opening: int = 5  # pages loading at once, as students arrive


LIGHT = Load("light", students=6, seconds=20, actions=8, again=6)
FULL = Load("full", students=30, seconds=60, actions=6, again=12)


@dataclass(frozen=True)
class Plan:
    """One student's script: `every` Steps then a Reset, over and over, `actions` in all."""

    seed: int
    every: int
    actions: int

    def script(self) -> list[str]:
        cycle = ["step"] * self.every + ["reset"]
        return [cycle[k % len(cycle)] for k in range(self.actions)]

    def final_month(self) -> int:
        month = 0
        for action in self.script():
            month = month + 1 if action == "step" else 0
        return month


def plans(load: Load, seconds: float) -> list[Plan]:
    """Different seeds, cycles and numbers of actions, so that no two pages agree for long."""
    actions = max(2, round(load.actions * seconds / load.seconds))
    return [
        Plan(seed=i + 1, every=2 + i % 6, actions=actions + i % 3) for i in range(load.students)
    ]


def rss_mb(pid: int) -> float:
    """VmRSS of `pid` and every process under it, in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [
                    int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()
                ]
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue  # the process ended while we looked
    return total / 1024


class Student:
    """One browser context on the dashboard, following its plan and checking every page."""

    def __init__(self, plan: Plan, url: str, vanishes: bool = False):
        self.plan, self.url = plan, url
        # a browser that goes away without closing its page (a laptop put to sleep): Solara's
        # close message is switched off, so only reform-class's session timeout ends the session
        self.vanishes = vanishes
        self.month = 0
        self.errors: list[str] = []
        self.seconds: list[float] = []  # click -> new month shown and every chart redrawn
        self.checks = 0  # cross-talk checks passed
        self.steps = self.resets = 0

    async def open(self, browser: Any) -> None:
        from playwright.async_api import expect

        self.context = await browser.new_context(viewport={"width": 1280, "height": 900})
        await self.context.route("**/*", self._only_local)
        page = self.page = await self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        page.on(
            "response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}")
        )
        await page.goto(self.url + ("?solara-no-close-beacon" if self.vanishes else ""))
        await self._shows(0, 0)
        if self.plan.seed:  # the seed slider, then Reset: the student's own model
            slider = page.locator(".v-input").filter(has_text="seed").locator("[role=slider]")
            await slider.first.focus()
            for _ in range(self.plan.seed):
                await slider.first.press("ArrowRight")
            await expect(slider.first).to_have_attribute(
                "aria-valuenow", str(self.plan.seed), timeout=WAIT_MS
            )
            await self._reset_to_own_seed()

    async def _reset_to_own_seed(self, tries: int = 5) -> None:
        """Reset until the model has this student's seed. The browser holds a slider's last
        change back until the server has taken the one before (ipywidgets sends one update at a
        time per widget), and a click on Reset does not wait for it: on a busy server the first
        Reset can still build the model with the seed before."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        for _ in range(tries):
            await self.page.get_by_role("button", name="Reset").first.click()
            try:
                await self.page.wait_for_function(
                    SHOWS, arg=[0, self.plan.seed], polling=POLL_MS, timeout=10_000
                )
                return
            except PlaywrightTimeout:
                continue
        await self._shows(0, self.plan.seed)

    async def _only_local(self, route: Any) -> None:
        if route.request.url.startswith(self.url):
            await route.continue_()
        else:
            self.errors.append(f"outside: {route.request.url}")
            await route.abort()

    async def _shows(self, month: int, seed: int) -> None:
        await self.page.wait_for_function(
            SHOWS, arg=[month, seed], polling=POLL_MS, timeout=WAIT_MS
        )

    async def check(self) -> None:
        """The page still shows exactly what this student last saw: nobody else moved it."""
        state = await self.page.evaluate(STATE)
        expected_month = f"Month {self.month}"
        assert state["month"] == expected_month, (self.plan, state)
        assert f"seed {self.plan.seed})" in (state["banner"] or ""), (self.plan, state)
        assert state["charts"] and set(state["charts"]) == {str(self.month)}, (self.plan, state)
        self.checks += 1

    async def act(self, action: str) -> None:
        await self.check()
        start = time.perf_counter()
        if action == "step":
            await self.page.locator("button:has-text('Step')").first.click()
            self.month, self.steps = self.month + 1, self.steps + 1
        else:
            await self.page.get_by_role("button", name="Reset").first.click()
            self.month, self.resets = 0, self.resets + 1
        await self._shows(self.month, self.plan.seed)
        if action == "step":
            self.seconds.append(time.perf_counter() - start)

    async def run(self, start: float, seconds: float) -> None:
        """The plan's actions evenly over `seconds` from `start` (event-loop time)."""
        loop = asyncio.get_running_loop()
        script = self.plan.script()
        pace = seconds / len(script)
        for k, action in enumerate(script):
            await asyncio.sleep(max(0.0, start + k * pace - loop.time()))
            await self.act(action)

    async def finish(self) -> None:
        """The last look: own month and seed, nothing broken on the page."""
        await self.check()
        assert self.month == self.plan.final_month()
        body = await self.page.inner_text("body")
        if BROKEN.search(body):
            self.errors.append(f"page shows: {BROKEN.search(body).group(0)}")

    async def close_page(self) -> None:
        """Close the tab: the page tells Solara that the session is over (unless it vanishes)."""
        if not self.vanishes:
            await self.page.close()

    async def close(self) -> None:
        await self.context.close()


@dataclass
class Wave:
    students: int
    seconds: float
    opened_in: float = 0.0
    steps: int = 0
    resets: int = 0
    checks: int = 0
    errors: list[str] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    rss_peak: float = 0.0
    rss_after: float = 0.0


async def _settled(pid: int, timeout: float = 0) -> float:
    """RSS once closed sessions are freed and trimmed: steady for a second, or after SETTLE s
    more. Sessions end at once or after `timeout`; Solara collects their garbage a second
    later and reform-class gives the memory back 3 s after that."""
    await asyncio.sleep(timeout + 6)
    deadline = time.monotonic() + SETTLE
    rss = rss_mb(pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(1)
        rss, before = rss_mb(pid), rss
        if abs(rss - before) < 1:
            break
    return rss


async def _wave(browser: Any, url: str, pid: int, load: Load, seconds: float) -> Wave:
    wave = Wave(load.students, seconds)
    students = [
        Student(plan, url, vanishes=i % 2 == 1) for i, plan in enumerate(plans(load, seconds))
    ]
    peak = [rss_mb(pid)]

    async def sample() -> None:
        while True:
            peak[0] = max(peak[0], rss_mb(pid))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    arriving = asyncio.Semaphore(load.opening)

    async def arrive(s: Student) -> None:
        async with arriving:
            await s.open(browser)

    try:
        start = time.monotonic()
        await asyncio.gather(*(arrive(s) for s in students))
        wave.opened_in = time.monotonic() - start
        t0 = asyncio.get_running_loop().time() + 0.5
        stagger = seconds / load.actions / load.students  # not all clicking at once
        await asyncio.wait_for(
            asyncio.gather(*(s.run(t0 + i * stagger, seconds) for i, s in enumerate(students))),
            timeout=seconds + 300,
        )
        for s in students:
            await s.finish()
    finally:
        opened = [s for s in students if hasattr(s, "context")]
        for s in opened:
            await s.close_page()
        await asyncio.sleep(1)  # the close messages leave before their browser contexts go
        for s in opened:
            await s.close()
        sampler.cancel()
    wave.rss_peak = peak[0]
    wave.rss_after = await _settled(pid, SESSION_TIMEOUT)
    times = sorted(t for s in students for t in s.seconds)
    wave.step_seconds = {
        "median": statistics.median(times),
        "p90": times[int(0.9 * (len(times) - 1))],
        "max": times[-1],
    }
    wave.steps = sum(s.steps for s in students)
    wave.resets = sum(s.resets for s in students)
    wave.checks = sum(s.checks for s in students)
    wave.errors = [f"student seed {s.plan.seed}: {e}" for s in students for e in s.errors]
    return wave


async def _class(url: str, pid: int, load: Load) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            first = Student(Plan(seed=0, every=1, actions=0), url)
            await first.open(browser)
            await first.close_page()
            await asyncio.sleep(1)
            await first.close()
            baseline = await _settled(pid)
            limit = baseline + max(TOLERANCE_MB, TOLERANCE_SHARE * baseline)
            waves = [await _wave(browser, url, pid, load, load.seconds)]
            if load.again:
                waves.append(await _wave(browser, url, pid, load, load.again))
        finally:
            await browser.close()
    return {"baseline": baseline, "limit": limit, "waves": waves}


def run_class(load: Load) -> dict[str, Any]:
    """Start `reform-class`, let the class work, check it; the figures as a dict."""
    started = time.monotonic()
    log = ARTIFACTS / f"reform-class-load-{load.name}.log"
    with serve(log, options=["--session-timeout", f"{SESSION_TIMEOUT}s"]) as server:
        rss_start = rss_mb(server.proc.pid)
        figures = asyncio.run(_class(server.url, server.proc.pid, load))
        log = server.output()
    waves: list[Wave] = figures.pop("waves")
    report = {
        "load": load.__dict__,
        "rss_mb": {"server_started": rss_start, **figures},
        "waves": [w.__dict__ for w in waves],
        "seconds_in_all": time.monotonic() - started,
        "load_average": os.getloadavg(),
    }
    (ARTIFACTS / f"dashboard-load-{load.name}.json").write_text(json.dumps(report, indent=1))

    errors = [e for w in waves for e in w.errors]
    assert errors == [], errors[:20]
    assert not SERVER_ERROR.search(log), log[-3000:]
    first = waves[0]
    assert first.rss_after <= figures["limit"], report
    if len(waves) > 1:
        grown = first.rss_peak - figures["baseline"]
        allowed = max(REUSE_FLOOR_MB, REUSE_SHARE * grown)
        assert waves[1].rss_after - first.rss_after <= allowed, report
    return report


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_a_small_class_at_once():
    report = run_class(LIGHT)
    assert report["waves"][0]["steps"] > 0


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_thirty_students_for_a_minute():
    report = run_class(FULL)
    assert report["waves"][0]["steps"] >= FULL.students * 3


# where it listens --------------------------------------------------------------------------
def listening(port: int) -> set[str]:
    """Addresses with a socket listening on `port` (IPv4 and IPv6), from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.add(".".join(str(b) for b in raw[::-1]))
                else:  # four little-endian 32-bit words
                    words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
                    found.add(":".join(b"".join(words).hex()[i : i + 4] for i in range(0, 32, 4)))
    return found


@pytest.mark.parametrize("host", [None, "127.0.0.2"], ids=["default", "--host"])
def test_listens_on_loopback_unless_told_and_says_where(host: str | None):
    with serve(ARTIFACTS / "reform-class-host.log", host) as server:
        port = urllib.parse.urlsplit(server.url).port
        expected = host or "127.0.0.1"
        assert listening(port) == {expected}
        assert f"reform-class: the classroom dashboard is at http://{expected}:{port}/" in (
            server.output()
        )
