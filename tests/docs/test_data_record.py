"""The published record in data/: every row sourced, errors stated, dates readable, and the
figures consistent with each other where a reader would check them (data/README.md)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
REQUIRED = ("state_council_bodies.csv", "central_approval_items.csv", "zhejiang.csv")
COLUMNS = [
    "year",
    "date",
    "event",
    "measure",
    "kind",
    "value",
    "unit",
    "part_of_total",
    "counting_rule",
    "observation_error",
    "error_type",
    "uncertain",
    "source_publication",
    "source_date",
    "source_url",
    "checked",
    "checked_where",
    "note",
]
SOURCE = ("source_publication", "source_date", "source_url")
KINDS = {"stock", "before", "after", "change", "flow", "cumulative", "share", "rate"}
UNITS = {"bodies", "persons", "items", "matters", "departments", "ships", "percent"}
UNITS |= {"percent_per_year"}
ROUNDS = (1982, 1988, 1993, 1998, 2003, 2008, 2013, 2018, 2023)
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
SOURCE_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _read(path: Path) -> pd.DataFrame:
    """Every column as text (flags stay "true"/"false"), then the numbers parsed strictly."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("year", "value", "observation_error"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


@pytest.fixture(scope="module")
def record() -> dict[str, pd.DataFrame]:
    return {p.name: _read(p) for p in sorted(DATA.glob("*.csv"))}


@pytest.fixture(scope="module")
def bodies(record) -> pd.DataFrame:
    return record["state_council_bodies.csv"]


@pytest.fixture(scope="module")
def items(record) -> pd.DataFrame:
    return record["central_approval_items.csv"]


@pytest.fixture(scope="module")
def zhejiang(record) -> pd.DataFrame:
    return record["zhejiang.csv"]


def error(row) -> float:
    """The row's observation error in its own unit."""
    if row["error_type"] == "relative":
        return row["observation_error"] * abs(row["value"])
    return row["observation_error"]


def flag(value: str) -> bool:
    return str(value).strip().lower() == "true"


def one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        mask &= frame[column] == wanted
    hits = frame[mask]
    assert len(hits) == 1, f"{where}: {len(hits)} rows"
    return hits.iloc[0]


# --- shape, sources, errors, dates -------------------------------------------------------------


def test_the_required_files_are_there_with_the_same_columns(record):
    assert set(REQUIRED) <= set(record), sorted(record)
    for name, frame in record.items():
        assert list(frame.columns) == COLUMNS, name
        assert len(frame) > 0, name
        assert set(frame["kind"]) <= KINDS, (name, set(frame["kind"]) - KINDS)
        assert set(frame["unit"]) <= UNITS, (name, set(frame["unit"]) - UNITS)
        assert frame["value"].notna().all() and frame["value"].map(math.isfinite).all(), name


def test_every_row_names_its_source(record):
    for name, frame in record.items():
        for column in SOURCE:
            text = frame[column].astype(str).str.strip()
            empty = frame.loc[text == "", "measure"].tolist()
            assert not empty, f"{name}: rows without {column}: {empty}"


def test_every_row_states_an_observation_error(record):
    for name, frame in record.items():
        err = frame["observation_error"]
        assert err.notna().all() and err.map(math.isfinite).all() and (err >= 0).all(), name
        assert set(frame["error_type"]) <= {"absolute", "relative"}, name
        relative = frame[frame["error_type"] == "relative"]["observation_error"]
        assert (relative <= 1).all(), f"{name}: a relative error above 100 %"


def test_flags_are_readable_and_unchecked_figures_are_marked_uncertain(record):
    for name, frame in record.items():
        assert set(frame["uncertain"]) <= {"true", "false"}, name
        assert set(frame["checked"]) <= {"yes", "no"}, name
        assert set(frame["part_of_total"]) <= {"true", "false", ""}, name
        unchecked = frame[(frame["checked"] == "no") & (frame["uncertain"] != "true")]
        assert unchecked.empty, f"{name}: not re-read but not uncertain: {unchecked['measure']}"
        why = frame[(frame["uncertain"] == "true") & (frame["note"].str.strip() == "")]
        assert why.empty, f"{name}: uncertain rows must say why: {why['measure'].tolist()}"
        where = frame["checked_where"].str.strip()
        assert (where != "").all(), f"{name}: say where each figure was (or was not) checked"


def test_years_and_dates_parse(record):
    for name, frame in record.items():
        years = pd.to_numeric(frame["year"], errors="coerce")
        assert years.notna().all() and years.between(1900, 2030).all(), name
        assert frame["date"].map(lambda d: bool(DATE.match(d))).all(), name
        assert (frame["date"].str[:4].astype(int) == years).all(), f"{name}: date and year differ"
        sdate = frame["source_date"]
        good = sdate.map(lambda d: bool(SOURCE_DATE.match(d)) or d == "undated")
        assert good.all(), f"{name}: {sdate[~good].tolist()}"


