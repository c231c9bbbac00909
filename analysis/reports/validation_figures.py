"""The validation report's figures: Morris screening, Sobol indices, the phase diagram and PRIM's
peeling trajectory. Each returns a matplotlib figure; analysis.reports.figures.save writes it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.measures.outcomes import OUTCOMES  # noqa: E402
from analysis.reports.fonts import use_cjk_fallback  # noqa: E402
from analysis.studies.discovery import PrimResult  # noqa: E402
from analysis.studies.phase import PRESSURE, TECHNOLOGY  # noqa: E402
from analysis.words.records import ENGLISH, Words  # noqa: E402

use_cjk_fallback()  # a Chinese report's figures have every glyph


def short(name: str) -> str:
    return name.split(".", 1)[-1]


def morris_figure(indices: pd.DataFrame, top: int = 25, words: Words = ENGLISH) -> plt.Figure:
    """Heat map of scaled mu* (1 = the outcome's most influential factor), one panel per scenario;
    the `top` factors by their largest effect (morris.csv holds them all)."""
    _ = words
    scenarios = list(dict.fromkeys(indices["scenario"]))
    ranked = indices.groupby("factor")["mu_star_scaled"].max().sort_values(ascending=False)
    order = ranked.index[:top]
    fig, axes = plt.subplots(
        1,
        len(scenarios),
        figsize=(4.2 * len(scenarios) + 1.5, 0.32 * len(order) + 2),
        squeeze=False,
        sharey=True,
    )
    for ax, s in zip(axes[0], scenarios):
        grid = indices[indices["scenario"] == s].pivot(
            index="factor", columns="outcome", values="mu_star_scaled"
        )
        grid = grid.reindex(index=order, columns=[o for o in OUTCOMES if o in grid.columns])
        image = ax.imshow(grid.to_numpy(float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(
            range(grid.shape[1]),
            [_(OUTCOMES[o].caption) for o in grid.columns],
            rotation=40,
            ha="right",
            fontsize=8,
        )
        ax.set_yticks(range(len(order)), [short(f) for f in order], fontsize=8)
        ax.set_title(words.scenario(s), fontsize=10)
        for (i, j), v in np.ndenumerate(grid.to_numpy(float)):
            if np.isfinite(v) and v >= 0.3:
                ax.text(
                    j,
                    i,
                    f"{v:.1f}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if v > 0.6 else "black",
                )
    fig.subplots_adjust(left=0.22, bottom=0.22, right=0.86, top=0.9, wspace=0.08)
    fig.colorbar(
        image, ax=axes[0].tolist(), shrink=0.6, label=_("mu* / largest mu* of the outcome")
    )
    fig.suptitle(
        _("Morris screening: mean absolute elementary effect (mu*), scaled per outcome"),
        fontsize=11,
    )
    return fig


def sobol_figure(indices: pd.DataFrame, words: Words = ENGLISH) -> plt.Figure:
    """First-order (S1) and total (ST) Sobol indices with CIs, one panel per scenario x outcome."""
    _ = words
    scenarios = list(dict.fromkeys(indices["scenario"]))
    outcomes = [o for o in OUTCOMES if o in set(indices["outcome"])]
    fig, axes = plt.subplots(
        len(scenarios),
        len(outcomes),
        figsize=(3.1 * len(outcomes), 2.9 * len(scenarios)),
        squeeze=False,
        sharey=False,  # each outcome has its own factors
    )
    for r, s in enumerate(scenarios):
        for c, o in enumerate(outcomes):
            ax = axes[r, c]
            part = indices[(indices["scenario"] == s) & (indices["outcome"] == o)]
            y = np.arange(len(part))
            ax.barh(
                y - 0.18,
                part["S1"],
                0.36,
                xerr=part["S1_conf"],
                color="#9ecae1",
                label=_("first order S1"),
            )
            ax.barh(
                y + 0.18,
                part["ST"],
                0.36,
                xerr=part["ST_conf"],
                color="#3182bd",
                label=_("total ST"),
            )
            ax.set_yticks(y, [short(f) for f in part["factor"]], fontsize=7)
            ax.set_xlim(-0.05, 1.05)
            ax.axvline(0, color="grey", lw=0.5)
            ax.set_title(f"{_(OUTCOMES[o].caption)}\n{words.scenario(s)}", fontsize=8)
    axes[0, 0].legend(fontsize=7, frameon=False, loc="lower right")
    fig.suptitle(_("Sobol indices with 95 % bootstrap intervals"), fontsize=11)
    fig.tight_layout()
    return fig


def phase_figure(table: pd.DataFrame, threshold: float, words: Words = ENGLISH) -> plt.Figure:
    """Heat maps of the mean rebound ratio of items and agencies over pressure x technology, with
    the contour where the ratio falls below `threshold` (regrowth stops)."""
    _ = words
    pressures = np.sort(table[PRESSURE].unique())
    levels = np.sort(table[TECHNOLOGY].unique())
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    for ax, outcome in zip(axes, ("items_rebound", "agencies_rebound")):
        grid = (
            table.pivot(index=TECHNOLOGY, columns=PRESSURE, values=f"{outcome}_mean")
            .reindex(index=levels, columns=pressures)
            .to_numpy(float)
        )
        mesh = ax.pcolormesh(
            _edges(pressures), _edges(levels), grid, cmap="RdYlGn_r", vmin=0, vmax=1, shading="flat"
        )
        if np.nanmin(grid) < threshold < np.nanmax(grid):
            lines = ax.contour(
                pressures, levels, grid, levels=[threshold], colors="black", linewidths=1.6
            )
            ax.clabel(lines, fmt={threshold: f"{threshold:g}"}, fontsize=8)
        ax.set_xlim(_edges(pressures)[[0, -1]])
        ax.set_ylim(_edges(levels)[[0, -1]])
        ax.set_xlabel(
            _("pressure strength (1 = the table's; 0 = no outside or top-down pressure)"),
            fontsize=9,
        )
        ax.set_ylabel(_("technology level 36 months after the launch"))
        ax.set_title(
            _("{outcome}: mean over seeds").format(outcome=_(OUTCOMES[outcome].caption)),
            fontsize=10,
        )
        fig.colorbar(mesh, ax=ax, label=_("rebound ratio (0 nothing came back, 1 all)"))
    fig.suptitle(
        _("Where regrowth stops: black contour = rebound ratio {threshold}").format(
            threshold=f"{threshold:g}"
        ),
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def pull_figure(table: pd.DataFrame, words: Words = ENGLISH) -> plt.Figure:
    """Each pulled outcome (rows) against each factor's value (columns), one line per scenario:
    the mean over replicates with its interval."""
    _ = words
    factors = list(dict.fromkeys(table["factor"]))
    outcomes = list(dict.fromkeys(table["outcome"]))
    fig, axes = plt.subplots(
        len(outcomes), len(factors), figsize=(4.6 * len(factors), 3.0 * len(outcomes)),
        squeeze=False, sharex="col",
    )  # fmt: skip
    for i, outcome in enumerate(outcomes):
        for j, factor in enumerate(factors):
            ax = axes[i, j]
            part = table[(table["outcome"] == outcome) & (table["factor"] == factor)]
            for scenario, line in part.groupby("scenario", sort=False):
                line = line.sort_values("value")
                err = np.vstack([line["mean"] - line["low"], line["high"] - line["mean"]])
                ax.errorbar(
                    line["value"], line["mean"], yerr=np.nan_to_num(np.abs(err)), marker="o",
                    capsize=3, label=words.scenario(scenario),
                )  # fmt: skip
            ax.set_title(_(OUTCOMES[outcome].caption), fontsize=9)
            if i == len(outcomes) - 1:
                ax.set_xlabel(factor, fontsize=9)
    axes[0, 0].legend(fontsize=8)
    fig.suptitle(
        _("One parameter at a time over its plausible range (mean, 95 % interval)"), fontsize=11
    )
    fig.tight_layout()
    return fig


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges halfway between centres (for a grid that need not be even)."""
    c = np.asarray(centres, float)
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def prim_figure(
    result: PrimResult, bounds: dict[str, tuple[float, float]], words: Words = ENGLISH
) -> plt.Figure:
    """Left: PRIM's peeling trajectory (coverage against density), the reported box marked.
    Right: the box's limits on each restricted parameter, as a share of the sampled range."""
    _ = words
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    t = result.trajectory
    sc = axes[0].scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=14)
    axes[0].scatter(
        [result.coverage], [result.density], s=120, facecolors="none", edgecolors="#d7301f", lw=2
    )
    axes[0].set_xlabel(_("coverage (share of the runs of interest inside the box)"))
    axes[0].set_ylabel(_("density (share of the box's runs that are of interest)"))
    axes[0].set_title(_("PRIM peeling trajectory (red: the reported box)"), fontsize=10)
    fig.colorbar(sc, ax=axes[0], label=_("restricted parameters"))
    ax = axes[1]
    box = result.box
    if box.empty:
        ax.axis("off")
        ax.text(
            0.0,
            0.5,
            _(
                "No restriction: {of_interest} of {runs} runs are of interest,\n"
                "PRIM has nothing to separate."
            ).format(of_interest=result.of_interest, runs=result.runs),
            fontsize=10,
            va="center",
        )
        fig.tight_layout()
        return fig
    for i, row in enumerate(box.to_dict("records")):
        lo, hi = bounds[row["parameter"]]
        span = hi - lo
        ax.barh(
            i, (row["high"] - row["low"]) / span, left=(row["low"] - lo) / span, color="#3182bd"
        )
        ax.text(1.02, i, f"{row['low']:.3g} - {row['high']:.3g}", va="center", fontsize=8)
    ax.set_yticks(range(len(box)), [short(p) for p in box["parameter"]], fontsize=8)
    ax.set_xlim(0, 1.35)
    ax.set_xlabel(_("the box within each parameter's sampled range (0 = lowest, 1 = highest)"))
    ax.set_title(_("The box: restricted parameters"), fontsize=10)
    fig.tight_layout()
    return fig
