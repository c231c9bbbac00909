"""overview.png: the run at a glance."""

from __future__ import annotations

from typing import IO

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

PANELS = (
    ("Approval items", (("items_open", "open"), ("items_hidden", "hidden"))),
    ("Agencies", (("agencies", "agencies"),)),
    ("Staff (posts)", (("staff", "staff"),)),
    ("Trips per matter", (("trips_mean", "mean"), ("trips_p90", "90th percentile"))),
    ("Realisation rate (at most one trip)", (("realisation_rate", "share of matters"),)),
    ("Satisfaction rate", (("satisfaction_rate", "share satisfied"),)),
)


def plot_overview(df: pd.DataFrame, title: str, out: IO[bytes] | str) -> None:
    fig, axes = plt.subplots(2, 3, figsize=(13, 6.5), sharex=True)
    for ax, (name, series) in zip(axes.ravel(), PANELS):
        for column, label in series:
            ax.plot(df["step"], df[column], label=label, lw=1.4)
        ax.axvline(0, color="grey", lw=0.8, ls="--")
        ax.set_title(name, fontsize=10)
        if len(series) > 1:
            ax.legend(fontsize=8, frameon=False)
        if "rate" in series[0][0]:
            ax.set_ylim(0, 1.02)
    for ax in axes[1]:
        ax.set_xlabel("month (0 = reform launch; before it, the shared status-quo warm-up)")
    fig.suptitle(f"reform-dynamics: {title}", fontsize=12)
    fig.tight_layout()
    fig.savefig(out, format="png", dpi=90)
    plt.close(fig)
