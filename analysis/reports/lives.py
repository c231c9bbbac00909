"""The report's survival curve of agencies: Kaplan-Meier by age, one line per scenario, from each
run's agency lives (analysis/measures/survival.py), and the median life per scenario."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis.measures.survival import median_life, pooled_curve
from analysis.reports.figures import colours, save
from analysis.words.records import ENGLISH, Words


def survival_curves(
    lives: dict[str, pd.DataFrame], runs: pd.DataFrame, ends: dict[str, int], scenarios: list[str]
) -> dict[str, pd.DataFrame]:
    """Each scenario's curve, pooled over its runs that wrote their agencies' lives (`lives` by
    run id; `ends`: each run's last month); scenarios with none are left out."""
    curves = {}
    for s in scenarios:
        ids = [r for r in runs.loc[runs["scenario"] == s, "run_id"] if r in lives]
        if ids:
            curves[s] = pooled_curve((lives[r], ends[r]) for r in ids)
    return curves


def survival_figure(
    curves: dict[str, pd.DataFrame], scenarios: list[str], words: Words = ENGLISH
) -> plt.Figure:
    """The share of agencies still alive by age, a step line per scenario."""
    _ = words
    fig, ax = plt.subplots(figsize=(9, 4.2))
    col = colours(scenarios)
    for s in [s for s in scenarios if s in curves]:
        c = curves[s]
        ax.step(
            c["age"], c["survival"], where="post", color=col[s], lw=1.5, label=words.scenario(s)
        )
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)
    ax.set_title(
        _("Agencies still alive by age (Kaplan-Meier, all runs of a scenario)"), fontsize=11
    )
    ax.set_xlabel(_("age of the agency (months)"))
    ax.set_ylabel(_("share still alive"))
    ax.legend(fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


def median_rows(
    curves: dict[str, pd.DataFrame], scenarios: list[str], words: Words = ENGLISH
) -> list[dict[str, str]]:
    """Per scenario: the median agency life in months, or that more than half were alive at the
    end of the runs."""
    _ = words
    rows = []
    for s in [s for s in scenarios if s in curves]:
        median = median_life(curves[s])
        said = (
            _("more than half alive at the end")
            if math.isnan(median)
            else _("{months} months").format(months=f"{median:.0f}")
        )
        rows.append({"scenario": s, "median": said})
    return rows


def survival_page(
    lives: dict[str, pd.DataFrame],
    runs: pd.DataFrame,
    ends: dict[str, int],
    scenarios: list[str],
    folder: Path,
    lang: str = "en",
) -> tuple[list[dict], list[dict[str, str]]]:
    """The survival figure (saved into `folder`; none when no run has its agencies' lives) and
    the median life per scenario."""
    words = Words(lang)
    curves = survival_curves(lives, runs, ends, scenarios)
    if not curves:
        return [], []
    fig = survival_figure(curves, scenarios, words)
    figure = {
        "name": "survival",
        "title": words("Agencies still alive by age"),
        "png": save(fig, folder, "survival"),
    }
    return [figure], median_rows(curves, scenarios, words)
