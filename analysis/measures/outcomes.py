"""The outcomes the validation studies (sensitivity, phase diagram, scenario discovery) read from
one run, each a single number that is defined for every run.

Rebound ratios are analysis.measures.regrowth's (size-weighted share of each cut that came back
within the horizon; a cut followed too briefly counts with what came back by the end of the run; a
fall that never came back stayed down, 0). In the runs studied here every scenario has a campaign
cut at the launch, so a run without any cut is rare; it gets NaN and the studies report how many
there were.
"""

from __future__ import annotations

import pandas as pd

from analysis.measures.regrowth import default_horizon, rebound_ratio
from analysis.measures.summary import annual_growth, window_mean
from simulation import outputs
from simulation.outputs import Output

TEN_YEARS = 120  # months; the horizon of the Parkinson and State Council facts


# the outcomes the studies analyse, and those recorded beside them (simulation/outputs.py)
OUTCOMES: dict[str, Output] = {
    o.name: o for o in outputs.of_study("validation") if "studied" in o.shown
}
EXTRA = tuple(o.name for o in outputs.of_study("validation") if o.name not in OUTCOMES)


def interval_bounds(output: Output) -> tuple[float, float] | None:
    """Where the mean of an output over replicates must lie: a ratio's or a share's is one too
    (0-1), so its interval is cut to that; growth is unbounded."""
    return outputs.UNIT if output.unit in ("ratio", "share") else None


def outcomes(df: pd.DataFrame, cut_share_10y: float = float("nan")) -> dict[str, float]:
    """Every outcome of one run's monthly series (months <= 0 are the warm-up)."""
    df = df.sort_values("step")
    post = df[df["step"] >= 0]
    last = int(df["step"].max())
    horizon = default_horizon(last)
    items = (post["items_open"] + post["items_hidden"]).to_numpy(float)
    agencies = post["agencies"].to_numpy(float)
    ten = post[post["step"] <= TEN_YEARS]
    computed = {
        "items_rebound": rebound_ratio(items, horizon),
        "agencies_rebound": rebound_ratio(agencies, horizon),
        "staff_growth": annual_growth(post["staff"]),
        "staff_growth_10y": annual_growth(ten["staff"]),
        "realisation_12": window_mean(df, "realisation_rate", 12),
        "satisfaction_12": window_mean(df, "satisfaction_rate", 12),
        "realisation_36": window_mean(df, "realisation_rate", 36),
        "satisfaction_36": window_mean(df, "satisfaction_rate", 36),
        "realisation_end": window_mean(df, "realisation_rate", last, 12),
        "satisfaction_end": window_mean(df, "satisfaction_rate", last, 12),
        "items_net_change": float(items[-1] / items[0] - 1.0) if items[0] else float("nan"),
        "agencies_net_change": float(agencies[-1] / agencies[0] - 1.0)
        if agencies[0]
        else float("nan"),
        "items_cut_share_10y": cut_share_10y,
    }
    return dict(outputs.checked("validation", computed))
