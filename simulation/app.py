"""`reform-class`: the classroom dashboard, a Mesa SolaraViz app served on this machine.

    reform-class [--host 127.0.0.1] [--port 8765]

Every browser session gets its own model (see simulation/dashboard/page.py). The page's front
end is served from files installed from the npm registry (scripts/install_frontend.sh), so the
dashboard works with no internet access.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys

import solara.server.settings as solara_settings

from simulation.dashboard.page import Page

__all__ = ["Page", "main"]
APP = "simulation.dashboard.page"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="reform-class", description="The classroom dashboard: a Mesa SolaraViz app."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free)")
    return parser.parse_args(argv)


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


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    port = args.port or free_port(args.host)
    # no telemetry and no version check: a classroom may have no internet at all
    solara_settings.telemetry.mixpanel_enable = False
    ensure_frontend()
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
