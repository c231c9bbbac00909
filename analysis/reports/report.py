"""The comparison report of a sweep (built at the end of reform-compare, or alone by
reform-report): SWEEP_DIR/report/index.html and its one-page brief.html (in Chinese:
SWEEP_DIR/report/zh/, beside the English), self-contained (the CJK glyphs a page uses embedded in
it), with every figure also as PNG and SVG and every table as CSV; the first paragraph is written
from this sweep's numbers."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.cascade import (
    ARTICLE_ORDER,
    BUREAUS_OWN,
    EVERY_CHANGE,
    counts,
    event_orders,
    order_label,
    run_orders,
)
from analysis.measures.factorial import CELLS, factorial, missing_cells
from analysis.measures.regrowth import default_horizon
from analysis.measures.stats import describe, differences
from analysis.measures.summary import METRICS, run_metrics
from analysis.measures.sweep_data import SweepData
from analysis.measures.thresholds import ROBUST_SHARE
from analysis.reports import attached, brief, figures, fonts, lives, tables
from analysis.reports.context import institution_label, sweep_context
from analysis.reports.scale import away_from_calibration, scale_sentence
from analysis.studies import robustness
from analysis.words import narrative
from analysis.words.formatting import percent, share_down
from analysis.words.records import Aside, Described, Joined, Later, Scenario, Text, Words, _
from simulation import i18n
from simulation.outputs import with_totals
from simulation.scenarios import ordered

BASELINES = ("status_quo", "internal_reform")
KEY_METRICS = (
    "items_rebound",
    "agencies_rebound",
    "staff_rebound",
    "items_net_change",
    "staff_net_change",
    "trips_mean_end",
    "realisation_rate_end",
    "satisfaction_rate_end",
)
TEMPLATES = Path(__file__).parent / "templates"
# a verdict in a cell of the report's and the brief's tables, where the column names the quantity
WORDS = {
    **robustness.CELL_WORDS,
    narrative.FELL: "fell, stayed down",
    narrative.NEVER_CUT: "never cut",
}


class ReportError(Exception):
    """The report cannot be built; `str()` is one line."""


@dataclass
class Report:
    path: Path
    answer: str


def run_table(results: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """One row per run: scenario, seed and every metric of analysis.measures.summary.METRICS."""
    rows = [
        {"run_id": r, "scenario": s, "seed": k, **run_metrics(g, horizon)}
        for (r, s, k), g in results.groupby(["run_id", "scenario", "seed"], sort=True)
    ]
    return pd.DataFrame(rows)


def scenario_order(names: set[str]) -> list[str]:
    """The report's order: by each scenario file's `order:`, the rest by name."""
    return ordered(names)


@dataclass(frozen=True)
class Options:
    """What a comparison report is asked for besides its sweep, the same for every report a
    sweep writes (a factor sweep's levels included). `horizon`: months after a cut in which
    regrowth is measured (None: the run length's default); `level`: of the CIs; `robustness`: a
    validation's robustness table, to mark each verdict robust or fragile (without it, every
    verdict is "not assessed"); `lang`: the page's language."""

    horizon: int | None = None
    level: float = 0.95
    robustness: Robustness | None = None
    lang: str = "en"


def build_report(sweep_dir: Path, data: SweepData, **options: Any) -> Report:
    """Analyse the sweep's finished runs and write its report folder into `sweep_dir`
    (replacing any older one): `report/` in English, `report/<lang>/` beside it in another
    language. `options`: those of `Options`. A factor sweep's report is
    analysis.reports.sweep_report's."""
    asked = Options(**options)
    return write_report(Path(sweep_dir), data, report_folder(Path(sweep_dir), asked.lang), asked)


def write_report(sweep_dir: Path, data: SweepData, target: Path, options: Options) -> Report:
    """The report of `data`'s runs, written to the folder `target` (replacing any older one)."""
    sweep_dir, level, lang = Path(sweep_dir), options.level, options.lang
    results = data.results
    if results.empty:
        raise ReportError(f"{sweep_dir}: no finished run to report on")
    results = with_totals(results)  # e.g. items_total, drawn by the report
    months = int(results["step"].max())
    horizon = options.horizon or default_horizon(months)
    runs = run_table(results, horizon)
    twice = runs[runs.duplicated(["scenario", "seed"], keep=False)]
    if not twice.empty:  # e.g. a multirun over another parameter than scenario and seed
        first = twice.iloc[0]
        raise ReportError(
            f"{sweep_dir}: several runs of {first['scenario']} with seed {first['seed']} "
            f"({', '.join(twice['run_id'][:2])}); they differ in a setting, which a comparison "
            "cannot tell apart: sweep it as a factor (reform-compare KEY=A,B)"
        )
    scenarios = scenario_order(set(runs["scenario"]))
    rank = {s: i for i, s in enumerate(scenarios)}
    runs = runs.sort_values(
        ["scenario", "seed"], key=lambda c: c.map(rank) if c.name == "scenario" else c
    )
    context = sweep_context(sweep_dir, data, runs, scenarios, months, horizon, level)
    context["scale"] = scale_sentence(away_from_calibration(_settings(data)))
    with tempfile.TemporaryDirectory(prefix=".report-", dir=sweep_dir) as tmp:
        out = Path(tmp) / "report"
        (out / "figures").mkdir(parents=True)
        page = _analyse(results, runs, scenarios, context, out, level, options.robustness)
        # the one place the figures are drawn in the report's language
        page["figures"] = figures.all_figures(
            results,
            runs,
            scenarios,
            page["estimates"],
            *page["drawn"],
            out / "figures",
            level,
            lang,
        )
        ends = results.groupby("run_id")["step"].max().astype(int).to_dict()
        survival, page["median_lives"] = lives.survival_page(
            data.agencies, runs, ends, scenarios, out / "figures", lang
        )
        page["figures"] += survival
        (out / "index.html").write_text(
            render_template("report.html.j2", page, lang), encoding="utf-8"
        )
        brief_html = render_template("brief.html.j2", brief_page(page), lang)
        (out / "brief.html").write_text(brief_html, encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_folder(out, target)
    return Report(target / "index.html", Words(lang).text(page["answer"]))


def report_folder(sweep_dir: Path, lang: str = "en") -> Path:
    """`report/` for English, `report/<lang>/` beside it for another language: a Chinese report
    never replaces the English one."""
    return sweep_dir / "report" if lang == "en" else sweep_dir / "report" / i18n.check(lang)


def _settings(data: SweepData) -> list[dict[str, Any]]:
    """Every run configuration the sweep knows of (the record's settings and each scenario's)."""
    found = [data.record.get("settings") or {}, *data.configs.values()]
    return [c for c in found if c]


def _analyse(
    results: pd.DataFrame,
    runs: pd.DataFrame,
    scenarios: list[str],
    ctx: dict,
    out: Path,
    level: float,
    robust: Robustness | None = None,
) -> dict[str, Any]:
    """The report's page: its numbers, and its words as records (analysis/words/records.py)."""
    metrics = list(METRICS)
    table = describe(runs, metrics, level, {m: METRICS[m].bounds for m in metrics})
    diffs = {b: differences(runs, b, metrics, level) for b in BASELINES}
    missing = missing_cells(set(scenarios))
    factorials = (
        [] if missing else [factorial(runs, m, METRICS[m].better, level) for m in KEY_METRICS]
    )
    cascade = {
        EVERY_CHANGE: counts(run_orders(results)),
        BUREAUS_OWN: counts(event_orders(ctx["events"], runs)),
    }
    horizon_text = _("{months} months").format(months=ctx["horizon"])
    verdicts = robustness.comparison_verdicts(
        runs,
        table,
        factorials,
        robust.table if robust else None,
        robust_share=ROBUST_SHARE,
        level=level,
    )
    relabel(verdicts, table)
    count_worlds(verdicts, robust.table if robust else None)
    figures_text = narrative.answer(
        runs, table, factorials, missing, horizon_text, level, ctx["sentence"]
    )
    lines = [verdict_line(v) for v in verdicts]
    answer = Joined("\n", (*lines, "", figures_text))
    tables.write_csv(out, table, diffs, factorials, cascade[EVERY_CHANGE])
    runs.to_csv(out / "run_metrics.csv", index=False)
    return {
        **ctx,
        "answer": answer,
        "drawn": (factorials, cascade),
        "verdicts": verdicts,
        "verdict_grid": robustness.verdict_grid(verdicts),
        "WORDS": WORDS,
        "estimates": table,
        "robust_share": ROBUST_SHARE,
        "came_back": narrative.PARTLY,
        "robustness_study": _study_sentence(robust, ctx),
        "caution": narrative.caution(int(runs.groupby("scenario").size().min()), level),
        "sum_verdicts": [v for v in verdicts if v["key"].startswith("sum/")],
        "figures_text": figures_text,
        "robustness_source": robust.source if robust else None,
        "scenarios": scenarios,
        "metric_rows": tables.metric_rows(table, scenarios),
        "diff_tables": {
            b: tables.difference_rows(diffs[b], [s for s in scenarios if s != b])
            for b in BASELINES
            if diffs[b]
        },
        "factorial_rows": tables.factorial_rows(factorials),
        "missing_cells": missing,
        "cascade": _cascade_rows(cascade, scenarios),
        "article_order": Later(order_label, (ARTICLE_ORDER,)),
        "cascade_views": list(cascade),
        "cells": CELLS,
        "institution_labels": {n: Later(institution_label, (n,)) for n in ctx["institution_names"]},
        "pt_extra_labels": [Later(institution_label, (n,)) for n in ctx["pt_extra"]],
        "described": _described(ctx["descriptions"]),
    }


def brief_page(page: dict[str, Any]) -> dict[str, Any]:
    """What the one-page brief shows (analysis.reports.brief), from the report's page."""
    lines, table = page["verdicts"], page["estimates"]
    scenarios = page["scenarios"]
    figure = next((f for f in page["figures"] if f["name"] == "brief_items_total"), None)
    return {
        "question": brief.question(),
        "headline": brief.headline(lines, table, scenarios),
        "answer": [
            brief.pressure_sentence(lines, table, scenarios),
            brief.paper_sentence(lines),
        ],
        "how_sure": brief.how_sure(lines, scenarios, page["robustness_source"] is not None),
        "rows": brief.rows(lines, table, scenarios, WORDS),
        "figure": figure,
        "sentence": page["sweep_size"],
        "caution": page["caution"],
        "scale": page["scale"],
        "robustness_source": page["robustness_source"],
        "robustness_study": page["robustness_study"],
        "came_back": percent(narrative.PARTLY),
        "robust_share_text": percent(ROBUST_SHARE),
        "scenarios": scenarios,
        "descriptions": _described(page["descriptions"]),
    }


def _described(descriptions: dict[str, str]) -> dict[str, Later]:
    """Each scenario's description, in the page's language when it is rendered."""
    return {s: Described(s, d) for s, d in descriptions.items()}


def relabel(lines: list[dict[str, Any]], table: dict) -> None:
    """`shown`: the verdict a reader sees. A quantity with no measured rebound ("was not cut" in
    the robustness table's words) fell and stayed down, or was never cut: its net change says
    which (analysis.words.narrative.uncut_word), and its sentence says so."""
    said = {
        narrative.FELL: _("{noun} fell and stayed down under {scenario}"),
        narrative.NEVER_CUT: _("{noun} were never cut under {scenario}"),
    }
    for v in lines:
        v["shown"] = v["word"]
        kind, scenario, q = robustness.parse_key(v["key"])
        if kind != "regrowth" or v["word"] != "was not cut":
            continue
        v["shown"] = narrative.uncut_word(table[(scenario, f"{q}_net_change")].mean)
        v["text"] = said[v["shown"]].format(noun=_(narrative.NOUNS[q]), scenario=Scenario(scenario))


def count_worlds(lines: list[dict[str, Any]], table: pd.DataFrame | None) -> None:
    """`count` of `draws`: in how many plausible worlds each verdict holds (None when the
    robustness table does not say how many worlds it drew)."""
    draws = (
        dict(zip(table["key"], table["draws"]))
        if table is not None and "draws" in table.columns
        else {}
    )
    for v in lines:
        n = draws.get(v["key"])
        known = n is not None and n == n and v["share"] == v["share"]
        v["draws"] = int(n) if known else None
        v["count"] = round(v["share"] * n) if known else None


def _study_sentence(robust: Robustness | None, ctx: dict[str, Any]) -> Text | str:
    if robust is None:
        return ""
    study = robust.study or attached.read_study(robust.source, robust.table)
    population = next(
        (p["value"] for p in ctx["parameters"] if p["key"] == "population.citizens"), None
    )
    return attached.study_sentence(study, population, ctx["months"])


@dataclass(frozen=True)
class Robustness:
    """A validation's robustness table (analysis.studies.robustness) and where it was read."""

    table: pd.DataFrame
    source: str
    study: attached.Study | None = (
        None  # None: read from beside `source` (analysis.reports.attached)
    )


def verdict_line(v: dict[str, Any]) -> Text:
    """One verdict as plain text, e.g. '- [supported; robust 95 %, 46 of 48 worlds] Agencies came
    back under ...' (the share rounded down: 89.6 % is not "90 %" beside a rule of 90 %)."""
    share: list[Any] = [f" {share_down(v['share'])}"] if v["share"] == v["share"] else []
    if v.get("count") is not None:
        share.append(_(", {count} of {worlds} worlds").format(count=v["count"], worlds=v["draws"]))
    sure = [_(v["verdict"])] if v["verdict"] else []
    badges = Joined("; ", (*sure, Joined("", (_(v["robustness"]), *share))))
    return Joined("", ("- [", badges, "] ", v["text"], Aside(v["figure"])))


def _cascade_rows(views: dict[str, pd.DataFrame], scenarios: list[str]) -> list[dict]:
    """Per scenario and view: replicates, how many in the article's order, the orders seen."""
    rows = []
    for s in scenarios:
        row: dict[str, Any] = {"scenario": s, "views": []}
        for counts_ in views.values():
            if s not in counts_.index:
                row["views"].append(None)
                continue
            r = counts_.loc[s]
            seen = {
                o: int(r[o])
                for o in counts_.columns
                if o not in ("runs", "article_order") and r[o] > 0
            }
            row["views"].append(
                {
                    "runs": int(r["runs"]),
                    "article": int(r["article_order"]),
                    "orders": [
                        (Later(order_label, (o,)), n)
                        for o, n in sorted(seen.items(), key=lambda kv: -kv[1])
                    ],
                }
            )
        rows.append(row)
    return rows


def render_template(name: str, page: dict[str, Any], lang: str = "en") -> str:
    """A template of analysis/reports/templates/ with every value escaped (scenario files are data),
    its texts in `lang` (`{{ _("...") }}` in the template; simulation/i18n.py): the one place a
    page's records (analysis/words/records.py) become words."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,  # no blank line for each {% for %} of a table
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)
    # `_()` marks its result safe: it is for the templates' own texts only. A value from the data
    # (a scenario's name, a verdict word) goes through `tr`, whose result is escaped like any value
    env.filters["tr"] = i18n.Words(lang)
    env.filters["share_down"] = share_down
    html = env.get_template(name).render(**{"lang": lang, **Words(lang).page(page)})
    return fonts.with_cjk_font(html)  # Chinese reads on a machine with no Chinese font


def replace_folder(new: Path, target: Path) -> None:
    """Put the new report folder in place; the old one goes only once the new one is there. The
    old folder's reports in other languages (`<target>/<lang>/`) move into the new one: an English
    report rebuilt keeps its Chinese one."""
    old = None
    if target.exists():
        old = target.with_name(f".report-old-{datetime.now().strftime('%Y%m%d%H%M%S%f')}")
        target.rename(old)
    shutil.move(str(new), str(target))
    if old is None:
        return
    for lang in i18n.LANGUAGES:
        if (old / lang).is_dir() and not (target / lang).exists():
            (old / lang).rename(target / lang)
    shutil.rmtree(old, ignore_errors=True)
