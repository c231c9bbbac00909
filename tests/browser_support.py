"""What the browser tests share: `reform-class` started on a free loopback port and stopped with
its whole process group, and Debian's Chromium with the flags that let it run headless here."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.classroom_load import Server

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
# is `month` shown, and does every chart show that month's data (its data-month)? Cheap to poll:
# no innerText, which would lay the page out every few milliseconds while it redraws
UPDATED = """month => {
  const counter = document.querySelector('.reform-month');
  const charts = [...document.querySelectorAll('.reform-vega')];
  return counter !== null && counter.textContent === 'Month ' + month && charts.length > 0
    && charts.every(e => e.dataset.month === String(month));
}"""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    """Until `url` answers 200; fails early if the server exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"reform-class exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"reform-class did not answer at {url}")


@contextmanager
def serve(
    log: Path,
    host: str | None = None,
    options: Sequence[str] = (),
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """`reform-class [options]` on a free port of `host` (None: its default, 127.0.0.1), started
    in `cwd` with `env` added to the environment, its output in `log`; stopped (the whole process
    group) on exit. The CDN fallback points at a dead local port, so a front-end file that was
    not installed fails the test instead of quietly coming from the internet."""
    port = free_port(host or "127.0.0.1")
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/", **(env or {})}
    command = [str(Path(sys.executable).parent / "reform-class"), "--port", str(port), *options]
    if host is not None:
        command += ["--host", host]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        server = Server(f"http://{host or '127.0.0.1'}:{port}/", proc, log)
        try:
            wait_for(server.url, proc)
            yield server
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


def chromium() -> str:
    """Debian's chromium, which Playwright drives (its own downloaded browser is not used)."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Debian's chromium is not installed: run scripts/browser_setup.sh")
    return path
