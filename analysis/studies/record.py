"""The published record (data/*.csv) as history-matching targets, and the same quantities
measured on one model run (DESIGN.md section 9.4; docs/ODD.md, 'The record's counting units').

The record changes its counting rule between announcements, so every target is a share or a rate
within one count, never a level across counts:

- `round_depth`: the share of State Council bodies a round cut, averaged over every round with a
  before and an after count of one kind (working bodies, else constituent departments). Model:
  agencies the month before a campaign against the campaign's month, averaged over campaigns;
- `bodies_growth`: working bodies' growth a year between rounds, 61 after 1982 to 86 before
  1993. Model: agencies' growth a year from a campaign's month to the month before the next;
- `items_cut_share_10y`: the share of central approval items cancelled or adjusted in ten years
  (69.3 %, 2002-2012). Model: the share of the launch's items cut (for real or on paper: the
  record counts what was reported) within 120 months;
- `zhejiang_items_fall_5y`: the fall of Zhejiang's listed provincial items, 3,251 to 630 in
  2002-2007. Model: the fall of listed (open) items over the 60 months after the launch;
- `realisation_2017`, `satisfaction_2017`: Zhejiang's survey rates a year after the launch.

Observation errors come from the files (the stated +- taken as one standard deviation and
propagated to the share); model discrepancies are stated here, with their reasons (DISCREPANCY).
Pure: frames in, numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.studies.implausibility import Target

INTERNAL, HEADLINE = "internal_reform", "pressure_and_technology"
BODY_COUNTS = ("working_bodies", "constituent_departments")  # a round's count, first found
# months a run needs to see two rounds (the launch's, and the next at most 60 months later)
ROUNDS_SEEN = 64


@dataclass(frozen=True)
class RecordTarget:
    """One target: its value and errors (as sds), where the model measures it, and its source."""

    name: str
    label: str
    value: float
    obs_sd: float
    discrepancy_sd: float
    scenario: str
    months: int  # months after the launch the model must run to measure it
    source: str

    def target(self) -> Target:
        return Target(self.name, self.value, self.obs_sd, self.discrepancy_sd)


# the stated model discrepancies (sds, in the target's unit) and why
DISCREPANCY = {
    "round_depth": (None, "the record's rounds differ in depth (0 to 39 %), the model's rounds "
                    "follow one rule: the rounds' own spread"),
    "bodies_growth": (0.01, "one decade between two rounds; the model's agencies are not the "
                      "State Council's bodies one for one"),
    "items_cut_share_10y": (0.05, "the model's items are a province's, the record's the centre's; "
                            "'adjusted' includes items the model does not count as cut"),
    "zhejiang_items_fall_5y": (0.05, "one province's review, modelled by the internal-reform "
                               "scenario's campaigns"),
    "realisation_2017": (0.02, "the survey's own method against the model's applicants"),
    "satisfaction_2017": (0.02, "surveys in one year differ by several points"),
}  # fmt: skip


def _sd(row: pd.Series) -> float:
    """A row's observation error as an sd in its unit (relative errors times the value)."""
    err = float(row["observation_error"])
    return err * abs(float(row["value"])) if row["error_type"] == "relative" else err


def _ratio_sd(a: float, sa: float, b: float, sb: float) -> float:
    """The sd of a / b from independent errors (first order)."""
    return (a / b) * math.hypot(sa / a if a else 0.0, sb / b)


def read_record(data: Path) -> dict[str, pd.DataFrame]:
    """Every data/*.csv by file stem."""
    return {p.stem: pd.read_csv(p) for p in sorted(Path(data).glob("*.csv"))}


