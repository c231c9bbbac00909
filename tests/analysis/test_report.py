"""The report, on hand-made sweeps: it states what the numbers say, and is self-contained."""

import re

import pandas as pd
import pytest

from analysis.measures.sweep_data import SweepData
from analysis.reports.report import Robustness, build_report
from tests.report_support import LEVELS, made_up_run

# every test here builds a whole report folder, figures included (about 3 s each)
pytestmark = pytest.mark.integration

CELLS = ("internal_reform", "public_pressure", "technology_only", "public_pressure_and_technology")
MONTHS, WARMUP, SEEDS = 48, 3, 6


def _run(scenario: str, seed: int, level_after: float, paper: float = 0.0) -> pd.DataFrame:
    return made_up_run(scenario, seed, level_after, paper, months=MONTHS, warmup=WARMUP)


def _sweep(levels: dict[str, float], paper: dict[str, float] | None = None) -> SweepData:
    paper = paper or {}
    runs = [_run(s, k, lvl, paper.get(s, 0.0)) for s, lvl in levels.items() for k in range(SEEDS)]
    results = pd.concat(runs, ignore_index=True)
    prov = pd.DataFrame(
        {"run_id": results["run_id"].unique(), "package_version": "0.1.0", "git_commit": "abc"}
    )
    return SweepData(results, prov, [])


def _figures(answer: str) -> str:
    """The paragraph with the figures, after the list of verdicts."""
    verdicts, figures = answer.split("\n\n", 1)
    assert all(line.startswith("- [") for line in verdicts.splitlines())
    return figures


def _first_paragraph(html: str) -> str:
    return re.search(r'<p class="answer">(.*?)</p>', html, re.S).group(1)


def test_a_sweep_where_nothing_regrows_is_not_reported_as_regrowth(tmp_path):
    collected = _sweep({s: 0.5 for s in ("status_quo", *CELLS)})
    report = build_report(tmp_path, collected, horizon=24)
    html = report.path.read_text()
    text = _first_paragraph(html)
    assert "grew back" not in text and "stayed down" in text
    assert text.split("This sweep")[1].count("stayed down") == 3  # items, agencies and staff
    assert _figures(report.answer).startswith(
        "In short: approval items, agencies and staff posts stayed down under “status quo”, "
        "“internal reform”"
    )
    assert "This sweep: 5 scenarios x 6 replicates" in report.answer
    # the page is self-contained, and every figure is there as PNG and SVG
    assert "rebound" in html.lower() and "How to reproduce" in html
    assert not re.search(r'src="(?!data:)', html)
    names = [
        "series_items_total",
        "series_agencies",
        "series_staff",
        "series_trips_mean",
        "series_realisation_rate",
        "series_satisfaction_rate",
        "rebound",
        "factorial",
        "cascade",
    ]
    for name in names:
        assert (report.path.parent / "figures" / f"{name}.png").stat().st_size > 0
        assert (report.path.parent / "figures" / f"{name}.svg").stat().st_size > 0
    assert (report.path.parent / "metrics.csv").exists()


def test_a_sweep_where_everything_regrows_says_so_at_the_level_asked(tmp_path):
    collected = _sweep({s: 1.0 for s in ("status_quo", *CELLS)})
    report = build_report(tmp_path, collected, horizon=24, level=0.9)
    text = _first_paragraph(report.path.read_text())
    assert "grew back under" in text and "stayed down" not in text and "partly" not in text
    assert "100 %, 90 % CI" in text


def test_the_answer_follows_the_numbers_per_scenario(tmp_path):
    levels = {s: level for s, level in LEVELS.items() if level is not None}
    answer = build_report(tmp_path, _sweep(levels), horizon=24).answer
    assert (
        "- [supported; not assessed] Approval items (open + hidden) came back under internal reform"
        in answer
    )
    assert "Approval items (open + hidden) stayed down under pressure and technology" in answer
    answer = _figures(answer)
    items = answer.split("Approval items")[1].split(".")[0]
    assert "grew back under “internal reform” (100 %" in items and "“public pressure” (6" in items
    assert "stayed down under “public pressure and technology”" in items
    assert "and “pressure and technology” (1 %" in items
    assert "partly grew back under “top down pressure” (30 %" in items
    # (PT - P) - (T - I) = (0 - 0.6) - (0.6 - 1) = -0.2 on the rebound: together more than the sum
    assert "more than the sum of each alone" in answer


