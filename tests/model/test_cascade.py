"""M12 the cascade: events are logged by category; the order is read, not imposed."""

import pandas as pd

from analysis.measures.cascade import event_first_months
from simulation.mechanisms.cascade import Cascade
from tests.conftest import small_model


def test_order_is_read_from_first_months():
    c = Cascade(10)
    c.record(5, "cut", [1, 2, 3])
    c.record(2, "join_window", [4])
    c.record(9, "merge", [5])
    assert c.order() == "process>functional>organisational"
    assert c.first_months() == {"process": 2, "organisational": 9, "functional": 5}


def test_ties_are_shown_as_ties():
    c = Cascade(10)
    c.record(1, "cut", [1])
    c.record(1, "merge", [1])
    assert c.order() == "organisational=functional"


def test_the_typical_bureau_onset_ignores_early_outliers_and_decrees():
    c = Cascade(10)
    c.record(1, "cut", [0], source="bureaus")  # one eager bureau
    c.record(1, "cut", list(range(10)), source="campaign")  # a decree is not a bureau's choice
    c.record(8, "cut", [1, 2, 3, 4], source="bureaus")
    c.record(3, "join_window", [0, 1, 2, 3, 4])
    c.record(4, "join_window", [0, 5])  # bureau 0 again: not a first change
    onsets = c.typical_onsets()
    assert onsets == {"process": 3.0, "organisational": None, "functional": 8.0}
    assert [e[-1] for e in c.events] == [1, 0, 4, 5, 1]


def test_monthly_counts_reach_the_time_series():
    model = small_model("pressure_and_technology", steps=12)
    df = model.run()
    assert (
        df[["cascade_process", "cascade_organisational", "cascade_functional"]].to_numpy().sum() > 0
    )
    events = model.cascade.table()
    assert set(events["category"]) <= {"process", "organisational", "functional"}


def test_every_logged_change_is_a_row_of_the_event_table_the_analysis_reads():
    """events.csv: one row per logged change, with its month, kind, bureaus and source; the
    analysis reads the typical bureau's onsets from it, and a run without a change still writes
    the columns."""
    c = Cascade(10)
    c.record(2, "join_window", [0, 1, 2])
    c.record(3, "cut", list(range(10)), source="campaign")
    c.record(5, "merge", [3, 4])
    c.record(6, "join_window", [3])
    table = pd.DataFrame(c.table())
    rows = list(table[["month", "kind", "count", "source", "new_bureaus"]].itertuples(index=False))
    assert [tuple(r) for r in rows] == [
        (2, "join_window", 3, "bureaus", 3),
        (3, "cut", 10, "campaign", 0),
        (5, "merge", 2, "bureaus", 2),
        (6, "join_window", 1, "bureaus", 1),
    ]
    assert list(table["category"]) == ["process", "functional", "organisational", "process"]
    assert event_first_months(table) == {"process": 2, "organisational": 5, "functional": None}
    empty = pd.DataFrame(Cascade(10).table())
    assert len(empty) == 0 and list(empty.columns) == list(table.columns)


def test_the_launch_month_counts_and_the_warm_up_does_not():
    """Month 1 is the launch: changes then are the cascade's first; the warm-up's (month 0 and
    before) are not, whether read from every change or from the typical bureau."""
    c = Cascade(10)
    c.record(-5, "cut", [0, 1])  # warm-up
    c.record(0, "merge", [2])
    c.start_counting_firsts()
    c.record(1, "merge", [3, 4, 5])
    c.record(4, "cut", [6])
    c.record(6, "merge", [6])
    assert c.first_months() == {"process": None, "organisational": 1, "functional": 4}
    assert c.typical_onsets() == {"process": None, "organisational": 1.0, "functional": 4.0}


def test_a_month_without_a_change_counts_none_and_each_month_starts_afresh():
    c = Cascade(10)
    c.record(1, "cut", [1, 2])
    c.record(1, "cut", [3])
    c.record(1, "join_window", [])  # no bureau: nothing logged
    assert c.close_month() == {
        "cascade_process": 0,
        "cascade_organisational": 0,
        "cascade_functional": 3,
    }
    assert c.close_month() == {
        "cascade_process": 0,
        "cascade_organisational": 0,
        "cascade_functional": 0,
    }


def test_a_bureaus_first_change_in_the_warm_up_is_counted_once():
    """Defect 7 of docs/testing.md: warm-up months are negative, so no month can mark "no first
    change yet"; a bureau that changes again later in the warm-up is not a new bureau."""
    c = Cascade(10)
    c.record(-5, "cut", [0, 1])
    c.record(-3, "cut", [0, 2])  # bureau 0 again
    c.record(-1, "cut", [0, 1, 2])  # all three again
    assert [e[-1] for e in c.events] == [2, 1, 0]
    c.start_counting_firsts()
    c.record(2, "cut", [0])  # the launch restarts the count
    assert c.events[-1][-1] == 1 and c.typical_onsets()["functional"] == 2.0
