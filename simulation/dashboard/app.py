"""`reform-class`: the classroom dashboard, a Mesa SolaraViz app served on this machine.

    reform-class [--host 127.0.0.1] [--port 8765] [--session-timeout 10m] [--max-sessions 100]

Every browser session gets its own model (see simulation/dashboard/page.py). The page's front
end is served from files installed from the npm registry (scripts/install_frontend.sh), so the
dashboard works with no internet access.

The server trusts no browser (simulation/dashboard/model_params.py, sessions.py) and nothing
in the folder it is started from: `reform-class` restarts itself as `python -P -m
simulation.dashboard.app` from the package's own folder before importing anything
(simulation/dashboard/launch.py), so no `yaml.py`, `numpy.py`, `solara/` or `.env` lying in a
teacher's Downloads folder is imported or read.

The allocator: Python's own gives memory back only in whole 1 MB arenas, and a few long-lived
objects made while a class works keep dozens of them: with it, 10 students who had left still
held 69 MB, with glibc's malloc (PYTHONMALLOC=malloc, set by the restart) and `malloc_trim` 27
MB (tests/classroom/test_dashboard_load.py; no slower at a step or a Reset).
"""

from __future__ import annotations

import argparse
import ctypes
import errno
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

from simulation.arguments import whole_number
from simulation.dashboard import lab, launch, sessions
from simulation.dashboard.page import Page

__all__ = ["Page", "main"]
APP = "simulation.dashboard.page"
# Solara keeps the session of a browser that went away without closing its page (a laptop put
# to sleep, a closed window whose close message was lost) for 24 hours, in case it reconnects.
# A class does not come back to a model the next day; ten minutes covers a dropped connection.
SESSION_TIMEOUT = "10m"
TRIM_DELAY = 3.0  # s: after Solara collects (1 s after a close), and after the rest of a class
# SIGTERM or Ctrl-C: sessions stop between two months at once; whatever still runs after this
# many seconds (a Reset building its model, a stuck connection) is cut short by exiting
STOP_GRACE = 3.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the usage block
        _refuse(message)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(
        prog="reform-class",
        description="reform-class: serve the classroom dashboard on this machine, one model "
        "per browser, in English or Chinese (a Mesa SolaraViz app).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8765, help="port to listen on (0: any free)")
    parser.add_argument(
        "--session-timeout",
        type=_duration,
        default=SESSION_TIMEOUT,
        help="how long the model of a browser that went away without closing its page waits "
        "for it to reconnect (30s, 10m, 2h; default %(default)s)",
    )
    parser.add_argument(
        "--scenarios-dir",
        default=str(lab.FOLDER),
        help="where the policy lab saves scenarios of one's own (every command can use them: "
        "scenarios_dir=FOLDER); default %(default)s",
    )
    parser.add_argument(
        "--max-sessions",
        type=whole_number(1, 10_000),
        default=sessions.MAX_SESSIONS,
        help="browser sessions that may hold a model at once; past it a new page is told to wait "
        "(about 15 MB each at the largest model; default %(default)s)",
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


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port: {text!r} (0 to 65535; 0: any free port)")
    return port


def listening_port(host: str, port: int) -> int:
    """The port the server will get: `port`, or a free one for 0. A host this machine cannot
    listen on, or a port in use, is refused in one line before anything is printed or started."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError, OverflowError) as err:
        _refuse(f"--host: cannot resolve {host!r} ({_why(err)})")
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            s.bind((host, port))
        except OSError as err:
            what = f"port {port} is in use" if err.errno == errno.EADDRINUSE else _why(err)
            _refuse(f"--port: cannot listen on {host}:{port} ({what}); choose another port")
        return s.getsockname()[1]


def _refuse(message: str) -> None:
    print(f"reform-class: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _why(err: Exception) -> str:
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


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
    returned; tests/classroom/test_dashboard_load.py). `malloc_trim` hands the free pages back. One thread,
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


def stop_promptly() -> None:
    """SIGTERM and Ctrl-C stop the server within STOP_GRACE seconds, whatever sessions do.

    Uvicorn (under Solara) shuts down gracefully: it waits for open connections and their
    handlers, and a Step or a Play running in a session kept it alive for minutes. Sessions
    now stop between two months as soon as the server is stopping (sessions.STOPPING), and
    whatever still runs after the grace is cut short. Uvicorn installs its own signal handlers
    when it starts, so its handler is wrapped here rather than replaced."""
    import uvicorn

    graceful = uvicorn.Server.handle_exit

    def handle_exit(server: uvicorn.Server, sig: int, frame: object) -> None:
        sessions.STOPPING.set()
        deadline = threading.Timer(STOP_GRACE, os._exit, args=(128 + int(sig),))
        deadline.daemon = True
        deadline.start()
        graceful(server, sig, frame)

    uvicorn.Server.handle_exit = handle_exit


def main(argv: list[str] | None = None) -> None:
    if (
        argv is None
    ):  # the command line (`python -m simulation.dashboard.app`), not a call from Python
        launch.restart_safely()
    args = parse_args(argv)
    sessions.configure(args.max_sessions)
    lab.configure(args.scenarios_dir)
    port = listening_port(args.host, args.port)
    # no telemetry and no version check: a classroom may have no internet at all
    solara_settings.telemetry.mixpanel_enable = False
    solara_settings.kernel.cull_timeout = args.session_timeout
    # Solara's "This website runs on Solara" banner is English only and not ours to translate
    solara_settings.theme.show_banner = False
    os.environ["SOLARA_THEME_SHOW_BANNER"] = "False"
    ensure_frontend()
    release_memory_after_sessions()
    stop_promptly()
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