def test_a_verdict_that_rests_on_assumptions_is_marked_fragile(tmp_path):
    """A validation's robustness table: the verdict on internal reform's items holds in 95 % of the
    plausible worlds, that on public pressure's in 60 %: robust and fragile; the rest were not
    assessed."""
    levels = {"internal_reform": 1.0, "public_pressure": 0.5}
    table = pd.DataFrame(
        [
            {
                "key": "regrowth/internal_reform/items",
                "verdict": "came back",
                "share_holding": 0.95,
                "shares": "came back 0.950; stayed down 0.050",
            },
            {
                "key": "regrowth/public_pressure/items",
                "verdict": "stayed down",
                "share_holding": 0.6,
                "shares": "stayed down 0.600; came back 0.400",
            },
        ]
    )
    robust = Robustness(table, "validation/report/robustness.csv")
    report = build_report(tmp_path, _sweep(levels), horizon=24, robustness=robust)
    lines = [line.rsplit(" (", 1)[0] for line in report.answer.split("\n\n")[0].splitlines()]
    assert (
        "- [supported; robust 95 %] Approval items (open + hidden) came back under internal reform"
        in lines
    )
    assert (
        "- [supported; fragile 60 %] Approval items (open + hidden) stayed down under public pressure"
        in lines
    )
    assert "- [supported; not assessed] Agencies came back under internal reform" in lines
    html = report.path.read_text()
    assert (
        'class="badge fragile">fragile 60 %' in html and "validation/report/robustness.csv" in html
    )


def test_the_brief_answers_first_then_lists_and_prints_on_one_page(tmp_path):
    levels = {"internal_reform": 1.0, "public_pressure": 0.5, "public_pressure_and_technology": 0.5}
    report = build_report(tmp_path, _sweep(levels, paper={"public_pressure": 0.8}), horizon=24)
    page = (report.path.parent / "brief.html").read_text()
    first = re.search(r'<p class="first">(.*?)</p>', page, re.S).group(1)
    assert first.startswith(
        "<b>Yes for approval items and agencies.</b> Under “public pressure and"
    )
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    assert "Outside pressure alone (“public pressure”): approval items stayed down" in items[0]
    assert "showed under “public pressure”" in items[1]  # paper compliance, from the numbers
    assert "@page { size: A4" in page and page.count("<img") == 1
    assert "What each scenario means in practice" in page and "How to reproduce" not in page


def test_a_chinese_report_and_brief_use_the_glossarys_terms(tmp_path):
    levels = {"internal_reform": 1.0, "public_pressure": 0.5}
    report = build_report(tmp_path, _sweep(levels), horizon=24, lang="zh")
    html = report.path.read_text()
    text = re.sub(
        r"<[^>]+>", "", re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", "", html, flags=re.S)
    )
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) >= 300
    assert '<html lang="zh">' in html and "审批事项" in html and "体制内改革" in html
    assert "- [成立; 未评估] 体制内改革下，审批事项（公开＋隐性）出现反弹" in report.answer
    page = (report.path.parent / "brief.html").read_text()
    assert "本次比较无法回答这一问题" in page and "各情景在实践中的含义" in page  # no package run


def test_few_replicates_and_a_missing_factorial_cell_are_said_not_guessed(tmp_path):
    collected = _sweep({"internal_reform": 1.0, "public_pressure_and_technology": 0.5})
    few = SweepData(collected.results[collected.results["seed"] < 2], collected.provenance, [])
    answer = build_report(tmp_path, few, horizon=24).answer
    assert "lacks “public pressure” and “technology only”" in answer
    assert "only 2 replicate(s)" in answer
    # a new report replaces the old one whole
    (tmp_path / "report" / "stale.txt").write_text("old")
    build_report(tmp_path, collected, horizon=24)
    assert not (tmp_path / "report" / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_the_first_paragraph_says_where_pressure_bred_paper_compliance(tmp_path):
    collected = _sweep({s: 0.5 for s in ("status_quo", *CELLS)}, paper={"public_pressure": 0.8})
    report = build_report(tmp_path, collected, horizon=24)
    first = _first_paragraph(report.path.read_text())
    paper = first[first.index("Paper compliance") :]
    assert "“public pressure” (records report" in paper
    assert "80 % of reported cuts were made only on paper" in paper
    assert paper.index("public pressure") < paper.index("reports and experience agree")
    agree = paper[paper.index("Under ") :]
    assert "public pressure and technology" in agree and "status quo" in agree
    assert (tmp_path / "report" / "figures" / "formalism.svg").is_file()


def test_a_sweep_of_an_older_version_without_the_formalism_columns_still_reports(tmp_path):
    old = _sweep({s: 0.5 for s in ("status_quo", *CELLS)})
    gone = ["realisation_rate_reported", "informal_visits", "items_relabelled", "staff_off_quota"]
    old.results = old.results.drop(columns=gone)
    report = build_report(tmp_path, old, horizon=24)
    assert "Paper compliance" not in _first_paragraph(report.path.read_text())
