"""M11 rent-seeking exposure: face-to-face contacts fall with the window and online service."""

from tests.conftest import small_model


def test_contacts_fall_under_run_at_most_once():
    status_quo = small_model("status_quo", steps=36, population__citizens=2000).run()
    reform = small_model("pressure_and_technology", steps=36, population__citizens=2000).run()
    assert (
        reform["face_to_face"].iloc[-12:].mean()
        < 0.5 * status_quo["face_to_face"].iloc[-12:].mean()
    )
