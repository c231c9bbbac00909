"""The report of a comparison sweep, whatever its shape: one comparison (analysis.reports.report),
or a factor sweep (`reform-compare campaigns.interval_months=24,36`), whose report is one page on
which the factor is a column of the table and a facet of the figure, with the full comparison report
of each value of the factors beside it (`report/levels/<factor>=<value>/`)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from analysis.measures.regrowth import default_horizon
from analysis.measures.stats import describe
from analysis.measures.summary import METRICS
from analysis.measures.sweep_data import SweepData
from analysis.reports.fonts import use_cjk_fallback
from analysis.reports.report import (
    Options,
    Report,
    build_report,
    render_template,
    replace_folder,
    report_folder,
    run_table,
    scenario_order,
    write_report,
)
from analysis.words.records import Words

# the columns of the factor table: metric -> how a cell shows it
SHOWN = {
    "items_rebound": "{:.0%}",
    "agencies_rebound": "{:.0%}",
    "staff_rebound": "{:.0%}",
    "realisation_rate_end": "{:.0%}",
    "trips_mean_end": "{:.2f}",
}


def levels(results: pd.DataFrame, factors: list[str]) -> list[dict[str, Any]]:
    """The combinations of factor values the runs hold, in order."""
    combos = results[factors].drop_duplicates().sort_values(factors)
    return [dict(zip(factors, row, strict=True)) for row in combos.itertuples(index=False)]


def folder(level: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in level.items())


def subset(data: SweepData, level: dict[str, Any]) -> SweepData:
    """The runs of one value of the factors, as a sweep of their own."""
    mask = pd.Series(True, index=data.results.index)
    for key, value in level.items():
        mask &= data.results[key] == value
    results = data.results[mask].drop(columns=list(level))
    runs = set(results["run_id"])
    configs = {s: _with(c, level) for s, c in data.configs.items()}
    settings = {**(data.record.get("settings") or {})}
    settings.pop("factors", None)
    record = {**data.record, "settings": _with(settings, level)}
    return SweepData(
        results,
        data.provenance[data.provenance["run_id"].isin(runs)],
        [r for r in data.incomplete if r in runs],
        {r: e for r, e in data.failed.items() if r in runs},
        record,
        configs,
        {r: e for r, e in data.events.items() if r in runs},
    )


def _with(config: dict[str, Any], level: dict[str, Any]) -> dict[str, Any]:
    """`config` with each factor's dotted key set to this level's value."""
    out = {**config}
    for dotted, value in level.items():
        node, *path = out, *dotted.split(".")
        for part in path[:-1]:
            node[part] = dict(node.get(part) or {})
            node = node[part]
        node[path[-1]] = value
    return out


def factor_table(
    results: pd.DataFrame, factors: list[str], horizon: int, level: float
) -> pd.DataFrame:
    """Per value of the factors and scenario: the mean of each metric of SHOWN over the seeds,
    with its interval. One row each: the factors are columns."""
    rows = []
    for lv in levels(results, factors):
        mask = pd.Series(True, index=results.index)
        for key, value in lv.items():
            mask &= results[key] == value
        runs = run_table(results[mask], horizon)
        table = describe(runs, list(SHOWN), level, {m: METRICS[m].bounds for m in SHOWN})
        for scenario in scenario_order(set(runs["scenario"])):
            row: dict[str, Any] = {**lv, "scenario": scenario}
            for metric in SHOWN:
                e = table[(scenario, metric)]
                row |= {metric: e.mean, f"{metric}_lo": e.lo, f"{metric}_hi": e.hi}
            rows.append(row)
    return pd.DataFrame(rows)


def facet_figure(
    results: pd.DataFrame, factors: list[str], out: Path, words: Words
) -> dict[str, str]:
    """Approval items (open + hidden) month by month, one panel per value of the factors, one
    line per scenario (the median of its seeds), named at its end."""
    use_cjk_fallback()
    _ = words
    combos = levels(results, factors)
    fig, axes = plt.subplots(1, len(combos), figsize=(4.2 * len(combos), 3.4), sharey=True)
    axes = [axes] if len(combos) == 1 else list(axes)
    for ax, lv in zip(axes, combos, strict=True):
        mask = pd.Series(True, index=results.index)
        for key, value in lv.items():
            mask &= results[key] == value
        part = results[mask].assign(items=lambda d: d["items_open"] + d["items_hidden"])
        for scenario in scenario_order(set(part["scenario"])):
            line = part[part["scenario"] == scenario].groupby("step")["items"].median()
            drawn = ax.plot(line.index, line.values, linewidth=1.4)[0]
            ax.annotate(
                words.scenario(scenario),
                (line.index[-1], line.values[-1]),
                color=drawn.get_color(),
                fontsize=7,
                ha="right",
                va="bottom",
            )
        ax.axvline(0, color="#999", linestyle="--", linewidth=0.8)
        ax.set_title(folder(lv), fontsize=9)
        ax.set_xlabel(_("month (0 = launch)"), fontsize=8)
    axes[0].set_ylabel(_("approval items (open + hidden)"), fontsize=8)
    fig.tight_layout()
    (out / "figures").mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "figures" / "factor_items.png", dpi=110)
    fig.savefig(out / "figures" / "factor_items.svg")
    plt.close(fig)
    return {"png": "figures/factor_items.png", "svg": "figures/factor_items.svg"}


def build(sweep_dir: Path, data: SweepData, **options: Any) -> Report:
    """The sweep's report: a factor sweep's (below), or the one comparison's. `options`: those of
    analysis.reports.report.Options (horizon, level, robustness, lang)."""
    make = build_factor_report if data.factors else build_report
    return make(Path(sweep_dir), data, **options)


def build_factor_report(sweep_dir: Path, data: SweepData, **options: Any) -> Report:
    """`report/index.html` (the factor table and figure, links to each value's report) and each
    value's full report under `report/levels/`."""
    asked = Options(**options)
    factors, results, level, lang = data.factors, data.results, asked.level, asked.lang
    horizon = asked.horizon or default_horizon(int(results["step"].max()))
    asked = replace(asked, horizon=horizon)  # every level measured over the sweep's one horizon
    target = report_folder(sweep_dir, lang)
    _ = words = Words(lang)  # the factor page's words, chosen once
    with tempfile.TemporaryDirectory(prefix=".report-", dir=sweep_dir) as tmp:
        out = Path(tmp) / "report"
        out.mkdir()
        parts = []
        for lv in levels(results, factors):
            where = Path("levels") / folder(lv)
            part = write_report(sweep_dir, subset(data, lv), out / where, asked)
            parts.append(
                {
                    "level": folder(lv),
                    "page": f"{where}/index.html",
                    "brief": f"{where}/brief.html",
                    "answer": part.answer.split("\n"),
                }
            )
        table = factor_table(results, factors, horizon, level)
        table.to_csv(out / "factor_metrics.csv", index=False)
        figure = facet_figure(results, factors, out, words)
        page = {
            "lang": lang,
            "sweep": str(sweep_dir),
            "factors": factors,
            "metrics": list(SHOWN),
            "labels": {m: words(METRICS[m].caption) for m in SHOWN},
            "rows": [_cells(r, factors) for r in table.to_dict("records")],
            "parts": parts,
            "figure": figure,
            "horizon": horizon,
        }
        (out / "index.html").write_text(
            render_template("factor.html.j2", page, lang), encoding="utf-8"
        )
        replace_folder(out, target)
    answer = "\n".join(
        _("At {level}:").format(level=p["level"]) + "\n" + "\n".join(p["answer"]) for p in parts
    )
    return Report(target / "index.html", answer)


def _cells(row: dict[str, Any], factors: list[str]) -> dict[str, Any]:
    shown = {k: row[k] for k in (*factors, "scenario")}
    for metric, fmt in SHOWN.items():
        mean, lo, hi = row[metric], row[f"{metric}_lo"], row[f"{metric}_hi"]
        known = mean == mean
        interval = (
            f" ({fmt.format(lo)}–{fmt.format(hi)})" if known and lo == lo and hi == hi else ""
        )
        shown[metric] = (fmt.format(mean) + interval) if known else "–"
    return shown
