"""`reform-class` starts here: it restarts itself as `python -P -m simulation.dashboard.app` from the
dashboard package's own folder before anything else is imported.

`python -m` puts the current folder first on `sys.path`, and an empty PYTHONPATH entry (a stray
`:`) does the same for any command: a `yaml.py`, `numpy.py` or `solara/` lying in the folder a
teacher starts the server from (Downloads, a shared class folder) would be imported instead of
the real one. So this module uses only what the interpreter loaded at start-up (`os`, `sys`),
drops PYTHONPATH entries that name the starting folder, and runs the server with `-P` (the
current folder never on `sys.path`) from the package's folder (so Solara reads no `.env` there
and takes no folder named like the app for the app). It also selects the C library's malloc
(simulation/dashboard/app.py says why).
"""

import os
import sys

HOME = os.path.dirname(os.path.realpath(__file__))


def restart_safely() -> None:
    """Re-execute as `python -P -m simulation.dashboard.app ARGS` from HOME, unless this process already
    runs that way."""
    if sys.flags.safe_path and os.getcwd() == HOME and "PYTHONMALLOC" in os.environ:
        return
    started = os.path.realpath(os.getcwd())
    env = dict(os.environ)
    env["PYTHONSAFEPATH"] = "1"
    if sys.platform == "linux":
        env.setdefault("PYTHONMALLOC", "malloc")
    else:
        env.setdefault("PYTHONMALLOC", "default")
    entries = env.get("PYTHONPATH", "").split(os.pathsep)
    kept = [os.path.realpath(os.path.join(started, e)) for e in entries if e]
    env["PYTHONPATH"] = os.pathsep.join(e for e in kept if e != started)
    os.chdir(HOME)
    os.execve(
        sys.executable, [sys.executable, "-P", "-m", "simulation.dashboard.app", *sys.argv[1:]], env
    )


def main() -> None:
    restart_safely()
