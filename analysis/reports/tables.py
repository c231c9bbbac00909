"""The report's tables: every metric per scenario with CIs, paired differences, factorial and
cascade, as rows ready for the HTML template (their words records, written in the page's language
when it is rendered: analysis/words/records.py) and as CSV for further work."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.measures.factorial import Factorial
from analysis.measures.stats import Estimate
from analysis.measures.summary import METRICS
from analysis.words.formatting import interval, number
from analysis.words.records import Joined, Later, Number, Text, _
from simulation import i18n
from simulation.outputs import Output

NA = Number(float("nan"), "")  # 'n/a' in the page's language


def metric_rows(table: dict[tuple[str, str], Estimate], scenarios: list[str]) -> list[dict]:
    """One row per metric: per scenario the mean with its CI and the band of replicates."""
    rows = []
    for name, m in METRICS.items():
        cells = []
        for s in scenarios:
            e = table.get((s, name))
            if e is None or e.n == 0:
                cells.append(
                    {
                        "main": NA,
                        "sub": _("no value"),
                        "note": e.note if e else None,
                    }
                )
                continue
            cells.append(
                {
                    "main": _bracketed(number(e.mean, m.unit), interval(e, m.unit)),
                    "sub": _("median {median} ({low} to {high}), n={n}").format(
                        median=number(e.median, m.unit),
                        low=number(e.q10, m.unit),
                        high=number(e.q90, m.unit),
                        n=e.n,
                    ),
                    "note": e.note,
                }
            )
        rows.append(_row(m, name, cells))
    return rows


def difference_rows(diffs: dict[tuple[str, str], Estimate], scenarios: list[str]) -> list[dict]:
    """One row per metric: per scenario the paired difference against the baseline, with its CI;
    `tone` is 'better' or 'worse' when the CI excludes zero."""
    rows = []
    for name, m in METRICS.items():
        cells = []
        for s in scenarios:
            e = diffs.get((s, name))
            if e is None:
                cells.append({"main": "—", "tone": ""})
                continue
            if e.n == 0:
                cells.append({"main": NA, "tone": "", "note": e.note})
                continue
            cells.append(
                {
                    "main": _bracketed(number(e.mean, m.unit, True), interval(e, m.unit, True)),
                    "tone": _tone(e, m.better),
                    "note": e.note,
                }
            )
        rows.append(_row(m, name, cells))
    return rows


def _bracketed(value: Text, ci: Text) -> Text:
    """'62 % [58 to 66]'."""
    return Joined("", (value, " [", ci, "]"))


def better_word(better: str, lang: str = "en") -> str:
    """The better direction of a metric as a table shows it: 'lower' in English, the catalogue's
    words in Chinese (msgctxt "better": 'lower' is '越低越好'); nothing where no side is better."""
    if better not in ("lower", "higher"):
        return ""
    if lang == "en":
        return better
    return i18n.Words(lang).term("better", better)


def _row(m: Output, name: str, cells: list[dict]) -> dict:
    return {
        "metric": _(m.caption),
        "name": name,
        "better": Later(better_word, (m.better,)),
        "cells": cells,
    }


def _tone(e: Estimate, better: str) -> str:
    if better not in ("lower", "higher") or not e.excludes_zero:
        return ""
    good = e.mean < 0 if better == "lower" else e.mean > 0
    return "better" if good else "worse"


def factorial_rows(results: list[Factorial]) -> list[dict]:
    rows = []
    for f in results:
        m = METRICS[f.metric]
        change = {
            part: number(getattr(f, part).mean, m.unit, True)
            for part in ("pressure", "technology", "sum_alone", "both", "interaction")
        }
        rows.append(
            {
                "metric": _(m.caption),
                "better": Later(better_word, (m.better,)),
                "pressure": change["pressure"],
                "technology": change["technology"],
                "sum": change["sum_alone"],
                "both": change["both"],
                "interaction": _bracketed(
                    change["interaction"], interval(f.interaction, m.unit, True)
                ),
                "n": f.interaction.n,
                "verdict": _(f.verdict),  # a word of the data
                "note": f.interaction.note,
            }
        )
    return rows


def notes(*groups: list[dict]) -> list[str]:
    """The distinct small-sample notes of the cells, for footnotes."""
    seen: list[str] = []
    for rows in groups:
        for row in rows:
            for cell in row.get("cells", [row]):
                note = cell.get("note")
                if note and note not in seen:
                    seen.append(note)
    return seen


def write_csv(
    folder: Path,
    table: dict,
    diffs: dict[str, dict],
    factorials: list[Factorial],
    cascade: pd.DataFrame,
) -> None:
    def frame(est: dict[tuple[str, str], Estimate]) -> pd.DataFrame:
        return pd.DataFrame([{"scenario": s, "metric": k, **vars(e)} for (s, k), e in est.items()])

    frame(table).to_csv(folder / "metrics.csv", index=False)
    parts = [frame(d).assign(baseline=b) for b, d in diffs.items() if d]
    if parts:
        pd.concat(parts).to_csv(folder / "differences.csv", index=False)
    rows = [
        {"metric": f.metric, "part": p, **vars(getattr(f, p))}
        for f in factorials
        for p in ("pressure", "technology", "both", "sum_alone", "interaction")
    ]
    pd.DataFrame(rows).to_csv(folder / "factorial.csv", index=False)
    cascade.to_csv(folder / "cascade.csv")