# --- what the record must hold -----------------------------------------------------------------


def test_the_state_council_rounds_1982_to_2023_are_there(bodies):
    counted = {"working_bodies", "constituent_departments"}
    for year in ROUNDS:
        rows = bodies[(bodies["year"] == year) & bodies["measure"].isin(counted)]
        assert not rows.empty, f"no count of bodies for the {year} round"
    assert one(bodies, year=1981, measure="working_bodies")["value"] == 100
    depth_1982 = one(bodies, year=1982, measure="working_bodies", kind="after")
    assert depth_1982["value"] == 61


def test_the_2001_baseline_and_the_2012_figures_are_there(items):
    assert one(items, year=2001, measure="items")["value"] == 3605
    assert one(items, year=2001, measure="departments_with_items")["value"] == 68
    cumulative = one(items, year=2012, measure="items_cancelled_or_adjusted", kind="cumulative")
    assert cumulative["value"] == 2497
    assert one(items, year=2012, measure="share_cancelled_or_adjusted")["value"] == 69.3
    sixth = items[(items["year"] == 2012) & (items["kind"] == "flow")]
    assert set(sixth[sixth["measure"] == "items_cancelled_or_adjusted"]["value"]) == {314}
    assert one(items, year=2014, measure="items")["value"] == 1235


def test_the_calibration_targets_of_design_section_7_are_there(zhejiang, record):
    rates = {
        (2017, "realisation_rate"): 87.9,
        (2017, "satisfaction"): 94.7,
        (2019, "realisation_rate"): 92.9,
        (2019, "satisfaction"): 97.1,
    }
    for (year, measure), value in rates.items():
        rows = zhejiang[(zhejiang["year"] == year) & (zhejiang["measure"] == measure)]
        assert value in set(rows["value"]), (year, measure)
    assert one(zhejiang, measure="provincial_items", kind="before")["value"] == 3251
    assert one(zhejiang, measure="provincial_items", kind="after")["value"] == 630
    years = set()
    for frame in record.values():
        years |= set(frame["year"])
    assert {1982, 1993, 1998, 2012, 2018} <= years


# --- internal consistency ----------------------------------------------------------------------


def test_the_headline_share_is_the_cut_over_the_baseline(items):
    baseline = one(items, year=2001, measure="items")["value"]
    cut = one(items, year=2012, measure="items_cancelled_or_adjusted", kind="cumulative")["value"]
    share = one(items, year=2012, measure="share_cancelled_or_adjusted")["value"]
    assert 100 * cut / baseline == pytest.approx(share, abs=0.05)
    three = one(items, year=2007, measure="items_cancelled_or_adjusted", kind="cumulative")
    share_2006 = one(items, year=2006, measure="share_cancelled_or_adjusted")["value"]
    assert 100 * three["value"] / baseline == pytest.approx(share_2006, abs=0.05)


def test_the_parts_of_each_batch_add_up_to_its_total(items):
    totals = items[items["measure"] == "items_cancelled_or_adjusted"]
    checked = 0
    for (event, source_date), group in items.groupby(["event", "source_date"]):
        parts = group[group["part_of_total"] == "true"]
        total = totals[(totals["event"] == event) & (totals["source_date"] == source_date)]
        if parts.empty or total.empty:
            continue
        assert parts["value"].sum() == total["value"].iloc[0], (event, source_date)
        checked += 1
    assert checked >= 4  # 2007, 2012 announcement, 2012 list, 2013-2016


def test_the_six_batches_add_up_to_the_headline_within_the_stated_error(items):
    first_three = one(items, year=2007, measure="items_cancelled_or_adjusted", kind="cumulative")
    fourth = one(items, event="fourth batch", measure="items_cancelled_or_adjusted")["value"]
    fifth = items[(items["event"] == "fifth batch") & (items["part_of_total"] == "true")]
    sixth = one(items, event="sixth batch (published list)", measure="items_cancelled_or_adjusted")
    total = first_three["value"] + fourth + fifth["value"].sum() + sixth["value"]
    headline = one(items, year=2012, measure="items_cancelled_or_adjusted", kind="cumulative")
    assert abs(total - headline["value"]) <= error(headline)


def test_the_stock_left_is_not_below_baseline_minus_cuts(items):
    """Adjusted items (devolved, merged) still exist: 1,700 left in 2013 >= 3,605 - 2,497."""
    baseline = one(items, year=2001, measure="items")["value"]
    cut = one(items, year=2012, measure="items_cancelled_or_adjusted", kind="cumulative")["value"]
    left = one(items, year=2013, measure="items")["value"]
    assert baseline - cut <= left <= baseline


