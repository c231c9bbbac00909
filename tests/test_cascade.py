"""M12 the cascade: events are logged by category; the order is read, not imposed."""

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
