"""The classroom dashboard in Chinese, without a browser: every view and control rendered
in-process with `lang=zh` shows no English word but names and identifiers, and every record
the model writes for a journey's leg has its Chinese message."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets
import pytest
import solara
import solara.routing

from simulation import catalogue as cat
from simulation import journey
from simulation.dashboard import components, info, itinerary, lab_view, network, timeline
from simulation.dashboard.classroom import ClassroomModel
from simulation.dashboard.language import LANGUAGE
from simulation.dashboard.vega import VegaWidget
from simulation.i18n import Name, Said, Words
from simulation.items import HIDDEN, OPEN

ZH = Words("zh")

# what a Chinese page may still show in Latin letters: the project's name, the other language's
# name on the switch, and the names of software, journals and authors the Info tab cites
NAMES = (
    "reform-dynamics",
    "English",
    "Journal of Open Source Software",
    "ter Hoeven",
    "Wilensky",
    "NetLogo",
    "SolaraViz",
    "Solara",
    "Mesa",
    "YAML",
    "MIT",
)
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(texts: list[str]) -> list[str]:
    """Latin words left once identifiers (`<code>` spans, snake_case names) and NAMES are out."""
    found = []
    for text in texts:
        text = re.sub(r"<code>.*?</code>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        for name in NAMES:
            text = text.replace(name, " ")
        text = re.sub(r"\b\w+_\w+\b", " ", text)  # a scenario's or a file's name
        found += [f"{word} (in {text.strip()[:60]!r})" for word in WORD.findall(text)]
    return found


def chart_texts(spec: dict[str, Any], datasets: dict[str, list[dict[str, Any]]]) -> list[str]:
    """What a Vega-Lite chart writes on the page: titles, legends, the domains of the scales an
    axis or a legend shows, facet headers, and the data of every field a text, tooltip or colour
    shows."""
    texts: list[str] = []
    fields: set[str] = set()

    def strings(values: Any) -> list[str]:
        return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, key)
            return
        if not isinstance(node, dict):
            return
        title = node.get("title")
        texts.extend([title] if isinstance(title, str) else [])
        texts.extend([title.get("text", "")] if isinstance(title, dict) else [])
        if "field" in node:  # a channel: a legend or an axis shows its scale's domain
            guide = node.get("axis", {}) if key in ("x", "y") else node.get("legend", {})
            if guide is not None:
                texts.extend(strings(node.get("scale", {}).get("domain")))
                texts.extend(strings((guide or {}).get("values")))
            if key in ("text", "color", "facet", "y", "tooltip"):
                fields.add(node["field"])
            texts.extend(strings(node.get("sort")))
        for k, child in node.items():
            walk(child, k)

    walk(spec)
    for rows in datasets.values():
        texts += [row[f] for row in rows for f in fields if isinstance(row.get(f), str)]
    return texts


def widgets(rc: Any) -> list[ipywidgets.Widget]:
    """Every widget of a render, nested ones too (a Finder stops at the ones it matches)."""
    from reacton.find import finder

    queue, seen, found = list(finder(rc).widgets), set(), []
    while queue:
        value = queue.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, ipywidgets.Widget):
            found.append(value)
            queue += [getattr(value, name) for name in value.keys]
        elif isinstance(value, (list, tuple)):
            queue += value
        elif isinstance(value, dict):
            queue += value.values()
    return found


def page_texts(rc: Any) -> list[str]:
    """Every text the rendered widgets show: children, labels, menu items, HTML and charts."""
    texts: list[str] = []
    for widget in widgets(rc):
        if isinstance(widget, VegaWidget):
            texts += chart_texts(widget.spec, json.loads(widget.datasets))
            continue
        for name in ("children", "label", "items"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, (list, tuple)):
                for v in value:
                    if isinstance(v, str):
                        texts.append(v)
                    elif isinstance(v, dict) and isinstance(v.get("text"), str):
                        texts.append(v["text"])
        if isinstance(widget, solara.widgets.HTML):
            texts.append(widget.unsafe_innerHTML)
    return [t for t in texts if t.strip()]


@solara.component
def At(search: str) -> solara.Element:
    """The page at an address with this query string."""
    from simulation.dashboard.page import Layout, Page

    solara.routing.router_context.provide(solara.routing.Router(f"/?{search}", []))
    return Layout(children=[Page()])


@solara.component
def Speaking(lang: str, children: list[solara.Element] = []) -> solara.Element:  # noqa: B006
    """Views drawn alone, in the language a page's Layout would give them."""
    LANGUAGE.provide(solara.use_reactive(lang))
    return solara.Column(children=children)


@contextmanager
def rendered(element: solara.Element) -> Iterator[Any]:
    _box, rc = solara.render(element, handle_error=False)
    try:
        yield rc
    finally:
        rc.close()


