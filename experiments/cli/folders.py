"""The folder a command writes: it must be creatable and writable before hours are spent, and
reform-run never writes into a finished run or someone else's files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from experiments.cli.messages import fail
from experiments.paths import RUN_FILES


def check_output_dir(program: str, folder: str | Path, key: str) -> None:
    """`folder` must be a directory, or creatable, and writable: tried by creating it and a
    temporary file in it, both removed again (Hydra creates it for real once every check passed)."""
    path = Path(folder).absolute()
    existing = path
    while not existing.exists() and not existing.is_symlink():
        existing = existing.parent
    if not existing.is_dir():
        what = "is not a directory" if existing == path else f"is inside {existing}, a file"
        fail(program, f"{key}: {folder} {what}; choose a directory")
    created = []
    try:
        for part in reversed([path, *path.parents]):
            if not part.exists():
                part.mkdir()
                created.append(part)
        fd, probe = tempfile.mkstemp(prefix=".write-check-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        fail(program, f"{key}: {folder} cannot be written ({err.strerror or err})")
    finally:
        for part in reversed(created):
            with contextlib.suppress(OSError):
                part.rmdir()


def refuse_kept_runs(program: str, folder: str, key: str) -> None:
    """reform-run writes runs into Hydra's folders, and Hydra writes its record (.hydra/) there
    before the run starts: a finished run, or someone else's files, must not be in the way."""
    if not Path(folder).is_dir():
        return
    path = Path(folder)
    multirun = key == "hydra.sweep.dir"
    finished = next(path.rglob("summary.json"), None) if multirun else path / "summary.json"
    if finished is not None and finished.is_file():
        where = "" if finished.parent == path else f" ({finished.parent.name})"
        fail(
            program,
            f"{key}: {folder} already holds a finished run{where}; choose another directory",
        )
    if multirun:
        return
    mine = {*RUN_FILES, ".hydra"}  # a run of reform-run holds these and nothing else
    others = sorted(p.name for p in path.iterdir() if p.name not in mine and not _temporary(p))
    if others:
        fail(
            program,
            f"{key}: {folder} holds files that are not a run of reform-run ({others[0]}, ...); "
            "choose a new or empty directory",
        )


def _temporary(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")
