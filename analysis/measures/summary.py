"""The summary metrics of one run, read from its monthly time series (and the model, when at hand).

`run_metrics` is what the scenario comparison analyses (one number per run and metric);
`summarise` adds the headline levels that summary.json carries for a single run. `METRICS` names
every run metric with its label, unit and which direction is better: the comparison's outputs of
simulation/outputs.py, the table that declares them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.regrowth import default_horizon, regrowth_metrics
from analysis.measures.rounds import items_ten_years, round_metrics, round_starts
from simulation import outputs
from simulation.outputs import QUANTITIES as QUANTITIES
from simulation.outputs import Output

# every run metric: its label, unit and which direction is better (simulation/outputs.py)
METRICS: dict[str, Output] = {o.name: o for o in outputs.of_study("comparison")}


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
    col = {c: df[c].to_numpy(float) if c in df else np.full(len(df), np.nan) for c in _numeric()}
    post = step >= 0
    last = int(step.max())
    horizon = default_horizon(last) if horizon is None else horizon
    items = (col["items_open"] + col["items_hidden"])[post]
    warm = step <= 0  # the warm-up, which the launch month ends: the trend before any round
    out: dict[str, float] = {}
    for name, full in (
        ("items", col["items_open"] + col["items_hidden"]),
        ("agencies", col["agencies"]),
        ("staff", col["staff"]),
    ):
        series = full[post]
        for key, value in regrowth_metrics(series, horizon).items():
            out[f"{name}_{key}"] = value
        starts = round_starts(col["campaign"][post], series)
        for key, value in round_metrics(series, starts, full[warm]).items():
            out[f"{name}_{key}"] = value
    out.update(items_ten_years(items, col["items_cut"][post]))

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
    return dict(outputs.checked("comparison", out))


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


def _numeric() -> list[str]:
    """The time series' numeric columns."""
    return [o.name for o in outputs.monthly() if o.compute is not None and o.unit != "text"]


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
