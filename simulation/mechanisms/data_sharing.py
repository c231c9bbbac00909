"""M4 Data sharing: bureaus' silos join shared databases only when technology allows it and the
bureau agrees.

A bureau values its information advantage; it opens its silo when the pressure it feels exceeds
its resistance plus that advantage. Coverage therefore grows along the technology adoption curve
and with pressure, never by decree.
"""

from __future__ import annotations

import numpy as np

from simulation import catalogue as cat
from simulation.government import Government, Touches

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(reads="pressure host abolished", writes="shares_data")


def open_silos(
    gov: Government, pressed: np.ndarray, database_ready: np.ndarray, advantage: np.ndarray
) -> np.ndarray:
    """Bureaus in `pressed` whose database exists and whose pressure beats their information advantage."""
    joining = pressed & can_open(gov, database_ready) & (gov.pressure > advantage)
    gov.shares_data |= joining
    return np.flatnonzero(joining)


def can_open(gov: Government, database_ready: np.ndarray) -> np.ndarray:
    """Bureaus whose silo a running database could serve and that do not share it yet."""
    db = np.array([cat.database_of(i) for i in range(len(cat.DOMAINS))])
    return database_ready[db[gov.dept_domain]] & ~gov.shares_data & gov.active


def coverage(gov: Government, database_ready: np.ndarray) -> float:
    """Share of certificate-issuing bureaus whose certificates a database serves."""
    issuers = np.unique(
        [cat.DOMAIN[c] for m in cat.MATTERS for s in m.steps for c in s.certificates]
    )
    at_county = np.isin(gov.dept_domain, issuers) & (gov.dept_level == cat.COUNTY)
    host = gov.host[at_county]
    db = np.array([cat.database_of(i) for i in range(len(cat.DOMAINS))])
    served = gov.shares_data[host] & database_ready[db[gov.dept_domain[at_county]]]
    return float(served.mean()) if len(served) else 0.0
