"""Languages of what people read: English (the source strings) and Simplified Chinese.

Translations are gettext catalogues, `.po` files beside the layer that speaks them: the model's
shared words in `simulation/locale/<lang>/LC_MESSAGES/`, the reports' in `analysis/locale/`, the
classroom's in `simulation/dashboard/locale/`. A layer adds its folder with `speaks(folder)` when it
is imported, so the model never names the layers above it; the catalogues are read with Babel and
merged (no compile step). Terms follow
docs/glossary.md. Code marks a text with `t(lang)("...")`; a sentence with values is one message
with named placeholders, so a translation can reorder it:

    _ = t("zh")
    _("{noun} came back under {scenarios}").format(noun=..., scenarios=...)
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable, Sequence
from pathlib import Path

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
        for message in part:
            if message.id and message.string and message.id not in catalog:
                catalog[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def t(lang: str) -> Callable[[str], str]:
    """gettext for `lang`."""
    return translations(lang).gettext


def listing(items: Sequence[str], lang: str) -> str:
    """'a, b and c' in English, '甲、乙和丙' in Chinese."""
    items = list(items)
    if lang == "zh":
        return (
            "、".join(items[:-1]) + ("和" if len(items) > 1 else "") + (items[-1] if items else "")
        )
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def described(scenario: str, description: str, lang: str) -> str:
    """A scenario's description in `lang`: the catalogue's text for a scenario shipped with the
    model (message `scenario: <name>`), the file's own words otherwise."""
    key = f"scenario: {scenario}"
    said = t(lang)(key)
    return description if lang == "en" or said == key else said
