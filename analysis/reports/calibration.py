"""The calibration's fit as a figure and a table: each stylized fact, observed against the model
(mean and 95 % interval over replicates), and how the Optuna search converged."""

from __future__ import annotations

from typing import IO

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.reports.fonts import use_cjk_fallback  # noqa: E402
from analysis.words.records import ENGLISH, Joined, Text, Words, _  # noqa: E402


def plot_fit(
    table: pd.DataFrame, trials: pd.DataFrame | None, out: IO[bytes] | str, lang: str = "en"
) -> None:
    """Left: every target, observed band +- tolerance and the model. Right: loss by trial."""
    words = Words(lang)  # the one place the figure's words are chosen
    if lang != "en":
        use_cjk_fallback()
    panels = 2 if trials is not None and len(trials) else 1
    fig, axes = plt.subplots(
        1, panels, figsize=(6.5 * panels, 0.55 * len(table) + 2.2), squeeze=False
    )
    _targets_panel(axes[0, 0], table, words)
    if panels == 2:
        _search_panel(axes[0, 1], trials, words)
    fig.tight_layout()
    fig.savefig(out, format="png", dpi=100)
    plt.close(fig)


def _targets_panel(ax: plt.Axes, table: pd.DataFrame, words: Words) -> None:
    """Each target on its own scale: distance from the observed value in units of tolerance."""
    y = np.arange(len(table))[::-1]
    for yi, row in zip(y, table.to_dict("records")):
        _target_row(ax, yi, row)
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_yticks(
        y,
        [words.text(_short(r["target"], r["calibrated"])) for r in table.to_dict("records")],
        fontsize=8,
    )
    ax.set_xlabel(
        words(
            "model minus observed, in units of the target's tolerance\n"
            "(dark: the observed band; light: band +- tolerance)"
        ),
        fontsize=8,
    )
    ax.set_xlim(min(-3, ax.get_xlim()[0]), max(3, ax.get_xlim()[1]))
    for yi, row in zip(y, table.to_dict("records")):
        ax.annotate(
            words.text(
                _("model {model} vs {observed}").format(
                    model=_value(row["model"]), observed=_observed(row)
                )
            ),
            (ax.get_xlim()[0], yi),
            xytext=(3, 9),
            textcoords="offset points",
            fontsize=7,
            color="#444",
        )
    ax.set_title(
        words("Stylized facts: model (mean, 95 % CI over seeds) against observation"), fontsize=10
    )


def _target_row(ax: plt.Axes, yi: float, row: dict) -> None:
    tol = row["tolerance"]
    centre = (row["observed_low"] + row["observed_high"]) / 2
    half = (row["observed_high"] - row["observed_low"]) / 2 / tol
    ax.fill_betweenx([yi - 0.3, yi + 0.3], -half - 1, half + 1, color="#dbe9f6", lw=0)
    ax.fill_betweenx([yi - 0.3, yi + 0.3], -half, half, color="#9ecae1", lw=0)
    if not np.isfinite(row["model"]):
        return
    x = (row["model"] - centre) / tol
    err = None
    if np.isfinite(row["ci_low"]):
        err = [[x - (row["ci_low"] - centre) / tol], [(row["ci_high"] - centre) / tol - x]]
    ax.errorbar(x, yi, xerr=err, fmt="o", color="#2b8cbe" if row["fits"] else "#d7301f", capsize=3)


def _search_panel(ax: plt.Axes, trials: pd.DataFrame, words: Words) -> None:
    _ = words
    loss = trials["loss"].to_numpy(float)
    ax.plot(trials["trial"], loss, ".", color="#999", ms=4, label=_("trial"))
    ax.plot(
        trials["trial"],
        np.minimum.accumulate(loss),
        color="#d95f02",
        lw=1.5,
        label=_("best so far"),
    )
    ax.set_yscale("log")
    ax.set_xlabel(_("Optuna trial"))
    ax.set_ylabel(_("loss (sum of squared errors / tolerance)"))
    ax.set_title(_("Search (TPE through Hydra's Optuna sweeper)"), fontsize=10)
    ax.legend(fontsize=8, frameon=False)


def _short(name: str, calibrated: bool) -> Text | str:
    return name if calibrated else Joined("\n", (name, _("(check only)")))


def _value(value: float) -> Text | str:
    return f"{100 * value:.1f} %" if np.isfinite(value) else _("n/a")


def _observed(row: dict) -> Text:
    if row["observed_low"] == row["observed_high"]:
        return _("observed {value}").format(value=f"{100 * row['observed_low']:.1f} %")
    return _("observed {value}").format(
        value=f"{100 * row['observed_low']:.0f}-{100 * row['observed_high']:.0f} %"
    )


def fit_markdown(table: pd.DataFrame) -> str:
    """The fit per target as a Markdown table."""
    lines = [
        "| target | scenario | observed | model (95 % CI) | error | tolerance | fits | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in table.to_dict("records"):
        ci = (
            f"{100 * r['ci_low']:.1f}-{100 * r['ci_high']:.1f}"
            if np.isfinite(r["ci_low"])
            else "n/a"
        )
        role = "" if r["calibrated"] else " (check only)"
        lines.append(
            f"| {r['target']}{role} | {r['scenario']} | {ENGLISH.text(_observed(r))[9:]} | {100 * r['model']:.1f} % ({ci}) "
            f"| {100 * r['error']:+.1f} pts | {100 * r['tolerance']:.1f} pts | {'yes' if r['fits'] else 'no'} "
            f"| {r['source']} |"
        )
    return "\n".join(lines) + "\n"