@pytest.mark.heavy
@pytest.mark.parametrize(
    "search",
    [
        "lang=zh",
        "lang=zh&view=projector",
        "lang=zh&preset=no_such_exercise",
        "lang=zh&preset=full_package",
    ],
)
def test_the_chinese_page_shows_no_english(search):
    """The side bar (switch, month, monitors, preset note, controls) and the first tab's views:
    trends, network, journey and cascade; or the projector view."""
    with rendered(At(search)) as rc:
        texts = page_texts(rc)
        shown = " ".join(texts)
        assert "第 0 个月" in shown and "重置" in shown and "单步" in shown and "模型参数" in shown
        if "projector" not in search:
            assert "部门网络" in shown and "换一位申请人" in shown and "连锁变化" in shown
        if "no_such" in search:
            assert "没有名为“no_such_exercise”的预设练习" in shown
        assert not english_words(texts), english_words(texts)


def test_the_chinese_tabs_show_no_english(model):
    """The comparison with internal_reform, the policy lab (its institution switches too) and
    the Info tab, which the page renders lazily."""
    for view in (components.ComparisonView(model, 0), lab_view.LabView(), components.InfoView()):
        with rendered(Speaking("zh", children=[view])) as rc:
            texts = page_texts(rc)
            assert not english_words(texts), english_words(texts)
            shown = " ".join(texts)
            assert "这是什么？" in shown or "你的情景" in shown or "综合窗口" in shown


def test_the_controls_keep_their_values_in_chinese():
    """A menu shows Chinese names but hands the model the same values as in English."""
    from simulation.dashboard.controls import choice_name

    english = Words("en")
    assert choice_name("scenario_name", "pressure_and_technology", ZH) == "“最多跑一次”完整方案"
    assert (
        choice_name("scenario_name", "pressure_and_technology", english)
        == "pressure_and_technology"
    )
    assert choice_name("scenario_name", "my_own_scenario", ZH) == "my_own_scenario"
    assert choice_name("data_sharing", "as scenario", ZH) == "按情景设定"


def messages_of(record: Said | Name) -> set[str]:
    """The messages a record and the records among its values say."""
    if isinstance(record, Name):
        return set()
    inner = [v for v in record.values.values() if isinstance(v, Said | Name)]
    return {record.message}.union(*map(messages_of, inner))


@pytest.mark.heavy
def test_every_record_of_a_leg_reads_in_chinese():
    """Every leg of every matter, in person and online, with window, hidden steps and informal
    pre-visits, says where and why in Chinese; between them the legs say every message of
    simulation/journey.py and every level."""
    seen: set[str] = set()
    for scenario in ("status_quo", "pressure_and_technology", "one_window_no_data"):
        m = ClassroomModel(citizens=500, seed=1, scenario_name=scenario)
        for _ in range(12):  # windows open and matters go online
            m.step()
        gov = m.government
        gov.pre_visits[: len(gov.pre_visits) // 2] = True
        status = gov.items.status[: gov.items.n]
        status[(status == OPEN) & (gov.items.owner[: gov.items.n] % 5 == 0)] = HIDDEN
        gov.items.online[: gov.items.n : 2] = True
        gov.in_window[gov.items.owner[: gov.items.n : 2]] = False  # online, at its own counter
        for matter in itinerary.MATTER_NAMES:
            legs = [leg for n in range(6) for leg in itinerary.follow(m, matter, n)["legs"]]
            for online in (False, True):  # whoever the applicants were
                legs += m.journey(0, cat.MATTER[matter], online)
            for leg in legs:
                for record in (leg["where"], leg["why"]):
                    said = ZH.say(record)
                    assert not english_words([said]), (record, said)
                    seen |= messages_of(record)
    assert seen == {*journey.MESSAGES, *cat.LEVELS}  # a bureau at its level


def test_a_leg_reads_as_the_model_wrote_it_in_english_and_in_chinese_words():
    name = Said(journey.BUREAU, {"bureau": Name("bureau", "housing_fund"), "level": Said("city")})
    assert Words("en").say(name) == "housing_fund (city)"
    assert ZH.say(name) == "住房公积金管理部门（市级）"
    why = Said(journey.FETCHED, {"count": 2, "name": name})
    assert Words("en").say(why) == "2 paper certificate(s) for housing_fund (city): you fetch them"
    assert ZH.say(why) == "住房公积金管理部门（市级）要求的 2 份纸质证明：需要自己去开"


def test_names_of_bureaus_matters_and_changes_are_all_in_chinese(model):
    texts = [network.bureau_name(d, ZH, short) for d in cat.DOMAINS for short in (True, False)]
    texts += [ZH.term("matter", m) for m in itinerary.MATTER_NAMES]
    texts += [timeline.order(model, ZH)]
    texts += [v for row in timeline.rows(model) for v in timeline.shown(row, ZH).values()]
    assert not english_words([str(t) for t in texts])
    short = [network.bureau_name(d, ZH, True) for d in cat.DOMAINS]
    assert len(set(short)) == len(short)


def test_the_info_tab_has_every_section_in_chinese():
    page = info.to_html(ZH)
    assert page.count("<h3>") == len(info.SECTIONS) and page.count("<li>") > 10
    assert "这是什么？" in page and "李小园" in page and "<code>scenarios/</code>" in page
    assert not re.search(r"第 \d+ 个月", page)  # the month counter stays the first on the page
