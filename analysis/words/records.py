"""Words at the edge: the reports' findings are records, computed without a language, and turned
into text once, where a page or a figure shows them.

A record is a message id plus values (`Say`), or a value the language writes its own way (a
number, a scenario's name, a list, clauses, sentences). The code that finds things writes
`_("{noun} came back").format(noun=...)` as before, with `_` the record's constructor, so the
catalogue's extraction (keyword `_`) still sees every message. A `Words`, built once for a
language where the page is rendered, renders a record and every record inside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.measures.stats import Estimate
from simulation import i18n

PERCENT_UNITS = ("share", "ratio")
# the units a number carries after it, per language (English: the source)
SUFFIXES = {
    "en": {"points": " pts", "months": " months", "days": " days"},
    "zh": {"points": " 个百分点", "months": " 个月", "days": " 天"},
}
NOT_AVAILABLE = {"en": "n/a", "zh": "不适用"}


class Text:
    """A record of words still to be written in a language."""

    def render(self, words: Words) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Say(Text):
    """A catalogue message and the values of its placeholders (`context`: its msgctxt)."""

    msgid: str
    values: Mapping[str, Any] | None = None
    context: str | None = None

    def format(self, **values: Any) -> Say:
        return Say(self.msgid, values, self.context)

    def join(self, parts: Iterable[Any]) -> Joined:
        return Joined(self, tuple(parts))

    def render(self, words: Words) -> str:
        text = words.pgettext(self.context, self.msgid) if self.context else words(self.msgid)
        if self.values is None:
            return text
        return text.format(**{k: words.text(v) for k, v in self.values.items()})


def _(msgid: str) -> Say:
    """The mark of a message (the keyword the catalogue's extraction looks for)."""
    return Say(msgid)


@dataclass(frozen=True)
class Joined(Text):
    """Parts with a translated separator between them (`_("; ").join(parts)`)."""

    sep: Text
    parts: tuple[Any, ...]

    def render(self, words: Words) -> str:
        return words.text(self.sep).join(words.text(p) for p in self.parts)


@dataclass(frozen=True)
class Number(Text):
    """`diff`: a difference (signed; of shares in points). `signed`: a level with its sign."""

    value: float
    unit: str
    diff: bool = False
    signed: bool = False

    def render(self, words: Words) -> str:
        return words.number(self.value, self.unit, self.diff, self.signed)


@dataclass(frozen=True)
class Interval(Text):
    """A mean's CI: '58 to 66 %'."""

    est: Estimate
    unit: str
    diff: bool = False

    def render(self, words: Words) -> str:
        return words.interval(self.est, self.unit, self.diff)


@dataclass(frozen=True)
class WithCI(Interval):
    """The mean in front of its CI, at `level`: '62 %, 95 % CI 58 to 66 %'."""

    level: float = field(kw_only=True)

    def render(self, words: Words) -> str:
        return words.mean_with_ci(self.est, self.unit, self.level, self.diff)


@dataclass(frozen=True)
class Scenario(Text):
    """A scenario's name as running text, `quoted` for a list ('“public pressure”')."""

    name: str
    quoted: bool = False

    def render(self, words: Words) -> str:
        return words.quoted(self.name) if self.quoted else words.scenario(self.name)


@dataclass(frozen=True)
class Listing(Text):
    """'a, b and c' (Chinese: '甲、乙和丙')."""

    parts: tuple[Any, ...]

    def render(self, words: Words) -> str:
        return words.model.listing([words.text(p) for p in self.parts])


@dataclass(frozen=True)
class Clauses(Text):
    """Clauses of one sentence: 'a, b and c' in English, '甲，乙，丙' in Chinese."""

    parts: tuple[Any, ...]

    def render(self, words: Words) -> str:
        parts = [words.text(p) for p in self.parts]
        return "，".join(parts) if words.lang == "zh" else words.model.listing(parts)


@dataclass(frozen=True)
class Sentences(Text):
    """Sentences of one paragraph: a space between them in English, none in Chinese."""

    parts: tuple[Any, ...]

    def render(self, words: Words) -> str:
        return ("" if words.lang == "zh" else " ").join(words.text(p) for p in self.parts)


@dataclass(frozen=True)
class Capitalised(Text):
    """The first letter upper case ('Yes for approval items')."""

    inner: Any

    def render(self, words: Words) -> str:
        text = words.text(self.inner)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Aside(Text):
    """A remark in brackets after a word: ' (x)' in English, '（x）' in Chinese."""

    inner: Any

    def render(self, words: Words) -> str:
        text = words.text(self.inner)
        return f"（{text}）" if words.lang == "zh" else f" ({text})"


@dataclass(frozen=True)
class Described(Text):
    """A scenario's description: the catalogue's for a shipped scenario, else the file's own."""

    scenario: str
    description: str

    def render(self, words: Words) -> str:
        return words.model.described(self.scenario, self.description)


@dataclass(frozen=True)
class Later(Text):
    """Words a function writes in a language by itself (`write(*args, lang)`), called only when
    the record is shown."""

    write: Callable[..., str]
    args: tuple[Any, ...] = ()

    def render(self, words: Words) -> str:
        return self.write(*self.args, words.lang)


class Words:
    """One language's way of writing the reports' records: built once where a page or a figure
    is made, and given to what draws or renders it."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = i18n.check(lang)
        self.model = i18n.Words(lang)  # the model's words: names by kind, lists
        self.gettext, self._pgettext = self.model.catalogue.gettext, self.model.catalogue.pgettext

    def __call__(self, msgid: str) -> str:
        return self.gettext(msgid)

    def pgettext(self, context: str, msgid: str) -> str:
        """The message `msgid` in `context` (msgctxt)."""
        return self._pgettext(context, msgid)

    def text(self, value: Any) -> str:
        """A record, or a plain value as it is (already words: a name, a figure)."""
        return value.render(self) if isinstance(value, Text) else str(value)

    def page(self, value: Any) -> Any:
        """Every record in a page (dicts, lists and tuples of them) rendered."""
        if isinstance(value, Text):
            return value.render(self)
        if isinstance(value, dict):
            return {k: self.page(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.page(v) for v in value]
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            return tuple(self.page(v) for v in value)
        return value

    def number(self, value: float, unit: str, diff: bool = False, signed: bool = False) -> str:
        if value is None or not math.isfinite(value):
            return NOT_AVAILABLE[self.lang]
        suffixes = SUFFIXES[self.lang]
        if unit in PERCENT_UNITS:
            digits, scale, suffix = 0, 100.0, suffixes["points"] if diff else " %"
        else:
            digits, scale = (2 if unit in ("trips", "contacts") else 1), 1.0
            suffix = suffixes.get(unit, "") if unit in ("months", "days") else ""
        text = f"{scale * value:,.{digits}f}"
        if float(text.replace(",", "")) == 0:  # no "-0" or "+0"
            return f"0{suffix}" if not digits else f"{text.lstrip('-')}{suffix}"
        sign = "+" if (diff or signed) and value > 0 else ""
        return f"{sign}{text}{suffix}".replace("-", "−")

    def interval(self, est: Estimate, unit: str, diff: bool = False) -> str:
        """'lo to hi' of the mean's CI ('62 to 65 %'), or 'n/a'."""
        if not math.isfinite(est.lo):
            return NOT_AVAILABLE[self.lang]
        lo, hi = self.number(est.lo, unit, diff), self.number(est.hi, unit, diff)
        for suffix in (" %", *SUFFIXES[self.lang].values()):
            if lo.endswith(suffix) and hi.endswith(suffix):
                lo = lo[: -len(suffix)]
        return self("{low} to {high}").format(low=lo, high=hi)

    def mean_with_ci(self, est: Estimate, unit: str, level: float, diff: bool = False) -> str:
        text = self.number(est.mean, unit, diff)
        if math.isfinite(est.lo):
            text = self("{mean}, {level} CI {interval}").format(
                mean=text, level=f"{100 * level:.0f} %", interval=self.interval(est, unit, diff)
            )
        return text

    def scenario(self, name: str) -> str:
        """A scenario's name as running text ('internal reform'; in Chinese from the catalogue)."""
        label = name.replace("_", " ")
        return self(label) if self.lang != "en" else label

    def quoted(self, name: str) -> str:
        """Quoted for a list in running text, so that a name with "and" in it cannot run into
        the next (Chinese: quotes inside the name become single quotes)."""
        label = self.scenario(name)
        if self.lang == "zh":
            label = label.replace("“", "‘").replace("”", "’")
        return f"“{label}”"


ENGLISH = Words("en")  # the source language, for a renderer called without one