def test_a_round_does_not_add_bodies_and_bodies_do_not_vanish_between_rounds(bodies):
    levels = bodies[bodies["kind"].isin(["before", "after"])]
    pairs = 0
    for measure, group in levels.groupby("measure"):
        rounds = group.sort_values("year").groupby("year")
        for year, rnd in rounds:
            kinds = dict(zip(rnd["kind"], rnd.index))
            if {"before", "after"} <= set(kinds):
                before, after = bodies.loc[kinds["before"]], bodies.loc[kinds["after"]]
                assert after["value"] <= before["value"] + error(before) + error(after), year
        afters = group[group["kind"] == "after"].set_index("year")
        befores = group[group["kind"] == "before"].set_index("year")
        years = sorted(set(group["year"]))
        for earlier, later in zip(years, years[1:]):
            if earlier not in afters.index or later not in befores.index:
                continue
            end, start = afters.loc[earlier], befores.loc[later]
            tol = error(end) + error(start)
            assert start["value"] >= end["value"] - tol, (measure, earlier, later)
            if measure == "constituent_departments":  # changed only by the NPC, at a round
                assert abs(start["value"] - end["value"]) <= tol, (measure, earlier, later)
            pairs += 1
    assert pairs >= 4


def test_the_1993_working_bodies_are_the_sum_of_their_parts(bodies):
    parts = ["constituent_departments", "directly_affiliated_bodies", "administrative_offices"]
    rows = bodies[(bodies["year"] == 1993) & (bodies["kind"] == "after")].set_index("measure")
    whole = rows.loc["working_bodies"]
    assert abs(rows.loc[parts, "value"].sum() - whole["value"]) <= error(whole)


def test_a_printed_change_disagreeing_with_its_levels_is_marked_uncertain(bodies):
    changes = bodies[(bodies["kind"] == "change") & (bodies["unit"] == "percent")]
    compared = 0
    for _, change in changes.iterrows():
        same = bodies[
            (bodies["event"] == change["event"]) & (bodies["measure"] == change["measure"])
        ]
        before, after = same[same["kind"] == "before"], same[same["kind"] == "after"]
        if before.empty or after.empty:
            continue
        b, a = before.iloc[0], after.iloc[0]
        implied = 100 * (a["value"] - b["value"]) / b["value"]
        agree = abs(implied - change["value"]) <= change["observation_error"]
        assert agree or flag(change["uncertain"]) or flag(a["uncertain"]), change["event"]
        compared += 1
    # 1982: -25 % printed against 51,000 -> 30,000 (-41 %), marked; 1998: -47.5 % against -48.3 %
    assert compared >= 2


def test_two_reports_of_one_observation_agree_unless_marked(record):
    for name, frame in record.items():
        for key, group in frame.groupby(["measure", "date", "kind", "unit"]):
            if len(group) < 2 or group["uncertain"].map(flag).any():
                continue
            tol = group.apply(error, axis=1).sum()
            assert group["value"].max() - group["value"].min() <= tol, (name, key)


def test_values_lie_in_their_unit_range(record):
    for name, frame in record.items():
        share = frame[frame["kind"] == "share"]
        assert (share["unit"] == "percent").all(), name
        assert share["value"].between(0, 100).all(), f"{name}: a share outside 0-100"
        pct_change = frame[(frame["kind"] == "change") & (frame["unit"] == "percent")]
        assert pct_change["value"].between(-100, 100).all(), name
        rate = frame[frame["kind"] == "rate"]
        assert (rate["unit"] == "percent_per_year").all(), name
        assert rate["value"].between(0, 100).all(), name
        counts = frame[frame["kind"].isin(["stock", "before", "after", "flow", "cumulative"])]
        assert (counts["value"] >= 0).all(), f"{name}: a negative count"
        assert (counts["value"] == counts["value"].round()).all(), f"{name}: a fractional count"


def test_parkinsons_rate_is_the_admiralty_growth_spread_over_fourteen_years(record):
    pk = record.get("parkinson.csv")
    if pk is None:
        pytest.skip("parkinson.csv is optional")
    start = one(pk, measure="admiralty_officials", kind="before")
    end = one(pk, measure="admiralty_officials", kind="after")
    rate = one(pk, measure="admiralty_officials_growth")
    growth = 100 * (end["value"] / start["value"] - 1)
    assert growth == pytest.approx(78.45, abs=0.01)
    assert growth / (end["year"] - start["year"]) == pytest.approx(rate["value"], abs=0.05)
