"""The comparison report of a sweep (built at the end of reform-compare, or alone by
reform-report): SWEEP_DIR/report/index.html, self-contained, with every figure also as PNG and SVG
and every table as CSV; the first paragraph is written from this sweep's numbers."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import brief, figures, narrative, robustness, tables
from analysis.cascade import (
    ARTICLE_ORDER,
    BUREAUS_OWN,
    EVERY_CHANGE,
    counts,
    event_orders,
    order_label,
    run_orders,
)
from analysis.context import institution_label, sweep_context
from analysis.factorial import CELLS, factorial, missing_cells
from analysis.regrowth import default_horizon
from analysis.stats import describe, differences
from analysis.summary import METRICS, run_metrics
from analysis.sweep_data import SweepData
from simulation import i18n

ORDER = (
    "status_quo",
    "internal_reform",
    "top_down_pressure",
    "public_pressure",
    "technology_only",
    "one_window_no_data",
    "public_pressure_and_technology",
    "pressure_and_technology",
)
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


class ReportError(Exception):
    """The report cannot be built; `str()` is one line."""


@dataclass
class Report:
    path: Path
    answer: str


def run_table(results: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """One row per run: scenario, seed and every metric of analysis.summary.METRICS."""
    rows = [
        {"run_id": r, "scenario": s, "seed": k, **run_metrics(g, horizon)}
        for (r, s, k), g in results.groupby(["run_id", "scenario", "seed"], sort=True)
    ]
    return pd.DataFrame(rows)


def scenario_order(names: set[str]) -> list[str]:
    return [s for s in ORDER if s in names] + sorted(n for n in names if n not in ORDER)


def build_report(
    sweep_dir: Path,
    data: SweepData,
    horizon: int | None = None,
    level: float = 0.95,
    robustness: Robustness | None = None,
    lang: str = "en",
) -> Report:
    """Analyse the sweep's finished runs and write its report folder into `sweep_dir`
    (replacing any older one). `robustness`: a validation's robustness table, to mark each
    verdict robust or fragile (without it, every verdict is "not assessed")."""
    sweep_dir = Path(sweep_dir)
    results = data.results
    if results.empty:
        raise ReportError(f"{sweep_dir}: no finished run to report on")
    results = results.assign(items_total=results["items_open"] + results["items_hidden"])
    months = int(results["step"].max())
    horizon = horizon or default_horizon(months)
    runs = run_table(results, horizon)
    scenarios = scenario_order(set(runs["scenario"]))
    rank = {s: i for i, s in enumerate(scenarios)}
    runs = runs.sort_values(
        ["scenario", "seed"], key=lambda c: c.map(rank) if c.name == "scenario" else c
    )
    context = sweep_context(sweep_dir, data, runs, scenarios, months, horizon, level, lang)
    with tempfile.TemporaryDirectory(prefix=".report-", dir=sweep_dir) as tmp:
        out = Path(tmp) / "report"
        (out / "figures").mkdir(parents=True)
        page = _analyse(results, runs, scenarios, context, out, level, robustness, lang)
        (out / "index.html").write_text(_render(page), encoding="utf-8")
        brief_html = render_template("brief.html.j2", brief_page(page), lang)
        (out / "brief.html").write_text(brief_html, encoding="utf-8")
        replace_folder(out, sweep_dir / "report")
    return Report(sweep_dir / "report" / "index.html", page["answer"])


def _analyse(
    results: pd.DataFrame,
    runs: pd.DataFrame,
    scenarios: list[str],
    ctx: dict,
    out: Path,
    level: float,
    robust: Robustness | None = None,
    lang: str = "en",
) -> dict[str, Any]:
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
    _ = i18n.t(lang)
    horizon_text = _("{months} months").format(months=ctx["horizon"])
    verdicts = robustness.comparison_verdicts(
        runs, table, factorials, robust.table if robust else None, level=level, lang=lang
    )
    figures_text = narrative.answer(
        runs, table, factorials, missing, horizon_text, level, ctx["sentence"], lang
    )
    lines = [verdict_line(v, lang) for v in verdicts]
    answer = "\n".join([*lines, "", figures_text])
    tables.write_csv(out, table, diffs, factorials, cascade[EVERY_CHANGE])
    runs.to_csv(out / "run_metrics.csv", index=False)
    figs = figures.all_figures(
        results, runs, scenarios, table, factorials, cascade, out / "figures", level, lang
    )
    return {
        **ctx,
        "answer": answer,
        "lang": lang,
        "verdicts": verdicts,
        "verdict_grid": robustness.verdict_grid(verdicts),
        "WORDS": robustness.CELL_WORDS,
        "sum_verdicts": [v for v in verdicts if v["key"].startswith("sum/")],
        "figures_text": figures_text,
        "robustness_source": robust.source if robust else None,
        "figures": figs,
        "scenarios": scenarios,
        "metric_rows": tables.metric_rows(table, scenarios, lang),
        "diff_tables": {
            b: tables.difference_rows(diffs[b], [s for s in scenarios if s != b], lang)
            for b in BASELINES
            if diffs[b]
        },
        "factorial_rows": tables.factorial_rows(factorials, lang),
        "missing_cells": missing,
        "cascade": _cascade_rows(cascade, scenarios, lang),
        "article_order": order_label(ARTICLE_ORDER, lang),
        "cascade_views": list(cascade),
        "cells": CELLS,
        "institution_labels": {n: institution_label(n, lang) for n in ctx["institution_names"]},
        "pt_extra_labels": [institution_label(n, lang) for n in ctx["pt_extra"]],
        "described": {s: i18n.described(s, d, lang) for s, d in ctx["descriptions"].items()},
    }


def brief_page(page: dict[str, Any]) -> dict[str, Any]:
    """What the one-page brief shows (analysis.brief), from the report's page."""
    figure = next((f for f in page["figures"] if f["name"] == "series_items_total"), None)
    return {
        "question": brief.question(page["lang"]),
        "answer": brief.sentences(page["verdicts"], page["lang"]),
        "figure": figure,
        "sentence": page["sweep_size"],
        "robustness_source": page["robustness_source"],
        "scenarios": page["scenarios"],
        "descriptions": {
            s: i18n.described(s, d, page["lang"]) for s, d in page["descriptions"].items()
        },
        "commands": page["commands"],
    }