def _one(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = np.ones(len(frame), bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    if not mask.any():
        raise ValueError(f"the record has no row with {where}")
    return frame[mask].iloc[0]


def round_depths(bodies: pd.DataFrame) -> pd.DataFrame:
    """Per round with a before and an after count of one kind: its depth and the depth's sd."""
    rows = []
    for event, part in bodies.groupby("event", sort=False):
        for measure in BODY_COUNTS:
            kinds = part[part["measure"] == measure].set_index("kind")
            if {"before", "after"} <= set(kinds.index):
                b, a = kinds.loc["before"], kinds.loc["after"]
                sd = _ratio_sd(float(a["value"]), _sd(a), float(b["value"]), _sd(b))
                rows.append({"event": event, "measure": measure, "year": int(b["year"]),
                             "depth": 1 - float(a["value"]) / float(b["value"]), "sd": sd,
                             "source": b["source_publication"]})  # fmt: skip
                break
    return pd.DataFrame(rows)


def record_targets(data: Path) -> list[RecordTarget]:
    """The targets the history stage matches, read from the record's files."""
    rec = read_record(data)
    bodies, items, zj = rec["state_council_bodies"], rec["central_approval_items"], rec["zhejiang"]
    depths = round_depths(bodies)
    after82 = _one(bodies, event="1982 round", measure="working_bodies", kind="after")
    before93 = _one(bodies, event="1993 round", measure="working_bodies", kind="before")
    years = int(before93["year"]) - int(after82["year"])
    a, b = float(before93["value"]), float(after82["value"])
    growth_sd = math.hypot(_sd(before93) / a, _sd(after82) / b) / years  # of the log rate
    share = _one(items, measure="share_cancelled_or_adjusted", year=2012)
    z0 = _one(zj, measure="provincial_items", kind="before")
    z1 = _one(zj, measure="provincial_items", kind="after")
    z_years = int(z1["year"]) - int(z0["year"])
    fall_sd = _ratio_sd(float(z1["value"]), _sd(z1), float(z0["value"]), _sd(z0))
    # both rates from the one survey (2017 reports differ by several points)
    realised = _one(zj, measure="realisation_rate", year=2017)
    survey = {"realisation_rate": realised,
              "satisfaction": _one(zj, measure="satisfaction", event=realised["event"])}  # fmt: skip
    out = [
        RecordTarget("round_depth", f"share of State Council bodies a round cut (mean of "
                     f"{len(depths)} rounds)", float(depths["depth"].mean()),
                     float(np.sqrt((depths["sd"] ** 2).sum()) / len(depths)),
                     float(depths["depth"].std(ddof=1)), INTERNAL, ROUNDS_SEEN,
                     "data/state_council_bodies.csv: " + ", ".join(depths["event"])),
        RecordTarget("bodies_growth", f"working bodies' growth a year between rounds "
                     f"({int(b)} after 1982 to {int(a)} before 1993)",
                     (a / b) ** (1 / years) - 1, growth_sd, DISCREPANCY["bodies_growth"][0],
                     INTERNAL, ROUNDS_SEEN, str(before93["source_publication"])),
        RecordTarget("items_cut_share_10y", "share of central approval items cut or adjusted "
                     "in ten years (2002-2012)", float(share["value"]) / 100, _sd(share) / 100,
                     DISCREPANCY["items_cut_share_10y"][0], INTERNAL, 120,
                     str(share["source_publication"])),
        RecordTarget("zhejiang_items_fall_5y", f"fall of Zhejiang's provincial items, "
                     f"{int(z0['value']):,} to {int(z1['value']):,} ({z0['year']}-{z1['year']})",
                     1 - float(z1["value"]) / float(z0["value"]), fall_sd,
                     DISCREPANCY["zhejiang_items_fall_5y"][0], INTERNAL, 12 * z_years,
                     str(z0["source_publication"])),
    ]  # fmt: skip
    for name, measure in (
        ("realisation_2017", "realisation_rate"),
        ("satisfaction_2017", "satisfaction"),
    ):
        row = survey[measure]
        out.append(RecordTarget(name, f"Zhejiang's {measure.replace('_', ' ')} a year after the "
                                "launch (2017)", float(row["value"]) / 100, _sd(row) / 100,
                                DISCREPANCY[name][0], HEADLINE, 12,
                                str(row["source_publication"])))  # fmt: skip
    return out


# the same quantities on one model run ------------------------------------------------------------
def _campaigns(post: pd.DataFrame) -> list[int]:
    """Positions (in the post-launch rows) of the months a campaign ran."""
    return [int(i) for i in np.flatnonzero(post["campaign"].to_numpy() > 0) if i > 0]


def model_quantities(series: pd.DataFrame, cut_share_10y: float) -> dict[str, float]:
    """The record's quantities measured on one run's monthly series (NaN where the run cannot
    say: no campaign, or too few months)."""
    post = series[series["step"] >= 0].sort_values("step").reset_index(drop=True)
    agencies = post["agencies"].to_numpy(float)
    listed = post["items_open"].to_numpy(float)
    rounds = _campaigns(post)
    depth = [1 - agencies[m] / agencies[m - 1] for m in rounds if agencies[m - 1] > 0]
    growth = [
        (agencies[n - 1] / agencies[m]) ** (12 / (n - 1 - m)) - 1
        for m, n in zip(rounds, rounds[1:])
        if n - 1 > m and agencies[m] > 0
    ]
    last = len(post) - 1
    fall = 1 - listed[60] / listed[0] if last >= 60 and listed[0] > 0 else math.nan
    return {
        "round_depth": float(np.mean(depth)) if depth else math.nan,
        "bodies_growth": float(np.mean(growth)) if growth else math.nan,
        "items_cut_share_10y": float(cut_share_10y),
        "zhejiang_items_fall_5y": float(fall),
        "realisation_2017": _window(post, "realisation_rate", 12),
        "satisfaction_2017": _window(post, "satisfaction_rate", 12),
    }


def _window(post: pd.DataFrame, column: str, month: int) -> float:
    """The mean over the three months ending at `month` (as the calibration's targets)."""
    part = post[(post["step"] > month - 3) & (post["step"] <= month)][column]
    return float(part.mean()) if len(part) == 3 else math.nan


def targets_table(targets: list[RecordTarget]) -> pd.DataFrame:
    """The targets with their errors, scenario and source (history_targets.csv)."""
    rows = [t.__dict__ | {"discrepancy_why": DISCREPANCY[t.name][1]} for t in targets]
    return pd.DataFrame(rows)


def measured(quantities: Mapping[str, float], targets: list[RecordTarget]) -> list[float]:
    return [float(quantities.get(t.name, math.nan)) for t in targets]
