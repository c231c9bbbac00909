"""Running the project's commands as a user does: the console scripts of this venv, in a
subprocess, output captured. The one home of the tests' command runners."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
QUIET = {**os.environ, "PYTHONWARNINGS": "ignore"}


def command(
    program: str,
    *args: str,
    cwd: Path | str | None = None,
    timeout: int = 300,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """`program ARGS` (e.g. reform-run), its output captured as text."""
    return subprocess.run(
        [str(BIN / program), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=env,
    )


def compare(*args: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """`reform-compare ARGS`."""
    return command("reform-compare", *args, env=env, timeout=timeout)


def one_line(out: subprocess.CompletedProcess, code: int = 2) -> str:
    """The command failed with `code`, printed exactly one line and no traceback; that line."""
    text = out.stderr + out.stdout
    assert out.returncode == code and "Traceback" not in text, text[-3000:]
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text[-3000:]
    return lines[0]
