"""M12 the cascade: events are logged by category; the order is read, not imposed."""

from simulation.mechanisms.cascade import Cascade
from tests.conftest import small_model


def test_order_is_read_from_first_months():
    c = Cascade()
    c.record(5, "cut", 3)
    c.record(2, "join_window", 1)
    c.record(9, "merge", 1)
    assert c.order() == "process>functional>organisational"
    assert c.first_months() == {"process": 2, "organisational": 9, "functional": 5}


def test_ties_are_shown_as_ties():
    c = Cascade()
    c.record(1, "cut", 1)
    c.record(1, "merge", 1)
    assert c.order() == "organisational=functional"


def test_monthly_counts_reach_the_time_series():
    model = small_model("pressure_and_technology", steps=12)
    df = model.run()
    assert (
        df[["cascade_process", "cascade_organisational", "cascade_functional"]].to_numpy().sum() > 0
    )
    events = model.cascade.table()
    assert set(events["category"]) <= {"process", "organisational", "functional"}
