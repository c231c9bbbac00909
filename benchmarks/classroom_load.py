"""A class on one `reform-class` server: N students stepping at once, plus one hostile page.

    .venv/bin/python -m benchmarks.classroom_load --students 60 --seconds 60 [--out FILE.json]

Each student is a page (benchmarks/solara_client.py: the server's own websocket protocol, no
browser) with its own seed. It clicks Step, waits for the server to finish the month and
redraw, thinks for 0.5-2 s, and now and then resets. The hostile page meanwhile sends what no
browser's controls allow: 400,000 citizens, a Render Interval of ten million months, a play
interval of zero, a scenario name that is a path, values of the wrong type; then Reset, Step
and Play. The figures: the server's memory (its process tree's RSS: at the start, the peak,
with every page open), the median and 95th-percentile Step latency of the students (click to
idle), how many Steps they made, whether every hostile value was refused in one line, and any
traceback in the server's output. Nothing here is timed against a limit: the figures are
printed, and tests/classroom/test_class_load.py holds the rules (docs/dashboard.md, "A class of sixty").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.solara_client import Page

MONTH = re.compile(r"Month (\d+)")
# what the hostile page sends, control label -> value (none of it a browser's control allows)
HOSTILE_VALUES = [
    ("citizens (firms: a tenth)", 400_000),
    ("Render Interval (steps)", 10**7),
    ("Play Interval (ms)", 0),
    ("scenario", "../../etc/passwd"),
    ("seed", -1),
    ("technology level at start", float("inf")),
    ("campaign interval (months)", "60; rm -rf /"),
    ("one window", {"$gt": ""}),
]
# widgets of views and of Solara itself, sent values they do not offer (index 99 of a toggle
# or a tab, a county that does not exist): the page must go on, with no traceback in it
HOSTILE_STATES = [
    ("SliderModel", {"v_model": "x"}),
    ("BtnToggleModel", {"v_model": 99}),
    ("TabsModel", {"v_model": 99}),
    ("SelectModel", {"v_model": [1, 2]}),
]


@dataclass
class Figures:
    students: int
    seconds: float
    think_s: tuple[float, float] = (0.5, 2.0)  # a student's pause between two clicks
    steps: int = 0
    steps_per_second: float = 0.0
    resets: int = 0
    latency_median_s: float = 0.0
    latency_p95_s: float = 0.0
    latency_max_s: float = 0.0
    rss_start_mb: float = 0.0
    rss_open_mb: float = 0.0  # every page open, before stepping
    rss_peak_mb: float = 0.0
    hostile_sent: int = 0
    hostile_refused: int = 0
    hostile_step_max_s: float = 0.0
    hostile_broke_page: int = 0  # a page left without its Step button, or showing a traceback
    wrong_month: int = 0  # a page that showed another month than its own clicks made
    tracebacks: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(log: Path, *options: str) -> Iterator[Server]:
    """`reform-class` on a free loopback port; stopped (its process group) on exit."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "reform-class"), "--port", str(port), *options]
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/"}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        server = Server(f"http://127.0.0.1:{port}/", proc, log)
        try:
            _wait_for(server)
            yield server
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


def _wait_for(server: Server, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"reform-class exited: {server.output()[-500:]}")
        try:
            with urllib.request.urlopen(server.url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("reform-class did not answer")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB."""
    total = 0
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text(encoding="utf-8").splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


class Sampler(threading.Thread):
    """The server's RSS every half second, the peak kept."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid))


async def student(
    url: str,
    seed: int,
    opened: asyncio.Barrier,
    until: list[float],
    out: Figures,
    latencies: list[float],
) -> None:
    rng = random.Random(seed)
    async with Page.open(url) as page:
        await page.set_value("seed", seed % 100)
        await page.click("Reset")
        await opened.wait()  # every page is open: now the class starts
        month = 0
        while time.monotonic() < until[0]:
            if rng.random() < 0.1:
                await page.click("Reset")
                month, out.resets = 0, out.resets + 1
            else:
                latencies.append(await page.click("Step"))
                month, out.steps = month + 1, out.steps + 1
            shown = MONTH.search(page.text())
            if shown is None or int(shown.group(1)) != month:
                out.wrong_month += 1
            await asyncio.sleep(rng.uniform(*out.think_s))


async def hostile(url: str, opened: asyncio.Barrier, until: list[float], out: Figures) -> None:
    async with Page.open(url) as page:
        await opened.wait()
        while time.monotonic() < until[0]:
            for label, value in HOSTILE_VALUES:
                out.hostile_sent += 1
                try:
                    await page.set_value(label, value)
                except LookupError as err:
                    out.errors.append(f"hostile: {err}")
                    continue
                if any(line.startswith(f"{label}: ") for line in page.text().splitlines()):
                    out.hostile_refused += 1
                for action in ("Reset", "Step"):
                    seconds = await page.click(action)
                    out.hostile_step_max_s = max(out.hostile_step_max_s, seconds)
            for model, state in HOSTILE_STATES:
                out.hostile_sent += await page.set_state(model, state)
                text = page.text()
                if "Traceback" in text or not page.find("BtnModel", children="Step"):
                    out.hostile_broke_page += 1
            await page.click("▶")  # play at whatever speed the server allows, then stop
            await asyncio.sleep(1.0)
            await page.click("❚❚")


async def a_class(url: str, students: int, seconds: float, pid: int, out: Figures) -> None:
    opened = asyncio.Barrier(students + 2)
    until = [float("inf")]
    latencies: list[float] = []
    tasks = [
        asyncio.create_task(student(url, s + 1, opened, until, out, latencies))
        for s in range(students)
    ]
    tasks.append(asyncio.create_task(hostile(url, opened, until, out)))
    await opened.wait()
    out.rss_open_mb = rss_mb(pid)
    until[0] = time.monotonic() + seconds
    for done in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(done, BaseException):
            out.errors.append(f"{type(done).__name__}: {done}"[:300])
    if latencies:
        ordered = sorted(latencies)
        out.latency_median_s = statistics.median(ordered)
        out.latency_p95_s = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        out.latency_max_s = ordered[-1]


def measure(
    students: int,
    seconds: float,
    log: Path | None = None,
    think: tuple[float, float] = (0.5, 2.0),
) -> Figures:
    """One class on a fresh server, each student pausing `think` seconds (uniform) between two
    clicks; the figures."""
    out = Figures(students, seconds, think)
    log = log or Path(tempfile.mkdtemp()) / "reform-class.log"
    with serve(log) as server:
        out.rss_start_mb = rss_mb(server.proc.pid)
        sampler = Sampler(server.proc.pid)
        sampler.start()
        asyncio.run(a_class(server.url, students, seconds, server.proc.pid, out))
        sampler.done.set()
        out.rss_peak_mb = max(sampler.peak, out.rss_open_mb)
        out.tracebacks = server.output().count("Traceback")
    out.steps_per_second = out.steps / seconds
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="classroom_load", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think",
        type=lambda text: tuple(float(x) for x in text.split(",")),
        default=(0.5, 2.0),
        help="a student's pause between two clicks, LOW,HIGH seconds (default 0.5,2)",
    )
    parser.add_argument("--out", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure(args.students, args.seconds, think=args.think)
    text = json.dumps(asdict(figures), indent=1)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
