"""'Run nearby': devolving items from province and city bureaus to county ones.

A devolved item is handled at the applicant's county, so the trip is shorter (M2 travel). The
work follows it to county bureaus; a share of the posts follows too (resources must follow).
"""

from __future__ import annotations

import numpy as np

from simulation import catalogue as cat
from simulation.government import Government, Touches
from simulation.items import OPEN, first_per_group
from simulation.mechanisms import staff_and_agency_regrowth as organisation

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="host staff items.n items.owner items.status",
    writes="items.level",
)


def devolve(gov: Government, bureaus: np.ndarray, share: float, staff_follow: float) -> np.ndarray:
    """Bureaus in the mask hand `share` of their upper-level open items down to counties."""
    items = gov.items
    rows = np.flatnonzero((items.status[: items.n] == OPEN) & (items.level[: items.n] < cat.COUNTY))
    host = gov.host[items.owner[rows]]
    keep = bureaus[host]
    rows, host = rows[keep], host[keep]
    if len(rows) == 0:
        return rows
    total = np.bincount(host, minlength=gov.n_departments)
    quota = np.ceil(share * total).astype(int)
    chosen = first_per_group(rows, host, quota)
    items.level[chosen] = cat.COUNTY
    moved = np.bincount(gov.host[items.owner[chosen]], minlength=gov.n_departments)
    for bureau in np.flatnonzero(moved):
        posts = gov.staff[bureau] * staff_follow * moved[bureau] / max(total[bureau], 1)
        counties = np.flatnonzero(gov.cover[gov.dept_unit[bureau]])
        receivers = gov.host[gov.dept(gov.dept_domain[bureau], gov.hierarchy[counties, cat.COUNTY])]
        organisation.hand_over(gov, bureau, receivers, posts)
    return chosen
