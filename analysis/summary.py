"""The summary metrics of one run, read from its monthly time series (and the model, when at hand).

`run_metrics` is what the scenario comparison analyses (one number per run and metric);
`summarise` adds the headline levels that summary.json carries for a single run. `METRICS` names
every run metric with its label, unit and which direction is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.regrowth import default_horizon, regrowth_metrics
from simulation.metrics import COLUMNS

QUANTITIES = {
    "items": "approval items (open + hidden)",
    "agencies": "agencies",
    "staff": "staff (posts)",
}
UNIT_INTERVAL = (0.0, 1.0)
NOUNS = {"items": "approval items", "agencies": "agencies", "staff": "staff"}


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str  # "share" (0-1, shown as %), "ratio" (0-1), "count", "months", "trips", "days", ...
    better: str  # "lower", "higher" or "" (no direction)
    short: str = ""  # for running text, e.g. "rebound ratio of approval items"
    bounds: tuple[float, float] | None = None  # the values it can take; CIs are kept inside

    @property
    def words(self) -> str:
        return self.short or self.label


def _regrowth_metrics() -> list[Metric]:
    out = []
    for q, label in QUANTITIES.items():
        out += [
            Metric(
                f"{q}_rebound",
                f"rebound ratio of cuts, {label}",
                "ratio",
                "lower",
                f"rebound ratio of {NOUNS[q]}",
                UNIT_INTERVAL,
            ),
            Metric(
                f"{q}_cycles",
                f"cut-regrow cycles, {label}",
                "count",
                "lower",
                f"cut-regrow cycles of {NOUNS[q]}",
            ),
            Metric(
                f"{q}_half_life",
                f"half-life of a cut, {label}",
                "months",
                "higher",
                f"half-life of a cut of {NOUNS[q]}",
            ),
            Metric(
                f"{q}_net_change",
                f"net change since launch, {label}",
                "share",
                "lower",
                f"net change of {NOUNS[q]}",
            ),
            Metric(f"{q}_cuts", f"cuts, {label}", "count", ""),
        ]
    return out


METRICS: dict[str, Metric] = {
    m.name: m
    for m in _regrowth_metrics()
    + [
        Metric(
            "items_hidden_share_end",
            "hidden share of items at the end",
            "share",
            "lower",
            bounds=UNIT_INTERVAL,
        ),
        Metric("staff_growth_annual", "staff growth a year after launch", "share", "lower"),
        Metric(
            "trips_mean_end",
            "trips per matter (last 12 months)",
            "trips",
            "lower",
            "trips per matter",
        ),
        Metric(
            "realisation_rate_12",
            "realisation rate a year after launch",
            "share",
            "higher",
            bounds=UNIT_INTERVAL,
        ),
        Metric(
            "realisation_rate_end",
            "realisation rate (last 12 months)",
            "share",
            "higher",
            "realisation rate",
            UNIT_INTERVAL,
        ),
        Metric(
            "realisation_rate_reported_end",
            "realisation rate as bureaus' records report it (last 12 months)",
            "share",
            "",
            "reported realisation rate",
            UNIT_INTERVAL,
        ),
        Metric(
            "realisation_gap_end",
            "reported minus experienced realisation (last 12 months)",
            "share",
            "lower",
            "gap between reported and experienced realisation",
            UNIT_INTERVAL,
        ),
        Metric(
            "informal_visits_end",
            "informal pre-visits per matter (last 12 months)",
            "trips",
            "lower",
            "informal pre-visits per matter",
        ),
        Metric(
            "paper_cut_share",
            "share of reported item cuts made only on paper, since launch",
            "share",
            "lower",
            "share of cuts made on paper",
            UNIT_INTERVAL,
        ),
        Metric(
            "staff_off_quota_share_end",
            "share of staff off the establishment at the end",
            "share",
            "",
            "off-quota share of staff",
            UNIT_INTERVAL,
        ),
        Metric(
            "staff_utilisation_end",
            "staff utilisation: expected work over capacity (last 12 months)",
            "ratio",
            "",
        ),
        Metric("agencies_founded", "agencies founded since launch", "count", ""),
        Metric("agencies_abolished", "agencies abolished since launch", "count", ""),
        Metric(
            "satisfaction_rate_end",
            "satisfaction rate (last 12 months)",
            "share",
            "higher",
            "satisfaction rate",
            UNIT_INTERVAL,
        ),
        Metric("waiting_days_end", "waiting days (last 12 months)", "days", "lower"),
        Metric(
            "face_to_face_end",
            "face-to-face contacts per matter (last 12 months)",
            "contacts",
            "lower",
        ),
        Metric(
            "complaints_per_1000", "complaints per 1,000 matters since launch", "count", ""
        ),  # no better side: complaints are also the channel that makes bureaus listen
    ]
}


def annual_growth(series: pd.Series) -> float:
    """Compound yearly growth between the first and last month of a monthly series."""
    values = series.to_numpy(float)
    if len(values) < 2 or values[0] <= 0:
        return float("nan")
    return float((values[-1] / values[0]) ** (12.0 / (len(values) - 1)) - 1.0)


def at_month(df: pd.DataFrame, column: str, month: int) -> float:
    row = df[df["step"] == month]
    return float(row[column].iloc[0]) if len(row) else float("nan")


def window_mean(df: pd.DataFrame, column: str, month: int, width: int = 3) -> float:
    """Mean of a column over the `width` months ending at `month` (smooths monthly noise)."""
    part = df[(df["step"] > month - width) & (df["step"] <= month)]
    return float(part[column].mean()) if len(part) else float("nan")


def run_metrics(df: pd.DataFrame, horizon: int | None = None) -> dict[str, float]:
    """Every metric of `METRICS` for one run, from the launch (month 0) on; NaN where undefined."""
    df = df.sort_values("step")
    step = df["step"].to_numpy()
    # numpy: this runs once per run; a sweep of an older version lacks some columns (NaN)
    col = {c: df[c].to_numpy(float) if c in df else np.full(len(df), np.nan) for c in _COLUMNS_READ}
    post = step >= 0
    last = int(step.max())
    horizon = default_horizon(last) if horizon is None else horizon
    items = (col["items_open"] + col["items_hidden"])[post]
    out: dict[str, float] = {}
    for name, series in (
        ("items", items),
        ("agencies", col["agencies"][post]),
        ("staff", col["staff"][post]),
    ):
        for key, value in regrowth_metrics(series, horizon).items():
            out[f"{name}_{key}"] = value

    def window(column: str, month: int, width: int = 12) -> float:
        part = col[column][(step > month - width) & (step <= month)]
        return float(part.mean()) if len(part) else float("nan")

    after = step >= 1
    matters = col["matters"][after].sum()
    out.update(
        items_hidden_share_end=float(col["items_hidden"][post][-1] / max(items[-1], 1.0)),
        staff_growth_annual=annual_growth(pd.Series(col["staff"][post])),
        trips_mean_end=window("trips_mean", last),
        realisation_rate_12=window("realisation_rate", 12, 3),
        realisation_rate_end=window("realisation_rate", last),
        satisfaction_rate_end=window("satisfaction_rate", last),
        realisation_rate_reported_end=window("realisation_rate_reported", last),
        realisation_gap_end=window("realisation_rate_reported", last)
        - window("realisation_rate", last),
        informal_visits_end=window("informal_visits", last),
        paper_cut_share=_share(col["items_relabelled"][after].sum(), col["items_cut"][after].sum()),
        staff_off_quota_share_end=float(
            col["staff_off_quota"][post][-1] / max(col["staff"][post][-1], 1e-9)
        ),
        staff_utilisation_end=window("staff_utilisation", last),
        agencies_founded=float(col["agencies_founded"][after].sum()),
        agencies_abolished=float(col["agencies_abolished"][after].sum()),
        waiting_days_end=window("waiting_days", last),
        face_to_face_end=window("face_to_face", last),
        complaints_per_1000=float(col["complaints"][after].sum() / matters * 1000)
        if matters
        else np.nan,
    )
    return out


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


_COLUMNS_READ = tuple(c for c in COLUMNS if c != "phase")  # the numeric ones


def summarise(df: pd.DataFrame, model: Any = None) -> dict[str, Any]:
    """Headline figures of a run, from launch (month 0) to the end, for summary.json."""
    post = df[df["step"] >= 0]
    warm = df[df["step"] <= 0]
    items = post["items_open"] + post["items_hidden"]
    last = int(df["step"].max())
    out: dict[str, Any] = {
        "months": last,
        "regrowth_horizon": default_horizon(last),
        "items_total_launch": int(items.iloc[0]),
        "items_total_end": int(items.iloc[-1]),
        "items_hidden_end": int(post["items_hidden"].iloc[-1]),
        "agencies_launch": float(post["agencies"].iloc[0]),
        "agencies_end": float(post["agencies"].iloc[-1]),
        "staff_launch": float(post["staff"].iloc[0]),
        "staff_end": float(post["staff"].iloc[-1]),
        "staff_growth_warmup_annual": annual_growth(warm["staff"])
        if len(warm) > 12
        else float("nan"),
        "realisation_rate_36": window_mean(df, "realisation_rate", 36),
        "satisfaction_rate_12": window_mean(df, "satisfaction_rate", 12),
        "satisfaction_rate_36": window_mean(df, "satisfaction_rate", 36),
        "complaints_total": int(post["complaints"].sum()),
    }
    out.update(run_metrics(df))
    if model is not None:
        out["cascade_order"] = model.cascade.order(since=1)
        out["cascade_first_month"] = model.cascade.first_months(since=1)
        out["cascade_typical_onset"] = model.cascade.typical_onsets()
    return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in out.items()}
