"""The report's figures, each saved as PNG and SVG and returned for embedding (base64 PNG)."""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.measures.cascade import order_label  # noqa: E402
from analysis.measures.factorial import CELLS, Factorial  # noqa: E402
from analysis.measures.stats import Estimate, bands  # noqa: E402
from analysis.measures.summary import METRICS, QUANTITIES  # noqa: E402
from analysis.reports.fonts import use_cjk_fallback  # noqa: E402
from analysis.words.records import ENGLISH, Words  # noqa: E402
from simulation.outputs import shown_in  # noqa: E402

use_cjk_fallback()  # Chinese labels and descriptions render in every figure

# the monthly outputs the report draws, each with its title (simulation/outputs.py)
SERIES = {o.name: o.caption for o in shown_in("report")}
PALETTE = plt.get_cmap("tab10").colors


def colours(scenarios: list[str]) -> dict[str, tuple]:
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(scenarios)}


def save(fig: plt.Figure, folder: Path, name: str, dpi: int = 100) -> str:
    """Write `name`.png and `name`.svg into `folder`; return the PNG as base64."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    (folder / f"{name}.png").write_bytes(buffer.getvalue())
    fig.savefig(folder / f"{name}.svg", format="svg")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def series_figure(
    bands: pd.DataFrame, column: str, scenarios: list[str], words: Words = ENGLISH
) -> plt.Figure:
    """Median and 10-90 % band over replicates, per scenario, month by month."""
    _ = words
    fig, ax = plt.subplots(figsize=(9, 4.2))
    col = colours(scenarios)
    for s in scenarios:
        part = bands.loc[s]
        steps = part.index.to_numpy()
        ax.fill_between(
            steps, part[(column, 0.1)], part[(column, 0.9)], color=col[s], alpha=0.15, lw=0
        )
        label = words.scenario(s)
        ax.plot(steps, part[(column, 0.5)], color=col[s], lw=1.5, label=label)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    title = _("{series}: median and 10-90 % of replicates").format(series=_(SERIES[column]))
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(_("month (0 = reform launch; before it, the shared status-quo warm-up)"))
    if "rate" in column:
        ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


# the brief's figure: three scenarios in colour, told apart by line style and a label at the end
# of each line as well (Okabe-Ito colours, safe for colour-blind readers); the rest in grey
HIGHLIGHT = ("internal_reform", "public_pressure", "pressure_and_technology")
HIGHLIGHT_STYLES = (("#D55E00", "-"), ("#0072B2", "--"), ("#009E73", "-."))
OTHERS = "#b8b8b8"
LABEL_POINTS = 10  # the highlighted labels' size; the grey ones are two points smaller


def highlighted(scenarios: list[str]) -> list[str]:
    """The brief's three scenarios: internal reform, pressure alone and the full package (the
    clean "both" cell when the full package was not run), else the first three."""
    wanted = [s for s in HIGHLIGHT if s in scenarios]
    if HIGHLIGHT[-1] not in scenarios and "public_pressure_and_technology" in scenarios:
        wanted.append("public_pressure_and_technology")
    return wanted or scenarios[:3]


def brief_figure(
    bands: pd.DataFrame, column: str, scenarios: list[str], words: Words = ENGLISH
) -> plt.Figure:
    """One series for the brief: the highlighted scenarios' medians and bands, the others as thin
    grey lines; every line named at its end (no legend to look up, no colour-only key)."""
    _ = words
    bright = highlighted(scenarios)
    fig, ax = plt.subplots(figsize=(8.0, 2.3))
    ends = []
    for s in [s for s in scenarios if s not in bright] + bright:  # the highlighted on top
        part = bands.loc[s]
        steps, median = part.index.to_numpy(), part[(column, 0.5)].to_numpy()
        if s in bright:
            colour, style = HIGHLIGHT_STYLES[bright.index(s) % len(HIGHLIGHT_STYLES)]
            ax.fill_between(
                steps, part[(column, 0.1)], part[(column, 0.9)], color=colour, alpha=0.15, lw=0
            )
            ax.plot(steps, median, color=colour, ls=style, lw=2.2)
        else:
            colour = OTHERS
            ax.plot(steps, median, color=colour, lw=1.0)
        ends.append((s, steps[-1], median[-1], colour, s in bright))
    ax.axvline(0, color="grey", lw=0.8, ls=":")
    ax.set_xlabel(_("month (0 = reform launch; before it, the shared status-quo warm-up)"))
    ax.set_title(_(SERIES[column]), fontsize=11, loc="left")
    if "rate" in column:
        ax.set_ylim(0, 1.02)
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.08, right=0.75, top=0.87, bottom=0.21)
    _label_ends(fig, ax, ends, words)
    return fig


def _label_ends(fig: plt.Figure, ax: plt.Axes, ends: list[tuple], words: Words) -> None:
    """A label at the end of each line, pushed apart so that none covers another."""
    fig.canvas.draw()
    to_pixels = ax.transData.transform
    gap = LABEL_POINTS * 1.3 * fig.dpi / 72
    wanted = [to_pixels((x, y))[1] for _, x, y, _, _ in ends]
    placed = _spread(wanted, gap)
    for (s, x, y, colour, bright), want, at in zip(ends, wanted, placed):
        ax.annotate(
            words.scenario(s),
            xy=(x, y),
            xytext=(8, (at - want) * 72 / fig.dpi),
            textcoords="offset points",
            va="center",
            color=colour if bright else "#707070",
            fontsize=LABEL_POINTS if bright else LABEL_POINTS - 2,
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6, "shrinkA": 0, "shrinkB": 2},
        )


def _spread(ys: list[float], gap: float) -> list[float]:
    """The same values moved as little as possible so that any two are at least `gap` apart:
    pushed up from the lowest, then the whole stack moved down by half of what it grew."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = list(ys)
    last = -math.inf
    for i in order:
        placed[i] = max(ys[i], last + gap)
        last = placed[i]
    shift = (sum(placed) - sum(ys)) / max(len(ys), 1) / 2
    return [p - shift for p in placed]


