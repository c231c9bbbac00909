"""The validation report in Chinese: every text of it has a translation, a whole report built from
made-up outcomes (as tests/analysis/test_validation_report.py builds it) reads in Chinese with the same
verdicts and badges as the English one, the English one keeps its words, and `report.lang` is a
setting of reform-validate that bad values cannot pass and a finished sweep re-renders with."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.measures.outcomes import OUTCOMES
from analysis.reports import validation_report as vr
from analysis.studies import claims, robustness
from analysis.studies.sensitivity import screened
from analysis.words.records import Words
from tests.cli_support import command, one_line
from tests.report_support import placeholders_lost, untranslated

ROOT = Path(__file__).resolve().parents[2]
MARKED = [
    ROOT / "analysis" / f
    for f in (
        "studies/claims.py",
        "studies/study_sentences.py",
        "reports/validation_report.py",
        "reports/validation_figures.py",
        "reports/calibration.py",
        "studies/robustness.py",
    )
]
TEMPLATE = ROOT / "analysis" / "reports" / "templates" / "validation.html.j2"
CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def marked() -> set[str]:
    """Every literal text the validation's modules pass to `_()`, and every text of its template:
    `_()` calls and `{% trans %}` blocks, extracted as the template renders them (newstyle
    gettext: a literal % of a block is %%)."""
    from babel.messages.extract import extract_from_file

    found = set()
    for path in MARKED:
        for _, message, _, _ in extract_from_file("python", str(path), keywords={"_": None}):
            found.add(message if isinstance(message, str) else message[0])
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "newstyle_gettext": "true"}
    keywords = {"_": None, "gettext": None}
    for _, message, _, _ in extract_from_file(
        "jinja2.ext:babel_extract", str(TEMPLATE), keywords=keywords, options=options
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def given_as_values() -> set[str]:
    """Texts the validation looks up as values, not literals."""
    from experiments.targets import TARGETS

    return {
        claims.VERDICT_RULE,
        *claims.CLAIM_TEXTS,
        *claims.ALONE_LABEL.values(),
        *(label for _, label, _, _ in claims.REGROWTH_METRICS + claims.SERVICE_METRICS),
        *(o.label for o in OUTCOMES.values()),
        *robustness.VERDICT_WORDS,
        robustness.FLIPS_EVERYWHERE,
        *("supported", "not supported", "inconclusive", "not tested"),
        *("robust", "fragile", "not assessed", "quick", "full"),
        *(t.label for t in TARGETS),
        *(t.source for t in TARGETS),
        *(("column", w) for w in vr.COLUMNS),
        *(("origin", o) for o in ("calibrated", "assumed", "source")),
    }


def test_the_catalogue_translates_every_text_of_the_validation():
    texts = marked() | given_as_values()
    assert len(texts) > 150
    assert not untranslated(texts)


def test_a_block_with_values_keeps_them_in_chinese():
    """Each translation has the placeholders of its text, so `.format` and `%` fill them all."""
    assert not placeholders_lost(marked())


def test_every_screened_parameter_is_explained_in_chinese():
    from analysis.reports.assumptions import parameter_note, parameter_notes

    notes = {k: Words("zh").text(parameter_note(k)) for k in screened()}
    english = [k for k in screened() if english_runs(notes[k])]
    assert not english, [(k, notes[k]) for k in english]
    assert parameter_notes()["regrowth.penalty"].startswith("loss to a bureau")  # English as it was


def test_the_box_and_the_shares_of_robustness_csv_read_in_chinese():
    rests_on = "supervision.traceability_digital below 0.472; regrowth.penalty from 0.5 to 2"
    said = robustness.rests_on_text(rests_on, "zh")
    assert (
        said == "supervision.traceability_digital 低于 0.472；regrowth.penalty 介于 0.5 与 2 之间"
    )
    assert robustness.rests_on_text(rests_on, "en") == rests_on
    assert robustness.rests_on_text("flips in every draw", "zh") == "在每次抽样中都发生翻转"
    assert robustness.shares_text("holds 0.750; fails 0.250", "zh") == "成立 0.750；不成立 0.250"
    assert robustness.shares_text("came back 1.000", "en") == "came back 1.000"


def test_a_claim_keeps_its_verdict_and_says_its_evidence_in_chinese():
    rebound = (0.05, 0.06, 0.07)  # regrowth stops in both scenarios
    rows = [
        {"scenario": s, "seed": k, "items_rebound": r, "agencies_rebound": r,
         "realisation_end": 0.9}
        for s in ("internal_reform", "pressure_and_technology")
        for k, r in enumerate(rebound)
    ]  # fmt: skip
    zh = claims.check_claims(pd.DataFrame(rows), 0.2, "zh")
    en = claims.check_claims(pd.DataFrame(rows), 0.2)
    assert [c.verdict for c in zh] == [c.verdict for c in en]  # English keys: CSS and robustness
    assert zh[0].verdict == "not supported" and zh[0].claim.startswith("体制内改革会反弹")
    assert zh[0].evidence.startswith("体制内改革，3 次重复：审批事项反弹率 0.06（95 % 置信区间")
    assert "public_pressure_and_technology" in zh[3].evidence  # names the scenarios it needs
    assert not any(english_runs(c.evidence) for c in zh)


# the whole report ------------------------------------------------------------------------------
def english_runs(text: str) -> list[str]:
    """Runs of four or more English words (identifiers, numbers and units are not words)."""
    words = r"[A-Za-z][a-z']*(?:-[a-z]+)*"
    return re.findall(rf"(?<![\w.]){words}(?:[ ]+{words}){{3,}}(?![\w.])", text)


def visible(page: str) -> str:
    """The text a reader sees, without code, commands and settings (identifiers)."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(
        r"<(code|pre)>(?:(?!</?\1>).)*</\1>", lambda m: keep_rule(m.group(0)), page, flags=re.S
    )
    page = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape(page)


