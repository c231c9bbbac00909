"""The whole comparison report in Chinese: every paragraph, table and figure of `reform-report
--lang zh`, the first paragraph written from the numbers included, with the English report as it
was. The catalogue (analysis/locale/zh/LC_MESSAGES/report.po) holds every text the report's
code and template mark, and every word of the data it looks up (metrics, parameters, units,
institutions, the cascade's kinds)."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.measures import cascade
from analysis.measures.summary import METRICS, QUANTITIES
from analysis.measures.sweep_data import SweepData
from analysis.reports import assumptions
from analysis.reports.report import build_report
from simulation import scenarios
from simulation.parameters import ENTRIES
from tests.report_support import LEVELS, made_up_run, placeholders_lost, untranslated

ROOT = Path(__file__).resolve().parents[2]
REPORT_CODE = [
    ROOT / "analysis" / f"{name}.py"
    for name in (
        "reports/report",
        "words/narrative",
        "reports/context",
        "reports/figures",
        "reports/tables",
        "measures/cascade",
        "words/formatting",
        "reports/brief",
        "reports/attached",
        "reports/scale",
    )
]
TEMPLATES = [
    ROOT / "analysis" / "reports" / "templates" / f"{name}.html.j2" for name in ("report", "brief")
]
MONTHS, WARMUP, SEEDS = 48, 3, 3  # 3 seeds: fewer than a distribution-free interval needs
PAPER = {"public_pressure": 0.8}  # the share of its cut made only on paper


# the catalogue --------------------------------------------------------------------------------------
def report_messages() -> set[str]:
    """Every text the report's code and template mark: `_()` in Python; `_()` and `{% trans %}`
    blocks (which Jinja turns into `gettext()`) in the template."""
    from babel.messages.extract import extract_from_file

    found = set()
    for path in REPORT_CODE:
        for _, message, _, _ in extract_from_file("python", str(path), keywords={"_": None}):
            found.add(message)
    for template in TEMPLATES:
        extracted = extract_from_file(
            "jinja2.ext:babel_extract",
            str(template),
            keywords={"_": None, "gettext": None},
            options={"extensions": "jinja2.ext.i18n", "trim_blocks": "true"},
        )
        found |= {message for _, message, _, _ in extracted}
    return found


def data_words() -> set[str]:
    """The words of the data the report looks up in the catalogue."""
    words = {m.label for m in METRICS.values()} | {m.words for m in METRICS.values()}
    words |= {("better", m.better) for m in METRICS.values() if m.better != "none"}
    words |= {"more than the sum", "about the sum", "less than the sum", "undetermined"}
    words |= {("kind of change", c) for c in cascade.CATEGORIES}
    words |= {cascade.NO_CHANGE, cascade.EVERY_CHANGE, cascade.BUREAUS_OWN}
    words |= set(QUANTITIES.values())
    for e in ENTRIES.values():  # every declared parameter (the validation report's too)
        words |= {e.doc, ("origin", e.origin)}
        words |= {("unit", e.unit)} if e.unit else set()
        words |= {e.ref} if e.ref else set()
    for name in scenarios.available():
        words |= {("institution", i) for i in scenarios.load(name)["institutions"]}
    return words


def test_the_chinese_catalogue_translates_every_text_of_the_report():
    texts = report_messages() | data_words()
    assert len(texts) > 250
    assert not untranslated(texts)


def test_each_translation_keeps_the_placeholders_of_its_message():
    """A placeholder lost or misspelt in the translation would raise, or drop a value."""
    assert not placeholders_lost(report_messages())


# the report -----------------------------------------------------------------------------------------
def _run(scenario: str, seed: int) -> pd.DataFrame:
    """LEVELS[scenario] by month 14 (never cut: flat); a share PAPER[scenario] of the cut made
    only on paper, with informal pre-visits."""
    paper = PAPER.get(scenario, 0.0)
    return made_up_run(
        scenario,
        seed,
        LEVELS[scenario],
        paper,
        months=MONTHS,
        warmup=WARMUP,
        informal_per_paper=0.1,
    )


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [1, 2, 2, 5],
            "category": ["functional", "process", "organisational", "functional"],
            "kind": ["cut", "window", "merge", "devolve"],
            "count": [50, 3, 2, 4],
            "source": ["campaign", "bureaus", "bureaus", "bureaus"],
            "new_bureaus": [0, 3, 2, 4],
        }
    )


def _lives() -> pd.DataFrame:
    """Four agencies: two ended (at ages 3 and 10), two alive at the end."""
    return pd.DataFrame(
        {
            "agency": range(4),
            "bureau": [0, 0, 1, 1],
            "founded": [0, 0, 0, 5],
            "ended": pd.array([3, None, 10, None], dtype="Int64"),
            "cause": pd.array(["merged", None, "abolished", None], dtype="string"),
        }
    )


def _sweep() -> SweepData:
    """Every scenario shipped with the model, with its file, settings that differ from the
    defaults in a few places, commands, two commits, a failed and an incomplete run."""
    results = pd.concat([_run(s, k) for s in LEVELS for k in range(SEEDS)], ignore_index=True)
    runs = list(results["run_id"].unique())
    provenance = pd.DataFrame(
        {
            "run_id": runs,
            "package_version": "0.2.0",
            "git_commit": ["abc" if i % 2 else "def" for i in range(len(runs))],
        }
    )
    settings = {k: v for k, v in assumptions.default_table().items() if k not in ("seed",)}
    settings["steps"], settings["warmup"] = MONTHS, WARMUP
    settings["population"] = {**settings["population"], "citizens": 5000, "enterprises": 500}
    configs = {
        s: {**settings, "scenario": yaml.safe_load((ROOT / "scenarios" / f"{s}.yaml").read_text())}
        for s in LEVELS
    }
    return SweepData(
        results,
        provenance,
        incomplete=["technology_only/seed7"],
        failed={"internal_reform/seed9": "RuntimeError: boom"},
        record={"settings": settings, "commands": [{"command": "reform-compare seeds=3"}]},
        configs=configs,
        events={r: _events() for r in runs},
        agencies={r: _lives() for r in runs},  # the survival curve and median lives
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The report of one sweep in each language; the Chinese one built with every warning an
    error (matplotlib warns for each glyph its fonts lack)."""
    data = _sweep()
    out = {}
    for lang in ("en", "zh"):
        folder = tmp_path_factory.mktemp(f"report_{lang}")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out[lang] = build_report(folder, data, horizon=24, lang=lang).path
    return out


