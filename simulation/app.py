"""`reform-class`: the classroom dashboard, a Mesa SolaraViz app served on this machine.

    reform-class [--host 127.0.0.1] [--port 8765]

Every browser session gets its own model (see simulation/dashboard/page.py). The page's front
end is served from files installed from the npm registry (scripts/install_frontend.sh), so the
dashboard works with no internet access.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

from simulation.dashboard.page import Page

__all__ = ["Page", "main"]
APP = "simulation.dashboard.page"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="reform-class", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free)")
    return parser.parse_args(argv)


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def offline_ready() -> bool:
    """True when every front-end asset is installed; otherwise say how to install them."""
    from simulation.dashboard import assets

    todo = assets.missing()
    for spec in todo:
        print(f"reform-class: front-end asset {spec} is not installed; the page needs the "
              "internet until you run scripts/install_frontend.sh", file=sys.stderr)
    return not todo


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    port = args.port or free_port(args.host)
    # no telemetry and no version check: a classroom may have no internet at all
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    offline_ready()
    print(f"reform-class: the classroom dashboard is at http://{args.host}:{port}/", flush=True)
    from solara.__main__ import cli

    cli(["run", APP, "--host", args.host, "--port", str(port), "--production", "--no-open",
         "--no-check-version", "--log-level", "warning"], prog_name="reform-class")


if __name__ == "__main__":
    main()
