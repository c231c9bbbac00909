"""Numbers and names as the report writes them (shares in %, differences of shares in points), as
records that a `Words` writes in its language where they are shown (analysis/words/records.py)."""

from __future__ import annotations

import math
from typing import Any

from analysis.measures.stats import Estimate
from analysis.words.records import (
    NOT_AVAILABLE,
    PERCENT_UNITS,
    SUFFIXES,
    Interval,
    Listing,
    Number,
    Scenario,
    WithCI,
    Words,
)

__all__ = ["NOT_AVAILABLE", "PERCENT_UNITS", "SUFFIXES"]


def number(value: float, unit: str, diff: bool = False, signed: bool = False) -> Number:
    """`diff`: a difference (signed; of shares in points). `signed`: a level with its sign."""
    return Number(value, unit, diff, signed)


def interval(est: Estimate, unit: str, diff: bool = False) -> Interval:
    """'lo to hi' of the mean's CI ('62 to 65 %'), or 'n/a'."""
    return Interval(est, unit, diff)


def mean_with_ci(est: Estimate, unit: str, level: float, diff: bool = False) -> WithCI:
    """E.g. '62 %, 95 % CI 58 to 66 %'."""
    return WithCI(est, unit, diff, level=level)


def percent(level: float) -> str:
    return f"{100 * level:.0f} %"


def scenario_label(name: str, lang: str = "en") -> str:
    """A scenario's name as running text ('internal reform'; in Chinese from the catalogue), for
    the code that writes its own words in a language (analysis/studies/claims.py)."""
    return Words(lang).scenario(name)


def quoted(name: str) -> Scenario:
    """A scenario's name quoted for a list in running text: '“public pressure and technology”'."""
    return Scenario(name, quoted=True)


def share_down(share: float) -> str:
    """A share in whole per cent, rounded down: 43 of 48 (89.6 %) is '89 %', never '90 %' beside a
    rule that says 90 % or more."""
    return f"{math.floor(100 * share + 1e-9):.0f} %"


def listing(parts: list[Any]) -> Listing:
    """'a', 'a and b', 'a, b and c' (Chinese: '甲、乙和丙')."""
    return Listing(tuple(parts))