def visible_text(page: str) -> str:
    """What a reader of the page sees as prose: no style, code, commands or formulas, and no
    scenario, parameter or run names (identifiers of the data)."""
    page = re.sub(r"<(head|style|script|code|pre|sub)\b[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<span class="formula">.*?</span>', " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\b[a-z]+(?:[_./][a-z0-9]+)+\b", " ", text)  # internal_reform, population.x
    return re.sub(r"\s+", " ", text)


ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]+){3,}")  # 4 English words or more


@pytest.mark.integration  # builds a whole report folder
def test_the_chinese_report_leaves_no_english_sentence(reports):
    page = reports["zh"].read_text()
    text = visible_text(page)
    assert not ENGLISH_RUN.findall(text), ENGLISH_RUN.findall(text)
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 3000
    for term in ("审批事项", "编外人员", "形式主义", "反弹率", "实现率", "综合窗口", "容缺受理"):
        assert term in text, term
    # the parts that show only in some sweeps are there, in Chinese
    assert "本报告未纳入 1 次失败的运行" in text and "本报告未纳入 1 次未完成的运行" in text
    assert "各次运行来自不同的提交" in text
    assert "不依赖分布假设的 95 % 区间至少需要 6 次重复" in text
    assert "本次模拟：7 个情景，每个情景重复 3 次" in text


