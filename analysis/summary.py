"""The summary metrics of one run, read from its time series (and the model, when at hand)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.regrowth import regrowth_metrics


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


def summarise(df: pd.DataFrame, model: Any = None) -> dict[str, Any]:
    """Headline figures of a run: from launch (month 0) to the end."""
    post = df[df["step"] >= 0]
    warm = df[df["step"] <= 0]
    items = post["items_open"] + post["items_hidden"]
    last = int(df["step"].max())
    out: dict[str, Any] = {
        "months": last,
        "items_total_launch": int(items.iloc[0]),
        "items_total_end": int(items.iloc[-1]),
        "items_hidden_end": int(post["items_hidden"].iloc[-1]),
        "agencies_launch": float(post["agencies"].iloc[0]),
        "agencies_end": float(post["agencies"].iloc[-1]),
        "staff_launch": float(post["staff"].iloc[0]),
        "staff_end": float(post["staff"].iloc[-1]),
        "staff_growth_warmup_annual": annual_growth(warm["staff"]) if len(warm) > 12 else float("nan"),
        "staff_growth_annual": annual_growth(post["staff"]),
        "realisation_rate_12": window_mean(df, "realisation_rate", 12),
        "realisation_rate_36": window_mean(df, "realisation_rate", 36),
        "realisation_rate_end": window_mean(df, "realisation_rate", last, 12),
        "satisfaction_rate_12": window_mean(df, "satisfaction_rate", 12),
        "satisfaction_rate_36": window_mean(df, "satisfaction_rate", 36),
        "satisfaction_rate_end": window_mean(df, "satisfaction_rate", last, 12),
        "trips_mean_end": window_mean(df, "trips_mean", last, 12),
        "face_to_face_end": window_mean(df, "face_to_face", last, 12),
        "waiting_days_end": window_mean(df, "waiting_days", last, 12),
        "complaints_total": int(post["complaints"].sum()),
    }
    for name, series in (("items", items), ("agencies", post["agencies"]), ("staff", post["staff"])):
        for key, value in regrowth_metrics(series.to_numpy()).items():
            out[f"{name}_{key}"] = value
    if model is not None:
        out["cascade_order"] = model.cascade.order(since=1)
        out["cascade_first_month"] = model.cascade.first_months(since=1)
    out = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in out.items()}
    return out
