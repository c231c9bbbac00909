"""Languages of what people read: English (the source strings) and Simplified Chinese.

Translations are gettext catalogues, `.po` files beside the layer that speaks them: the model's
shared words in `simulation/locale/<lang>/LC_MESSAGES/`, the reports' in `analysis/locale/`, the
classroom's in `simulation/dashboard/locale/`. A layer adds its folder with `speaks(folder)` when it
is imported, so the model never names the layers above it; the catalogues are read with Babel and
merged (no compile step). Terms follow
docs/glossary.md. Code marks a text with `Words(lang)("...")`; a sentence with values is one message
with named placeholders, so a translation can reorder it:

    _ = Words("zh")
    _("{noun} came back under {scenarios}").format(noun=..., scenarios=...)

A name of the model (a scenario, a bureau, a matter) is a message with a context (msgctxt): the
context says what kind of name it is, the message is the name itself, `Words.term` looks it up.
A page builds one `Words` for its language and hands it to what renders.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "zh")
LOCALE_DIR = Path(__file__).parent / "locale"  # the model's own words
_FOLDERS: list[Path] = [LOCALE_DIR]
DOMAIN = "reform"


class LanguageError(ValueError):
    pass


def check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise LanguageError(f"lang: no language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return lang


def speaks(folder: Path) -> None:
    """Add a layer's catalogues (`folder/<lang>/LC_MESSAGES/*.po`) to every language."""
    if folder not in _FOLDERS:
        _FOLDERS.append(folder)
        translations.cache_clear()


def catalogues(lang: str) -> list[Path]:
    """The `.po` files of `lang` in every folder a layer added, one per part of the project
    (reform.po: shared words and verdicts; report.po, validation.po, dashboard.po)."""
    return [
        po for folder in _FOLDERS for po in sorted((folder / lang / "LC_MESSAGES").glob("*.po"))
    ]


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang` (English: the source strings themselves): every catalogue of it,
    read as one."""
    check(lang)
    files = catalogues(lang)
    if lang == "en" or not files:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = None
    for po in files:
        with po.open("rb") as f:
            part = read_po(f, locale=lang)
        if catalog is None:
            catalog = part
            continue
        for message in part:  # (context, id) is the key: the same name in two contexts is two
            if message.id and message.string and catalog.get(message.id, message.context) is None:
                catalog[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Name:
    """A name of the model (a bureau, a matter) and its kind, the context of its message."""

    kind: str
    name: str


@dataclass(frozen=True)
class Said:
    """What the model says as a record: a message (its English words, the message id) and its
    values, which may be records too, or tuples of names to list; rendered where it is shown
    (`Words.say`)."""

    message: str
    values: Mapping[str, Any] = field(default_factory=dict)


def fallback(said: str, key: str, otherwise: str) -> str:
    """`said`, the catalogue's answer for `key`, or `otherwise` where the catalogue has none:
    gettext answers a message it lacks with the message itself."""
    return otherwise if said == key else said


class Words:
    """What is shown in one language: its messages, the names of the model by kind (msgctxt)
    and lists. Built once where a page or a report renders, and handed to what renders."""

    def __init__(self, lang: str) -> None:
        self.lang = check(lang)
        self.catalogue = translations(lang)

    def __call__(self, message: str) -> str:
        return self.catalogue.gettext(message)

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def known(self, message: str, otherwise: str) -> str:
        """The catalogue's text for `message`, or `otherwise` where it has none (as in English)."""
        return fallback(self(message), message, otherwise)

    def term(self, context: str, name: str, otherwise: str | None = None) -> str:
        """The word for `name`, a name of kind `context` (msgctxt "scenario", "bureau", ...), or
        `otherwise` (the name itself) where the catalogue has none, as in English."""
        said = self.catalogue.pgettext(context, name)
        return fallback(said, name, name if otherwise is None else otherwise)

    def say(self, record: Said | Name) -> str:
        """A record of the model in this language, its values rendered first."""
        if isinstance(record, Name):
            return self.term(record.kind, record.name)
        return self(record.message).format(**{k: self._value(v) for k, v in record.values.items()})

    def _value(self, value: Any) -> Any:
        """A value of a record: a record rendered, a tuple of names listed ('a, b and c')."""
        if isinstance(value, Said | Name):
            return self.say(value)
        return self.listing(value) if isinstance(value, tuple) else value

    def listing(self, items: Sequence[str]) -> str:
        """'a, b and c' in English, '甲、乙和丙' in Chinese."""
        items = list(items)
        if self.lang == "zh":
            last = items[-1] if items else ""
            return "、".join(items[:-1]) + ("和" if len(items) > 1 else "") + last
        if len(items) <= 2:
            return " and ".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]

    def described(self, scenario: str, description: str) -> str:
        """A scenario's description: the catalogue's text for a scenario shipped with the model
        (msgctxt "scenario"), the file's own words otherwise (and in English)."""
        return self.term("scenario", scenario, description)