@pytest.mark.integration  # builds a whole report folder
def test_the_first_paragraph_is_written_in_chinese_from_the_numbers(reports):
    page = reports["zh"].read_text()
    answer = re.search(r'<p class="answer">(.*?)</p>', page, re.S).group(1)
    assert not ENGLISH_RUN.findall(visible_text(answer))
    assert answer.startswith(
        "简而言之：在“维持现状”下，审批事项、机构和人员从未被削减；在“体制内改革”、"
        "“自上而下的压力”、“体制外压力”和“仅有技术支撑”下，审批事项、机构和人员出现反弹；"
    )
    assert "审批事项（公开＋隐性）在“体制内改革”（反弹率 100 %，95 % 置信区间" in answer
    assert "在“自上而下的压力”（反弹率 30 %" in answer and "下部分反弹" in answer
    assert "在“体制外压力”（部门记录显示" in answer and "有 80 % 只停留在纸面上" in answer
    assert "压力与技术结合是否更有效？" in answer and "注意：每个情景只有 3 次重复" in answer
    assert "。 " not in answer  # no space between Chinese sentences


@pytest.mark.integration  # builds a whole report folder
def test_the_english_report_keeps_its_english_paragraphs(reports):
    page = reports["en"].read_text()
    text = visible_text(page)
    assert re.search(
        r'<p class="answer">In short: approval items, agencies and staff posts were never cut '
        r"under “status quo”; approval items, agencies and staff posts came back under "
        r"“internal reform”",
        page,
    )
    for sentence in (
        "This sweep: 7 scenarios x 3 replicates (common random numbers), 48 months after the "
        "launch, 5,000 simulated citizens and 500 firms.",
        "Rebound is the share of a cut that came back within 24 months.",
        "Left out of this report: 1 run(s) that failed",
        "Months count from the reform launch (month 0); before it every scenario shares the same "
        "status-quo warm-up.",
        "A cut followed for less than H/2 months is censored (no ratio).",
        "A bureau pressed to show results it has no means to deliver can look changed instead",
        "(off, on) = technology_only, (on, on) = public_pressure_and_technology.",
        "the cascade the article describes.",
        "Scenarios set institutions only; outcomes come from the mechanisms.",
        "median of the replicates (line) and their 10-90 % band, per scenario (PNG, SVG).",
    ):
        assert sentence in re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page))), (
            sentence
        )
    assert not re.search(r"[\u4e00-\u9fff]", text)
    assert "rebound ratio of cuts, agencies" in text and "lower" in text


@pytest.mark.integration  # builds a whole report folder
def test_the_chinese_figures_speak_chinese(reports):
    """Every figure's text in the Chinese report (matplotlib writes each text as a comment of the
    SVG) is in Chinese; that no glyph is missing the fixture checks (warnings as errors)."""
    folder = reports["zh"].parent / "figures"
    for name in ("rebound", "formalism", "factorial", "cascade", "series_items_total"):
        texts = re.findall(r"<!-- (.*?) -->", (folder / f"{name}.svg").read_text())
        shown = " ".join(t for t in texts if not re.fullmatch(r"[\d.,−\-+%\s\[\]]*", t))
        assert re.search(r"[\u4e00-\u9fff]", shown), name
        assert not ENGLISH_RUN.findall(html.unescape(shown)), (name, shown)


@pytest.mark.integration  # builds a whole report folder
def test_the_chinese_brief_names_the_sweep_in_chinese(reports):
    brief = (reports["zh"].parent / "brief.html").read_text()
    assert "以上为模拟结果（7 个情景，每个情景重复 3 次，采用共同随机数" in brief
    text = visible_text(brief)
    assert not ENGLISH_RUN.findall(text), ENGLISH_RUN.findall(text)
    assert "审批事项和机构：能。" in text  # the first line answers, yes or no


@pytest.mark.integration  # builds a whole report folder
def test_the_chinese_report_sits_beside_the_english_one(reports):
    """`--lang zh` writes report/zh/; the English report/ is left where it is."""
    assert reports["zh"].parent.name == "zh" and reports["zh"].parent.parent.name == "report"
    assert reports["en"].parent.name == "report"
