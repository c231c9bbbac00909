"""Languages: the Chinese catalogue covers every text the code marks, figures in Chinese have every
glyph, and a report and its brief come out in Chinese with the glossary's terms."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest

import simulation.dashboard  # noqa: F401  (its catalogue)
from analysis.reports.figures import SERIES
from analysis.studies import claims, robustness
from analysis.words import narrative
from simulation import catalogue as cat
from simulation import i18n, journey, scenarios
from simulation.dashboard import (
    components,
    controls,
    info,
    itinerary,
    network,
    presets,
    series,
    timeline,
)
from simulation.dashboard.page import MODEL_PARAMS
from simulation.mechanisms.cascade import CATEGORIES, CATEGORY

ROOT = Path(__file__).resolve().parents[2]
MARKED = [*ROOT.glob("analysis/**/*.py"), *ROOT.glob("simulation/**/*.py")]
TEMPLATES = [*ROOT.glob("analysis/reports/templates/*.j2")]


def marked_messages() -> set[str]:
    """Every literal text the code and the templates pass to `_()`."""
    from babel.messages.extract import extract_from_file

    found = set()
    for path in MARKED:
        for _, message, _, _ in extract_from_file("python", str(path), keywords={"_": None}):
            found.add(message if isinstance(message, str) else message[0])
    for path in TEMPLATES:
        extracted = extract_from_file(
            "jinja2.ext:babel_extract",
            str(path),
            # {% trans %} blocks compile to gettext()/ngettext() calls
            keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
            options={
                "extensions": "jinja2.ext.i18n",
                "trim_blocks": "true",
                "newstyle_gettext": "true",
            },
        )
        for _, message, _, _ in extracted:
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_chinese_catalogue_translates_every_marked_text():
    _ = i18n.Words("zh")
    texts = marked_messages() | {
        # texts passed to `_()` as values, not literals
        *SERIES.values(),
        *narrative.NOUNS.values(),
        *narrative.SHORT_NOUNS.values(),
        *(narrative.FELL, narrative.NEVER_CUT, "fell, stayed down", "never cut"),
        *claims.CLAIM_TEXTS,
        *(s.replace("_", " ") for s in scenarios.available()),
        *("supported", "inconclusive", "robust", "fragile", "not assessed"),
        *("came back", "stayed down", *robustness.CELL_WORDS.values()),
        # the dashboard's labels, panels, series, tabs and presets
        *(label for _, label, _ in series.INDICATORS),
        *(label for _, label in series.SINCE_LAUNCH),
        *series.PANELS,
        *series.SERIES_LABEL.values(),
        *components.TABS,
        *(p.title for p in presets.PRESETS.values()),
        *(p.look_at for p in presets.PRESETS.values()),
        *("indicators month by month", "department network", "this month", "month by month"),
        *("one applicant's journey, trip by trip", series.trends_title()),
        "cascade: process, organisational and functional changes",
        *(spec["label"] for spec in MODEL_PARAMS.values()),
        *controls.SWITCH_NAMES.values(),
        *network.STATES,
        *network.SIZES,
        *network.TOOLTIP,
        *cat.LEVELS,
        *(title for _field, title in timeline.TOOLTIP),
        *CATEGORIES,
        *journey.MESSAGES,
        *itinerary.HEADINGS,
        *("citizen", "enterprise", "series", "month", "value", "reform-dynamics: classroom"),
        *info.messages(),
    }
    assert len(texts) > 80
    missing = sorted(m for m in texts if _(m) == m)
    assert not missing, missing


def test_the_chinese_catalogue_names_every_name_of_the_model():
    """Names by their kind (msgctxt): scenarios, bureaus, matters, changes and their sources."""
    names = {
        *(("scenario", s) for s in scenarios.available()),
        *(("bureau", d) for d in cat.DOMAINS),
        *(("bureau, short", d) for d in cat.DOMAINS),
        *(("change", kind) for kind in CATEGORY),
        *(("source", source) for source in timeline.SOURCES),
        *(("matter", m) for m in itinerary.MATTER_NAMES),
    }
    zh = i18n.translations("zh")
    missing = sorted(n for n in names if zh.pgettext(*n) == n[1])
    assert not missing, missing


def test_a_chinese_figure_has_every_glyph():
    """Rendered with warnings as errors: matplotlib warns for each glyph its fonts lack."""
    import matplotlib.pyplot as plt

    import analysis.reports.figures  # noqa: F401  (registers the CJK font)

    fig, ax = plt.subplots()
    ax.set_title(
        i18n.Words("zh")("Approval items (open + hidden)") + "：最多跑一次、编制、形式主义"
    )
    ax.set_xlabel(
        i18n.Words("zh")("month (0 = reform launch; before it, the shared status-quo warm-up)")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
        fig.savefig(io.BytesIO(), format="svg")
    plt.close(fig)


def test_a_language_that_is_not_there_is_refused():
    with pytest.raises(i18n.LanguageError, match="lang: no language 'fr'; allowed: en, zh"):
        i18n.translations("fr")


def test_lists_read_naturally_in_both_languages():
    assert i18n.Words("en").listing(["a", "b", "c"]) == "a, b and c"
    assert i18n.Words("zh").listing(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert i18n.Words("zh").listing(["甲"]) == "甲"


def test_a_custom_scenario_keeps_its_own_description_in_chinese():
    assert i18n.Words("zh").described("my_reform", "my words") == "my words"
    assert i18n.Words("zh").described("internal_reform", "x").startswith("政府自我改革")


def test_no_text_is_translated_two_ways_across_the_catalogues():
    """The catalogues of one language are read as one (simulation/i18n.py): a text two of them
    translate differently would read one way or the other depending on the files' order."""
    from babel.messages.pofile import read_po

    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    clashes = []
    for po in sorted(i18n.catalogues("zh")):
        with po.open("rb") as f:
            for message in read_po(f, locale="zh"):
                if not message.id or not message.string:
                    continue
                key = (message.context, message.id)  # a name is a message in its context
                first = seen.setdefault(key, (po.name, message.string))
                if first[1] != message.string:
                    clashes.append(f"{message.id!r}: {first[0]} and {po.name}")
    assert not clashes, clashes


def test_a_name_in_its_context_and_the_same_text_alone_are_two_messages(tmp_path, monkeypatch):
    """The catalogues are merged by (context, message): a name one catalogue gives in its
    context is kept though another translates the same text alone."""
    parts = {
        "alone": 'msgid "water"\nmsgstr "水"\n',
        "named": 'msgctxt "bureau"\nmsgid "water"\nmsgstr "水利局"\n',
    }
    for part, text in parts.items():
        folder = tmp_path / part / "zh" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / f"{part}.po").write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "_FOLDERS", [tmp_path / "alone", tmp_path / "named"])
    i18n.translations.cache_clear()
    try:
        words = i18n.Words("zh")
        assert words("water") == "水" and words.term("bureau", "water") == "水利局"
        assert words.term("matter", "water") == "water"  # no such name: the name itself
    finally:
        i18n.translations.cache_clear()
