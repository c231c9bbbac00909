"""M11 Rent-seeking exposure: face-to-face contacts between officials and applicants.

The article's proxy for the room for corruption: every in-person handling is a contact. A window
clerk is one contact per visit; outside the window each item is handled by its own official;
hidden steps (intermediaries, pre-reviews) are contacts by design. Online steps are none.
"""

from __future__ import annotations

import numpy as np

from simulation.government import Touches

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches()


def face_to_face_contacts(
    window_trips: np.ndarray,
    items_elsewhere: np.ndarray,
    hidden: np.ndarray,
    other_trips: np.ndarray,
) -> np.ndarray:
    """Contacts per matter."""
    return (window_trips + items_elsewhere + hidden + other_trips).astype(np.int32)