@dataclass(frozen=True)
class Robustness:
    """A validation's robustness table (analysis.robustness) and where it was read."""

    table: pd.DataFrame
    source: str


def verdict_line(v: dict[str, Any], lang: str = "en") -> str:
    """One verdict as plain text, e.g. '- [supported; robust 96%] Agencies came back under ...'."""
    _ = i18n.t(lang)
    share = f" {v['share']:.0%}" if v["share"] == v["share"] else ""
    badges = "; ".join(
        b for b in (_(v["verdict"]) if v["verdict"] else "", _(v["robustness"]) + share) if b
    )
    figure = f"（{v['figure']}）" if lang == "zh" else f" ({v['figure']})"
    return f"- [{badges}] {v['text']}{figure}"


def _cascade_rows(
    views: dict[str, pd.DataFrame], scenarios: list[str], lang: str = "en"
) -> list[dict]:
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
                        (order_label(o, lang), n)
                        for o, n in sorted(seen.items(), key=lambda kv: -kv[1])
                    ],
                }
            )
        rows.append(row)
    return rows


def _render(page: dict[str, Any]) -> str:
    return render_template("report.html.j2", page, page["lang"])


def render_template(name: str, page: dict[str, Any], lang: str = "en") -> str:
    """A template of analysis/templates/ with every value escaped (scenario files are data), its
    texts in `lang` (`{{ _("...") }}` in the template; simulation/i18n.py)."""
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
    env.filters["tr"] = i18n.t(lang)
    return env.get_template(name).render(**{"lang": lang, **page})


def replace_folder(new: Path, target: Path) -> None:
    """Put the new report folder in place; the old one goes only once the new one is there."""
    old = None
    if target.exists():
        old = target.with_name(f".report-old-{datetime.now().strftime('%Y%m%d%H%M%S%f')}")
        target.rename(old)
    shutil.move(str(new), str(target))
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
