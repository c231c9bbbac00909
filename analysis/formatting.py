"""Numbers as the report writes them: shares in %, differences of shares in points."""

from __future__ import annotations

import math

from analysis.stats import Estimate
from simulation import i18n
from simulation.i18n import t

PERCENT_UNITS = ("share", "ratio")
# the units a number carries after it, per language (English: the source)
SUFFIXES = {
    "en": {"points": " pts", "months": " months", "days": " days"},
    "zh": {"points": " 个百分点", "months": " 个月", "days": " 天"},
}
NOT_AVAILABLE = {"en": "n/a", "zh": "不适用"}


def number(
    value: float, unit: str, diff: bool = False, signed: bool = False, lang: str = "en"
) -> str:
    """`diff`: a difference (signed; of shares in points). `signed`: a level with its sign."""
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE[lang]
    words = SUFFIXES[lang]
    if unit in PERCENT_UNITS:
        digits, scale, suffix = 0, 100.0, words["points"] if diff else " %"
    else:
        digits, scale = (2 if unit in ("trips", "contacts") else 1), 1.0
        suffix = words.get(unit, "") if unit in ("months", "days") else ""
    text = f"{scale * value:,.{digits}f}"
    if float(text.replace(",", "")) == 0:  # no "-0" or "+0"
        return f"0{suffix}" if not digits else f"{text.lstrip('-')}{suffix}"
    sign = "+" if (diff or signed) and value > 0 else ""
    return f"{sign}{text}{suffix}".replace("-", "−")


def interval(est: Estimate, unit: str, diff: bool = False, lang: str = "en") -> str:
    """'lo to hi' of the mean's CI ('62 to 65 %'), or 'n/a'."""
    if not math.isfinite(est.lo):
        return NOT_AVAILABLE[lang]
    lo, hi = number(est.lo, unit, diff, lang=lang), number(est.hi, unit, diff, lang=lang)
    for suffix in (" %", *SUFFIXES[lang].values()):
        if lo.endswith(suffix) and hi.endswith(suffix):
            lo = lo[: -len(suffix)]
    return t(lang)("{low} to {high}").format(low=lo, high=hi)


def mean_with_ci(
    est: Estimate, unit: str, level: float, diff: bool = False, lang: str = "en"
) -> str:
    """E.g. '62 %, 95 % CI 58 to 66 %'."""
    text = number(est.mean, unit, diff, lang=lang)
    if math.isfinite(est.lo):
        text = t(lang)("{mean}, {level} CI {interval}").format(
            mean=text, level=percent(level), interval=interval(est, unit, diff, lang)
        )
    return text


def percent(level: float) -> str:
    return f"{100 * level:.0f} %"


def scenario_label(name: str, lang: str = "en") -> str:
    """A scenario's name as running text ('internal reform'; in Chinese from the catalogue)."""
    label = name.replace("_", " ")
    return t(lang)(label) if lang != "en" else label


def quoted(name: str, lang: str = "en") -> str:
    """A scenario's name quoted for a list in running text: '“public pressure and technology”',
    so that a name with "and" in it cannot run into the next (Chinese: quotes inside the name
    become single quotes)."""
    label = scenario_label(name, lang)
    if lang == "zh":
        label = label.replace("“", "‘").replace("”", "’")
    return f"“{label}”"


def share_down(share: float) -> str:
    """A share in whole per cent, rounded down: 43 of 48 (89.6 %) is '89 %', never '90 %' beside a
    rule that says 90 % or more."""
    return f"{math.floor(100 * share + 1e-9):.0f} %"


def listing(parts: list[str], lang: str = "en") -> str:
    """'a', 'a and b', 'a, b and c' (Chinese: '甲、乙和丙')."""
    return i18n.listing(parts, lang)
