"""While a command works, what can still go wrong becomes one line and an exit status: Ctrl-C,
SIGTERM and SIGHUP (128 + the signal's number, workers stopped, locks released), operating-system
errors such as a full disk, and unforeseen errors (exit 1; REFORM_DEBUG=1 shows the traceback)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from experiments.cli.messages import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    BadInput,
    fail,
    hydra_error,
    one_line,
)
from experiments.sweepdir import SweepError
from experiments.terminal import printable_streams
from simulation.config import ConfigError

SIGNALS = ("SIGTERM", "SIGHUP")


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C is."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def guarded(program: str, interrupted: str = "") -> Iterator[None]:
    """The body's errors as one line and an exit status: bad input 2, a failure during the work
    1 (REFORM_DEBUG=1 re-raises it with its traceback), Ctrl-C / SIGTERM / SIGHUP 128 + signal
    after stopping worker processes; `interrupted` says what was kept."""
    plain_warnings(program)
    printable_streams()
    os.environ["HYDRA_FULL_ERROR"] = "1"  # Hydra re-raises what it would print; we say it in a line
    if sys.platform != "win32":
        for name in SIGNALS:
            signal.signal(getattr(signal, name), _raise_interrupted)
    try:
        yield
    except KeyboardInterrupt as err:
        _stop(program, err, interrupted)
    except (BadInput, ConfigError, SweepError) as err:
        fail(program, str(err))
    except BrokenPipeError:  # the reader went away (`... | head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_FAILED) from None
    except Exception as err:
        if os.environ.get("REFORM_DEBUG"):
            raise
        fail(program, *_failure(err))


def _stop(program: str, err: KeyboardInterrupt, interrupted: str) -> None:
    """Stop the workers, say what was kept, exit 128 + the signal's number."""
    from experiments.sweep import stop_workers

    stop_workers()
    signum = getattr(err, "signum", signal.SIGINT)
    what = f" ({signal.Signals(signum).name})" if signum != signal.SIGINT else ""
    print(
        f"\n{program}: interrupted{what}{'; ' + interrupted if interrupted else ''}",
        file=sys.stderr,
    )
    raise SystemExit(128 + signum) from None


def _failure(err: Exception) -> tuple[str, int]:
    """What went wrong in one line, and the exit status: 2 for a configuration Hydra refused, 1
    for a failure during the work."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(err, HydraException | OmegaConfBaseException):
        return hydra_error(err, []), EXIT_BAD_INPUT
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}", EXIT_FAILED
    return f"{type(err).__name__}: {one_line(err)[:300]} (REFORM_DEBUG=1 shows where)", EXIT_FAILED


def plain_warnings(program: str) -> None:
    """Warnings as one plain line (`program: warning: ...`), without file and line."""
    warnings.formatwarning = lambda message, *args, **kwargs: f"{program}: warning: {message}\n"
