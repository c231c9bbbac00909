"""Running the project's commands as a user does: the console scripts of this venv, in a
subprocess, output captured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def compare(*args: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """`reform-compare ARGS`, its output captured as text."""
    return subprocess.run(
        [str(BIN / "reform-compare"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