def rebound_figure(
    table: dict[tuple[str, str], Estimate],
    scenarios: list[str],
    level: float,
    words: Words = ENGLISH,
) -> plt.Figure:
    """Rebound ratio per scenario: replicates' median and 10-90 %, and the mean with its CI."""
    _ = words
    fig, axes = _scenario_rows(len(QUANTITIES), scenarios, words)
    for ax, q in zip(axes, QUANTITIES):
        for y, s in enumerate(scenarios):
            e = table[(s, f"{q}_rebound")]
            if e.n == 0:
                ax.text(0.02, y, _("no measured cut"), va="center", fontsize=8, color="grey")
                continue
            ax.hlines(y + 0.15, e.q10, e.q90, color="tab:blue", lw=3, alpha=0.5)
            ax.plot(e.median, y + 0.15, "o", color="tab:blue", ms=5)
            if math.isfinite(e.lo):
                ax.errorbar(
                    e.mean,
                    y - 0.15,
                    xerr=[[e.mean - e.lo], [e.hi - e.mean]],
                    fmt="D",
                    color="black",
                    ms=4,
                    capsize=3,
                    lw=1,
                )
            else:
                ax.plot(e.mean, y - 0.15, "D", color="black", ms=4)
        ax.set_xlim(-0.03, 1.03)
        ax.axvline(0.5, color="grey", lw=0.6, ls=":")
        ax.set_title(quantity_title(q, words), fontsize=10)
        ax.set_xlabel(_("share of a cut that came back"))
    fig.suptitle(
        _(
            "Rebound ratio (lower is better): blue = median and 10-90 % of replicates, "
            "black = mean and {level} CI"
        ).format(level=f"{100 * level:.0f} %"),
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def _scenario_rows(
    panels: int, scenarios: list[str], words: Words
) -> tuple[plt.Figure, list[plt.Axes]]:
    """`panels` side by side sharing one row per scenario, in the report's order from the top,
    each named on the left: the frame of the figures drawn from the table of estimates."""
    fig, axes = plt.subplots(1, panels, figsize=(12, 0.45 * len(scenarios) + 1.6), sharey=True)
    axes[0].set_yticks(range(len(scenarios)), [words.scenario(s) for s in scenarios], fontsize=9)
    axes[0].set_ylim(len(scenarios) - 0.5, -0.5)
    return fig, list(axes)


def quantity_title(q: str, words: Words = ENGLISH) -> str:
    """A panel's title for a quantity: its key in English ('items'), its term in Chinese."""
    return q if words.lang == "en" else words(QUANTITIES[q])


def factorial_figure(
    runs: pd.DataFrame, results: list[Factorial], level: float, words: Words = ENGLISH
) -> plt.Figure:
    """Interaction plots: mean per cell, pressure off/on on x, technology off/on as two lines."""
    _ = words
    fig, axes = plt.subplots(1, len(results), figsize=(3.4 * len(results), 3.6), squeeze=False)
    for ax, f in zip(axes[0], results):
        m = METRICS[f.metric]
        means = runs[runs["scenario"].isin(CELLS)].groupby("scenario")[f.metric].mean()
        for tech, style in ((0, "o--"), (1, "s-")):
            cells = [s for s, (p, t) in CELLS.items() if t == tech]
            ax.plot(
                [0, 1],
                [means.get(c, float("nan")) for c in cells],
                style,
                label=_("technology on") if tech else _("technology off"),
            )
        ax.set_xticks([0, 1], [_("pressure off"), _("pressure on")])
        e = f.interaction
        ci = f"[{e.lo:.3g}, {e.hi:.3g}]" if math.isfinite(e.lo) else _("n/a")
        better = _("lower is better") if m.better == "lower" else _("higher is better")
        ax.set_title(
            _("{metric}\ninteraction {value}, {level} CI {interval}\n({better})").format(
                metric=words(m.caption),
                value=f"{e.mean:.3g}",
                level=f"{100 * level:.0f} %",
                interval=ci,
                better=better,
            ),
            fontsize=8,
        )
        ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


def formalism_figure(
    table: dict[tuple[str, str], Estimate],
    scenarios: list[str],
    level: float,
    words: Words = ENGLISH,
) -> plt.Figure:
    """Per scenario: realisation as applicants experienced it and as bureaus' records report it
    (means of the last 12 months, with CIs), and the share of reported cuts made on paper."""
    _ = words
    fig, (left, right) = _scenario_rows(2, scenarios, words)
    for y, s in enumerate(scenarios):
        true, told = table[(s, "realisation_rate_end")], table[(s, "realisation_rate_reported_end")]
        left.plot([true.mean, told.mean], [y, y], color="grey", lw=1)
        for e, colour, mark in ((true, "tab:blue", "o"), (told, "tab:red", "s")):
            if math.isfinite(e.lo):
                left.hlines(y, e.lo, e.hi, color=colour, lw=2, alpha=0.4)
            left.plot(e.mean, y, mark, color=colour, ms=6)
        share = table[(s, "paper_cut_share")]
        if share.n:
            right.barh(y, share.mean, color="tab:orange", alpha=0.7)
            if math.isfinite(share.lo):
                right.hlines(y, share.lo, share.hi, color="black", lw=1)
    left.plot([], [], "o", color="tab:blue", label=_("as applicants went"))
    left.plot([], [], "s", color="tab:red", label=_("as bureaus' records report it"))
    left.legend(fontsize=8, frameon=False, loc="lower right")
    left.set_xlim(0, 1.02)
    left.set_xlabel(
        _("realisation rate, last 12 months (mean, {level} CI)").format(level=f"{level:.0%}")
    )
    right.set_xlim(0, 1.02)
    right.set_xlabel(_("share of reported item cuts made only on paper, since the launch"))
    fig.suptitle(
        _("Paper compliance: what is reported against what applicants experience"), fontsize=11
    )
    fig.tight_layout()
    return fig


def cascade_figure(
    views: dict[str, pd.DataFrame], scenarios: list[str], top: int = 5, words: Words = ENGLISH
) -> plt.Figure:
    """Share of replicates showing each order of first changes, per scenario, one panel a view."""
    _ = tr = words  # `tr`: the views' names and the orders, words of the data
    views = {k: v for k, v in views.items() if not v.empty}
    fig, axes = plt.subplots(
        1,
        len(views),
        figsize=(6.5 * len(views), 0.45 * len(scenarios) + 2.4),
        squeeze=False,
        sharey=True,
    )
    for ax, (title, counts) in zip(axes[0], views.items()):
        orders = [c for c in counts.columns if c not in ("runs", "article_order")]
        shown = list(counts[orders].sum().sort_values(ascending=False).index[:top])
        left = pd.Series(0.0, index=scenarios)
        for i, o in enumerate([*shown, "other"]):
            values = (
                counts[o]
                if o != "other"
                else counts[[c for c in orders if c not in shown]].sum(axis=1)
            )
            share = (values / counts["runs"]).reindex(scenarios).fillna(0.0)
            ax.barh(
                [words.scenario(s) for s in scenarios],
                share,
                left=left,
                label=_("other") if o == "other" else order_label(o, words.lang),
                color=PALETTE[i % 10],
            )
            left += share
        ax.set_xlim(0, 1)
        ax.set_xlabel(_("share of replicates"))
        ax.set_title(tr(title), fontsize=10)
        ax.legend(
            fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2
        )
    axes[0][0].invert_yaxis()
    fig.suptitle(
        _("Order of the first process, organisational and functional changes after launch"),
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def all_figures(
    results: pd.DataFrame,
    runs: pd.DataFrame,
    scenarios: list[str],
    table: dict[tuple[str, str], Estimate],
    factorials: list[Factorial],
    cascade: dict[str, pd.DataFrame],
    folder: Path,
    level: float,
    lang: str = "en",
) -> list[dict]:
    """Every figure of the report, saved into `folder`; name, title and base64 PNG of each: the
    one place the report's figures get their words (a `Words` of `lang`, given to each)."""
    _ = words = Words(lang)
    present = {c: t for c, t in SERIES.items() if c in results}  # older sweeps lack some
    quantiles = bands(results, list(present))
    figs = []
    for column, title in present.items():
        fig = series_figure(quantiles, column, scenarios, words)
        figs.append(
            {
                "name": f"series_{column}",
                "title": _(title),
                "png": save(fig, folder, f"series_{column}"),
            }
        )
    if "items_total" in present:
        fig = brief_figure(quantiles, "items_total", scenarios, words)
        figs.append(
            {
                "name": "brief_items_total",
                "title": _(SERIES["items_total"]),
                "png": save(fig, folder, "brief_items_total", dpi=150),
            }
        )
    for name, title, draw in (
        ("rebound", _("Rebound ratio"), rebound_figure),
        ("formalism", _("Paper compliance"), formalism_figure),
    ):  # the figures of the table of estimates, one row per scenario
        fig = draw(table, scenarios, level, words)
        figs.append({"name": name, "title": title, "png": save(fig, folder, name)})
    if factorials:
        figs.append(
            {
                "name": "factorial",
                "title": _("Pressure x technology"),
                "png": save(
                    factorial_figure(runs, factorials[:4], level, words), folder, "factorial"
                ),
            }
        )
    figs.append(
        {
            "name": "cascade",
            "title": _("Cascade order"),
            "png": save(cascade_figure(cascade, scenarios, words=words), folder, "cascade"),
        }
    )
    return figs
