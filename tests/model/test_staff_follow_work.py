"""Staff follow work where a record shows it (docs/ODD.md, M3 and M6; DESIGN 9.2).

A published power list and a platform that logs every step put a bureau's work on a record the
organisation department reads; where that record shows the work gone, the drive to grow is
frozen, leavers are not replaced, and utilisation comes back up."""

import numpy as np
import pytest

from simulation.mechanisms import workload
from tests.conftest import small_model


def work_seen(name: str, steps: int = 2, **institutions) -> np.ndarray:
    settings = {f"scenario__institutions__{key}": on for key, on in institutions.items()}
    model = small_model(name, steps=steps, **settings)
    model.run()
    gov = model.government
    return gov.work_seen[gov.active & (gov.load > 0)]


@pytest.mark.heavy
def test_only_a_power_list_or_a_platform_puts_work_on_record():
    assert (work_seen("status_quo") == 0).all()
    assert (work_seen("internal_reform") == 0).all()
    listed = work_seen("public_pressure")
    assert listed.mean() > 0.5 and (listed <= 1).all()
    # a platform alone logs only online items and window desks
    both = work_seen("pressure_and_technology", steps=24)
    logged = work_seen("pressure_and_technology", steps=24, public_item_list=False)
    assert 0 < logged.mean() < both.mean()


def utilisation_at_the_end(keep_records: bool) -> float:
    with pytest.MonkeyPatch.context() as patch:
        if not keep_records:
            patch.setattr(workload, "record_work", lambda *args, **kwargs: None)
        df = small_model(
            "public_pressure", steps=120, warmup=12, population__citizens=500,
            population__enterprises=50,
        ).run()  # fmt: skip
    return float(df["staff_utilisation"].iloc[-12:].mean())


@pytest.mark.heavy
def test_under_a_power_list_staff_follow_the_work_that_was_cut():
    """Public pressure cuts items, so work falls; with the list the staff follow it down,
    without any record they stay on self-reports and sit idle."""
    recorded, unrecorded = utilisation_at_the_end(True), utilisation_at_the_end(False)
    assert recorded > unrecorded + 0.1, (recorded, unrecorded)
