"""M13 Organisational integration: agencies whose work has moved are ended where a channel sees it.

The article's path: process innovation, then organisational integration. A comprehensive window
takes the reception work of the agencies behind it, shared data the work of issuing and checking
the certificates it replaces, an online process the chain of stamps (M3 counts the work left).
An agency its bureau's remaining work does not need, or every agency of a bureau left with no
items, has lost its reason to exist. Whether it ends depends on who can see that; none of these
channels is an oracle:

- the government's own rounds read every self-report (M7, `staff_and_agency_regrowth.reform_round`);
- an establishment audit that visits a bureau reads its posts and what they do;
- a published power list shows each department's powers, and is reviewed once a year;
- a platform that logs every step shows the work each agency actually does.

The list and the platform see a bureau's empty agencies with the share of its work they put on
record (`work_seen`, M3). Where no channel sees an empty agency, it is kept.
"""

from __future__ import annotations

import numpy as np

from simulation.government import Government, Touches
from simulation.mechanisms import staff_and_agency_regrowth as organisation
from simulation.parameters import Institutions, Parameters

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(reads="work_seen")

REVIEW_MONTHS = 12  # a power list and a platform's logs are reviewed once a year


def seen_by_channels(
    gov: Government, month: int, inst: Institutions, audited: np.ndarray
) -> np.ndarray:
    """Chance, per bureau, that a channel sees its agencies without functions this month."""
    chance = audited.astype(float)
    if (inst.public_item_list or inst.platform) and month > 0 and month % REVIEW_MONTHS == 0:
        chance = np.maximum(chance, gov.work_seen)
    return chance


def review(
    gov: Government,
    month: int,
    inst: Institutions,
    audited: np.ndarray,
    rng: np.random.Generator,
    params: Parameters,
) -> float:
    """End the agencies without functions that a channel sees this month; returns how many."""
    chance = seen_by_channels(gov, month, inst, audited)
    if not chance.any():
        return 0.0
    return organisation.abolish_functionless(gov, params, chance, rng)
