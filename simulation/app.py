"""`reform-class`: the classroom dashboard, a Mesa SolaraViz app served on this machine.

    reform-class [--host 127.0.0.1] [--port 8765] [--session-timeout 10m]

Every browser session gets its own model (see simulation/dashboard/page.py). The page's front
end is served from files installed from the npm registry (scripts/install_frontend.sh), so the
dashboard works with no internet access.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import socket
import subprocess
import sys
import threading
import time

import solara.lab
import solara.server.settings as solara_settings
import solara.util

from simulation.dashboard.page import Page

__all__ = ["Page", "main"]
APP = "simulation.dashboard.page"
# Solara keeps the session of a browser that went away without closing its page (a laptop put
# to sleep, a closed window whose close message was lost) for 24 hours, in case it reconnects.
# A class does not come back to a model the next day; ten minutes covers a dropped connection.
SESSION_TIMEOUT = "10m"
TRIM_DELAY = 3.0  # s: after Solara collects (1 s after a close), and after the rest of a class


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="reform-class", description="The classroom dashboard: a Mesa SolaraViz app."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free)")
    parser.add_argument(
        "--session-timeout",
        type=_duration,
        default=SESSION_TIMEOUT,
        help="how long the model of a browser that went away without closing its page waits "
        "for it to reconnect (30s, 10m, 2h; default %(default)s)",
    )
    return parser.parse_args(argv)


def _duration(text: str) -> str:
    try:
        seconds = solara.util.parse_timedelta(text)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 30s, 10m, 2h)")
    return text


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def ensure_frontend() -> None:
    """Install missing front-end files now if npm can (a venv made without scripts/setup.sh);
    otherwise say that the page will need the internet."""
    from simulation.dashboard import assets

    todo = assets.missing()
    if not todo:
        return
    print(f"reform-class: installing the front end from npm: {', '.join(todo)}", flush=True)
    try:
        assets.install(todo, assets.cache_dir())
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        print(
            f"reform-class: could not install the front end ({error}); the page needs the "
            "internet until scripts/install_frontend.sh has run",
            file=sys.stderr,
        )


def release_memory_after_sessions() -> None:
    """Give the memory of closed browser sessions back to the operating system.

    Solara frees a closed session's model and widgets, but glibc keeps the freed heap for reuse,
    so the server's RSS stayed at its peak after a class left (30 sessions: +170 MB, none of it
    returned; tests/test_dashboard_load.py). `malloc_trim` hands the free pages back. One thread,
    woken by every session close and debounced, so a class leaving at once costs one pass.
    Nothing to do where there is no glibc."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    closed = threading.Event()

    def trimmer() -> None:
        while True:
            closed.wait()
            time.sleep(TRIM_DELAY)
            closed.clear()
            gc.collect()
            trim(0)

    threading.Thread(target=trimmer, name="reform-class-trim", daemon=True).start()
    # called as each session (Solara kernel) starts; what it returns runs when the session closes
    solara.lab.on_kernel_start(lambda: closed.set)


def use_system_malloc() -> None:
    """Run the server on the C library's malloc (restart with PYTHONMALLOC=malloc).

    Python's own allocator gives memory back only in whole 1 MB arenas, and a few long-lived
    objects made while a class works (thread and widget bookkeeping) keep dozens of them: with
    it, 10 students who had left still held 69 MB, with glibc's malloc and `malloc_trim` 27 MB
    (tests/test_dashboard_load.py; no slower at a step or a Reset). Linux only; a PYTHONMALLOC
    already set is kept."""
    if sys.platform != "linux" or "PYTHONMALLOC" in os.environ:
        return
    os.environ["PYTHONMALLOC"] = "malloc"
    os.execv(sys.executable, [sys.executable, "-m", "simulation.app", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> None:
    if argv is None:  # the command line, not a call from Python
        use_system_malloc()
    args = parse_args(argv)
    port = args.port or free_port(args.host)
    # no telemetry and no version check: a classroom may have no internet at all
    solara_settings.telemetry.mixpanel_enable = False
    solara_settings.kernel.cull_timeout = args.session_timeout
    ensure_frontend()
    release_memory_after_sessions()
    print(f"reform-class: the classroom dashboard is at http://{args.host}:{port}/", flush=True)
    from solara.__main__ import cli

    cli(
        [
            "run",
            APP,
            "--host",
            args.host,
            "--port",
            str(port),
            "--production",
            "--no-open",
            "--no-check-version",
            "--log-level",
            "warning",
        ],
        prog_name="reform-class",
    )


if __name__ == "__main__":
    main()