def keep_rule(block: str) -> str:
    """The verdict rule is prose in a <pre>; the commands and settings are not."""
    return block if CJK.search(block) or "Verdict rule" in block else " "


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> SimpleNamespace:
    """The same made-up results rendered in Chinese and in English."""
    from experiments import robustness_stage
    from experiments import validation_stages as vs
    from experiments.outputs import model_params
    from experiments.validate import composed, run_stages
    from tests.analysis.test_validation_report import enough_worlds, every_suspect_acts, made_up

    cfg = composed("validate", [])
    base, study = model_params(cfg), enough_worlds(cfg["study"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(vs, "read_outcomes", made_up(claim_holds=True))
        mp.setattr(robustness_stage, "acting", every_suspect_acts)
        runner = SimpleNamespace(sweep_dir=Path("."), run=lambda jobs, stage: None)
        results = run_stages(runner, list(vs.STAGES), base, study)
    settings = {"mode": "quick", "study": study, "base": base}
    built = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"validation_{lang}")
        command_line = f"reform-validate hydra.sweep.dir={folder} report.lang={lang}"
        report = vr.build_validation_report(
            folder, results, study, settings, [command_line], lang=lang
        )
        built[lang] = SimpleNamespace(
            page=report.path.read_text(), answer=report.answer, folder=report.path.parent
        )
    return SimpleNamespace(**built)


def badges(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<span class="badge ([\w-]+)">([^<]*?)(?: \d+ %)?</span>', page)


@pytest.mark.integration  # builds two whole report folders
def test_the_chinese_report_has_no_english_sentence_left(pages):
    page = pages.zh.page
    assert '<html lang="zh">' in page
    assert not english_runs(visible(page)), english_runs(visible(page))[:20]
    for heading in ("验证：典型事实", "1. 参数表取值下的典型事实", "2. 文章的论断", "3. 论断在什么条件下",
                    "相图：压力强度 × 技术水平", "情景发现（PRIM）", "4. 各项结论在多大程度上依赖于假设",
                    "5. 结果依赖于哪些参数", "Morris 筛选", "Sobol 指数", "6. 筛选参数的来源"):  # fmt: skip
        assert heading in page, heading
    assert "6 项典型事实中，有 5 项在容差范围内得到再现；未能再现：satisfaction_36" in page
    assert "判断规则" in page  # the verdict rule, in Chinese
    # the CSV files keep their English words (reform-report reads robustness.csv)
    robust = pd.read_csv(pages.zh.folder / "robustness.csv").set_index("key")
    assert (
        robust.loc["claim/1", "verdict"] == "holds" and "below" in robust.loc["claim/1", "rests_on"]
    )


@pytest.mark.integration
def test_the_verdicts_and_badges_are_the_english_ones_in_chinese_words(pages):
    zh, en = badges(pages.zh.page), badges(pages.en.page)
    assert [c for c, _ in zh] == [c for c, _ in en] and len(zh) > 20  # same verdicts, same order
    words = {"supported": "成立", "not-supported": "不成立", "robust": "稳健", "fragile": "脆弱",
             "not-assessed": "未评估", "inconclusive": "尚无定论", "undetermined": "无法判断"}  # fmt: skip
    for css, said in zh:
        assert said == words[css], (css, said)
    # the full package stops regrowth at the table's values but not where digital traces are
    # poor: fragile in Chinese too, with what flips it
    opening = pages.zh.page[pages.zh.page.index('<ul class="verdicts">') :]
    opening = opening[: opening.index("</ul>")]
    line = next(li for li in opening.split("<li>") if "（完整方案）" in li)
    assert '"badge supported">成立<' in line and '"badge fragile">脆弱 ' in line
    assert "supervision.traceability_digital 低于" in pages.zh.page
    assert pages.zh.answer.startswith("- [成立；稳健 100 %] 体制内改革会反弹")
    assert "[成立；脆弱 " in pages.zh.answer


@pytest.mark.integration
def test_the_english_report_keeps_its_words(pages):
    page = pages.en.page
    assert '<html lang="en">' in page and not CJK.search(visible(page))
    assert "5 of 6 stylized facts are met within their tolerance; missed: satisfaction_36" in page
    assert "<h2>2. The article's claims</h2>" in page and "The article&#39;s claims, judged" in page
    assert page.count('"better">supported<') == 5
    assert "<th>fact</th><th>scenario</th><th>observed</th><th>model (95 % CI)</th>" in page
    assert "<td>calibrated</td>" in page or "<td>assumed</td>" in page
    assert pages.en.answer.startswith("- [supported; robust 100 %] Internally driven reform")


@pytest.mark.integration
def test_the_chinese_figures_have_every_glyph(pages):
    """matplotlib warns for a glyph its fonts lack: the figures were drawn while the fixture ran,
    so draw one again here with warnings as errors."""
    import io
    import warnings

    from analysis.reports import validation_figures

    morris = pd.read_csv(pages.zh.folder / "morris.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = validation_figures.morris_figure(morris, words=Words("zh"))
        fig.savefig(io.BytesIO(), format="png")
    assert (pages.zh.folder / "figures" / "phase.svg").is_file()


# the setting ---------------------------------------------------------------------------------------
@pytest.mark.heavy
@pytest.mark.parametrize("value", ["fr", "EN", "''", "null", "1", "[zh]"])
def test_a_language_reform_validate_does_not_have_is_refused_in_one_line(capsys, tmp_path, value):
    from experiments.validate import check_app_keys

    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        check_app_keys([f"report.lang={value}", f"hydra.sweep.dir={tmp_path / 's'}"], "validate")
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert stop.value.code == 2 and len(lines) == 1, err
    assert lines[0].startswith("reform-validate: error: report.lang"), lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.heavy
@pytest.mark.parametrize("config_name", ["validate", "validate_full"])
def test_the_language_does_not_name_the_sweep_folder(config_name):
    """`reform-validate report.lang=zh` finds the folder `reform-validate` wrote, and so re-renders
    its report instead of running a new study."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from experiments.paths import CONF_DIR
    from experiments.settings import register

    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            alone = compose(config_name, ["report.lang=zh"], return_hydra_config=True)
            more = compose(
                config_name, ["stages=[check]", "report.lang=zh"], return_hydra_config=True
            )
    finally:
        GlobalHydra.instance().clear()
    assert alone.hydra.job.override_dirname == "" and alone.report.lang == "zh"
    assert more.hydra.job.override_dirname == "stages=[check]"


@pytest.mark.integration  # runs reform-validate twice (4 small runs, then none)
def test_a_finished_sweep_is_rendered_again_in_chinese_without_running(tmp_path):
    where = tmp_path / "tiny"
    small = ["stages=[phase]", "study.phase_size=2", "study.phase_seeds=1", "study.citizens=200",
             "study.enterprises=20", "study.steps=36", "warmup=2", f"hydra.sweep.dir={where}"]  # fmt: skip
    first = command("reform-validate", *small, cwd=tmp_path, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    english = (where / "report" / "index.html").read_text()
    assert '<html lang="en">' in english
    again = command("reform-validate", *small, "report.lang=zh", cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "(4 finished before, 0 now, 0 failed)" in again.stdout
    chinese = (where / "report" / "index.html").read_text()
    assert '<html lang="zh">' in chinese and "相图：压力强度 × 技术水平" in chinese
    assert "没有评判任何论断" in again.stdout
    bad = command("reform-validate", *small, "report.lang=xx", cwd=tmp_path)
    assert "report.lang: must be one of en, zh, got 'xx'" in one_line(bad)
    shutil.rmtree(where)
