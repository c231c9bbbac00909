"""What the commands print, printable whatever the locale.

Under `LC_ALL=C` (without Python's UTF-8 mode) standard output is ASCII, and the report's own
answer (a minus sign, a non-breaking space before %, Chinese) failed to print after the report
was written. The commands' streams then fall back, character by character, to ASCII look-alikes
(− as -, ≥ as >=) and to `\\uXXXX` for what has none; nothing is lost from the files, which are
UTF-8 whatever the locale.
"""

from __future__ import annotations

import codecs
import io
import sys

ERRORS = "reform-plain"
LOOK_ALIKES = {
    "\u2212": "-",  # minus sign
    "\u2013": "-",
    "\u2014": "--",
    "\u00a0": " ",  # no-break space (before %)
    "\u202f": " ",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u00d7": "x",
    "\u2192": "->",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00b1": "+/-",
}


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    said = "".join(LOOK_ALIKES.get(c, c.encode("ascii", "backslashreplace").decode()) for c in text)
    return said, error.end


codecs.register_error(ERRORS, _plain)


def printable_streams() -> None:
    """Standard output and error keep their encoding but no longer fail on a character it
    cannot hold."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "surrogateescape"):
            stream.reconfigure(errors=ERRORS)
