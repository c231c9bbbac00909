"""M11 rent-seeking exposure: face-to-face contacts fall with the window and online service."""

import numpy as np
import pytest

from simulation.mechanisms.rent_seeking import face_to_face_contacts
from tests.conftest import small_model


def test_every_kind_of_in_person_handling_adds_contacts():
    """A window visit, an item handled by its own official, a hidden step and any other trip
    each bring the applicant face to face with an official: more of any, more contacts."""
    base = [np.array([1, 2, 0]), np.array([3, 0, 1]), np.array([0, 1, 2]), np.array([2, 2, 0])]
    contacts = face_to_face_contacts(*base)
    assert (contacts >= 0).all()
    for kind in range(4):
        more = [a.copy() for a in base]
        more[kind] += 1
        assert (face_to_face_contacts(*more) == contacts + 1).all()
    nothing = [np.zeros(3, int)] * 4
    assert (face_to_face_contacts(*nothing) == 0).all()  # all online: no contact


@pytest.mark.heavy
def test_contacts_fall_under_run_at_most_once():
    status_quo = small_model("status_quo", steps=36, population__citizens=2000).run()
    reform = small_model("pressure_and_technology", steps=36, population__citizens=2000).run()
    assert (
        reform["face_to_face"].iloc[-12:].mean()
        < 0.5 * status_quo["face_to_face"].iloc[-12:].mean()
    )
