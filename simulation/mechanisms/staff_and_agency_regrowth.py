"""M6 Staff and agency regrowth, inside the institutions that bound them (docs/ODD.md, M6).

Posts. Every bureau has an authorised establishment (编制: the posts of its "three
determinations" plan, 三定). Staff want to grow with expected workload above capacity (hiring
plans on expected demand smoothed over months, never on one month's noise, so no result depends
on how many applicants are simulated) and with a baseline empire-building drift (Parkinson).
Growth fills the establishment first; beyond it the organisation department approves part of
what is asked (`quota_approval`), less while a reform round holds its attention; what it
refuses is hired off-quota (编外人员), paid from the bureau's own fee income, and left out of
self-reports. Reform rounds (M7) cut establishments and on-quota posts; off-quota staff escape
them unless an establishment audit, a channel that sees staffing, finds them.

Agencies. They split when their staff get large (and split faster when overloaded), a bureau
hosting merged ones gives one back first (a merger undone), and new policy fields found new ones
(births). At a reform round, agencies left without functions (more agencies than the bureau's
expected work needs, or a bureau whose every approval item is gone) are abolished (deaths).
"""

from __future__ import annotations

import numpy as np

from simulation import catalogue as cat
from simulation.government import Government, Touches
from simulation.mechanisms.workload import overload
from simulation.parameters import GovernmentParams, Parameters, StaffingParams

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="fees load_trend work_seen items.n items.owner items.status",
    writes="staff quota off_quota registry abolished host backlog in_window shares_data pre_visits"
    " functions_at_merge",
)


def staff_floor(gov: Government, gp: GovernmentParams) -> np.ndarray:
    return gov.agencies * gp.min_staff_per_agency


def establish(gov: Government, need: np.ndarray, gp: GovernmentParams) -> None:
    """At set-up: posts sized to the initial need, never below the floor, all on the establishment."""
    gov.staff = np.maximum(need, staff_floor(gov, gp))
    gov.quota = gov.staff.copy()  # the establishment starts fully staffed


def hand_over(gov: Government, bureau: int, receivers: np.ndarray, posts: float) -> None:
    """`posts` of `bureau`'s staff go to `receivers` in equal shares (devolution: the posts
    follow the work), so staff change hands only here in this module."""
    gov.staff[bureau] -= posts
    np.add.at(gov.staff, receivers, posts / len(receivers))


def step(
    gov: Government,
    attention: float,
    audit_risk: float,
    rng: np.random.Generator,
    params: Parameters,
    payroll_cap: bool = False,
) -> dict[str, list[int]]:
    """Hire, split agencies, found new ones. Returns the bureaus that split or grew agencies.

    `audit_risk` is the yearly chance that an establishment audit reads a bureau's payroll;
    under a `payroll_cap` no post is added, so new agencies are staffed from existing posts."""
    sp, gp = params.staffing, params.government
    hire(gov, attention, audit_risk, params, payroll_cap)
    new_posts = 0.0 if payroll_cap else sp.new_agency_staff
    p_split = split_chance(gov, params)
    splitting = np.flatnonzero(gov.active & (rng.random(gov.n_departments) < p_split))
    unmerged = [b for b in splitting if split(gov, b, new_posts)]
    births = rng.poisson(sp.new_field_agencies_annual / 12.0)
    founded = found_agencies(gov, births, rng, new_posts)
    floor = staff_floor(gov, gp)
    gov.staff = np.where(gov.active, np.maximum(gov.staff, floor), 0.0)
    return {"split": list(splitting), "unmerged": unmerged, "founded": founded}


def split_chance(gov: Government, params: Parameters) -> np.ndarray:
    """Monthly chance that a bureau splits an agency off, through two channels. Work: a function
    whose work outgrows one agency (work per agency, at the planned utilisation, against the
    reference size). Empire building: staff per agency, weighted by self-interest, asked of the
    organisation department, which refuses it where the work is on record (`work_seen`)."""
    sp = params.staffing
    agencies = np.maximum(gov.agencies, 1.0)
    need = needed_posts(gov.load_trend, params) / sp.planned_utilisation
    work = need / agencies / sp.split_reference_staff
    empire = gov.self_interest * gov.staff / agencies / sp.split_reference_staff
    drive = sp.empire_split_share * empire * (1.0 - gov.work_seen)
    return sp.split_annual / 12.0 * ((1.0 - sp.empire_split_share) * work + drive)


def hire(
    gov: Government,
    attention: float,
    audit_risk: float,
    params: Parameters,
    payroll_cap: bool = False,
) -> None:
    """One month of staff: some leave; the bureau replaces and adds staff for its expected work
    and for its drive to grow, as far as the work the organisation department can see allows;
    then into the establishment, by approval beyond it, or off-quota (less of it where an audit
    may come: what it finds is let go)."""
    sp, gp = params.staffing, params.government
    drive = gov.self_interest * (sp.attrition_annual + sp.parkinson_annual) / 12.0 * gov.staff
    leavers = leave(gov, sp.attrition_annual / 12.0)
    need = needed_posts(gov.load_trend, params)
    want = allowed(gov, drive, need, sp) + sp.overload_hiring * np.maximum(0.0, need - gov.staff)
    if payroll_cap:  # publicly paid staff, fee-paid ones too, only replace those who left
        want = np.minimum(want, leavers)
    want = want * gov.active
    room = np.maximum(0.0, gov.quota - on_quota(gov))
    inside = np.minimum(want, room)
    approval = 0.0 if payroll_cap else sp.quota_approval
    approved = (want - inside) * approval * (1.0 - attention)
    gov.quota += approved
    affordable = np.maximum(0.0, gov.fees / gp.post_cost - gov.off_quota)
    outside = np.minimum(want - inside - approved, affordable) * (1.0 - audit_risk)
    gov.staff += inside + approved + outside
    gov.off_quota += outside


def leave(gov: Government, share: float) -> np.ndarray:
    """Retirement and transfers out: the same share of on- and off-quota staff leave (their posts
    stay, vacant). Returns the leavers, per bureau."""
    share = share * gov.active  # an abolished bureau has nobody left to leave
    leavers = share * gov.staff
    gov.staff -= leavers
    gov.off_quota -= share * gov.off_quota
    return leavers


def allowed(gov: Government, ask: np.ndarray, need: np.ndarray, sp: StaffingParams) -> np.ndarray:
    """The part of the drive to grow's `ask` (replacing leavers and adding Parkinson's drift,
    weighted by the bureau's self-interest) that its work justifies. Where the work is on a
    record (`work_seen`), the organisation department allows posts only up to what that work
    needs at the planned utilisation: where work has gone, posts are frozen. The rest of the ask
    rests on the bureau's own reports, which always justify it."""
    justified = np.maximum(0.0, need / sp.planned_utilisation - gov.staff)
    return (1.0 - gov.work_seen) * ask + gov.work_seen * np.minimum(ask, justified)


def on_quota(gov: Government) -> np.ndarray:
    """Staff in authorised posts (what self-reports show)."""
    return gov.staff - gov.off_quota


def reform_round(gov: Government, cut_share: float, params: Parameters) -> dict[str, float]:
    """A round of "three determinations": on-quota posts cut, establishments reset to what is
    left, agencies without functions abolished. Off-quota staff are not in the reports it reads."""
    before = gov.staff.sum()
    kept = np.maximum(staff_floor(gov, params.government), on_quota(gov) * (1.0 - cut_share))
    gov.staff = np.where(gov.active, kept + gov.off_quota, 0.0)
    gov.quota = np.where(gov.active, kept, 0.0)
    abolished = abolish_functionless(gov, params)
    return {"staff_cut": float(before - gov.staff.sum()), "abolished": abolished}


def abolish_functionless(
    gov: Government,
    params: Parameters,
    seen: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> float:
    """Agencies left without functions are abolished where a channel sees them: those beyond
    what a bureau's expected work needs, and every agency of a bureau that once held approval
    items and holds none now (and hosts no merged bureau). A round reads every report and sees
    them all (`seen` None); otherwise each is seen with its bureau's chance `seen`, drawn from
    `rng`. Their staff are reassigned within the unit's establishment. Returns the number of
    agencies abolished."""
    needed = needed_agencies(gov.load_trend, params)
    surplus = np.where(gov.active, np.maximum(0.0, gov.agencies - needed), 0.0)
    empty = gov.active & gov.had_items & (gov.live_items() == 0) & ~hosts_others(gov)
    if seen is not None:
        surplus = rng.binomial(surplus.astype(int), seen).astype(float)
        empty &= rng.random(gov.n_departments) < seen
        surplus[empty] = 0.0  # the whole bureau goes below
    for bureau in np.flatnonzero(surplus):
        gov.registry.end(bureau, int(surplus[bureau]), "abolished")
    count = float(surplus.sum() + gov.agencies[empty].sum())
    for bureau in np.flatnonzero(empty):
        gov.registry.end(bureau, int(gov.agencies[bureau]), "abolished")
    gov.abolished |= empty
    gov.staff[empty] = gov.quota[empty] = gov.off_quota[empty] = 0.0
    return count


def needed_agencies(load: np.ndarray, params: Parameters) -> np.ndarray:
    """Agencies a bureau's work needs: one, and one more for every reference-sized agency's
    worth of work (staff-hours a month at full productivity)."""
    need = needed_posts(load, params)
    return np.maximum(1.0, np.ceil(need / params.staffing.split_reference_staff))


def needed_posts(load: np.ndarray, params: Parameters) -> np.ndarray:
    """Posts a load (staff-hours a month) needs at full productivity."""
    return load / params.government.productivity_hours


def hosts_others(gov: Government) -> np.ndarray:
    guests = gov.host != np.arange(gov.n_departments)
    return np.bincount(gov.host[guests], minlength=gov.n_departments) > 0


def audit(gov: Government, audited: np.ndarray) -> np.ndarray:
    """An establishment audit reads the payroll of the bureaus it visits: their off-quota staff
    are found and let go. Returns the staff found, per bureau."""
    found = np.where(audited, gov.off_quota, 0.0)
    gov.staff -= found
    gov.off_quota -= found
    return found


def split(gov: Government, bureau: int, new_posts: float) -> bool:
    """Split one agency off `bureau`. A merger is undone (True) only for a reason one can name:
    the host is overloaded, or a guest's functions grew back (it holds more live items than when
    it merged). The guest takes the posts of one agency among those the two keep: a host left
    with one agency after merging a one-agency guest keeps half, not none."""
    guests = reasons_to_unmerge(gov, bureau)
    if len(guests):
        guest = guests[0]
        gov.host[guest] = guest
        if gov.agencies[bureau] > 1:  # a host of one agency keeps it
            gov.registry.end(bureau, 1, "split back")
        gov.registry.found(guest, "split back")
        share = 1.0 / (gov.agencies[bureau] + 1.0)
        for posts in (gov.staff, gov.quota, gov.off_quota):
            moved = posts[bureau] * share
            posts[bureau] -= moved
            posts[guest] = moved
        gov.in_window[guest] = gov.in_window[bureau]
        gov.shares_data[guest] = gov.shares_data[bureau]
        gov.pre_visits[guest] = gov.pre_visits[bureau]
        return True
    gov.registry.found(bureau, "split")
    gov.staff[bureau] += new_posts
    gov.quota[bureau] += new_posts  # a new agency comes with posts (none under a payroll cap)
    return False


def reasons_to_unmerge(gov: Government, bureau: int) -> np.ndarray:
    """The guests of `bureau` a split would give back: all of them if it is overloaded, else
    those whose functions grew back since they merged."""
    guests = np.flatnonzero((gov.host == bureau) & (np.arange(gov.n_departments) != bureau))
    if len(guests) == 0 or overload(gov)[bureau] > 0:
        return guests
    return guests[gov.live_items()[guests] > gov.functions_at_merge[guests]]


def found_agencies(
    gov: Government, count: int, rng: np.random.Generator, posts: float
) -> list[int]:
    """New agencies for new policy fields, placed in province and city bureaus."""
    upper = np.flatnonzero(gov.active & (gov.dept_level < cat.COUNTY))
    chosen = list(rng.choice(upper, size=min(count, len(upper)), replace=False)) if count else []
    for bureau in chosen:
        gov.registry.found(bureau, "new field")
        gov.staff[bureau] += posts
        gov.quota[bureau] += posts
    return chosen


def mergeable(gov: Government) -> np.ndarray:
    """Active bureaus whose domain has a big-department host that is itself active at the same unit."""
    host_domain = np.array([cat.DOMAIN.get(cat.MERGE_HOST.get(d, ""), -1) for d in cat.DOMAINS])
    target = host_domain[gov.dept_domain]
    has = target >= 0
    host = np.where(has, gov.dept(np.maximum(target, 0), gov.dept_unit), 0)
    return gov.active & has & gov.active[host] & (host != np.arange(gov.n_departments))


def merge(gov: Government, bureaus: np.ndarray) -> list[int]:
    """Big-department reform: each bureau joins its host (staff, agencies and guests move with it)."""
    host_domain = np.array([cat.DOMAIN.get(cat.MERGE_HOST.get(d, ""), -1) for d in cat.DOMAINS])
    merged = []
    for bureau in bureaus:
        if not mergeable(gov)[bureau]:
            continue
        host = gov.dept(host_domain[gov.dept_domain[bureau]], gov.dept_unit[bureau])
        gov.host[gov.host == bureau] = host
        gov.functions_at_merge[bureau] = gov.live_items()[bureau]
        for posts in (gov.staff, gov.quota, gov.off_quota, gov.backlog):
            posts[host] += posts[bureau]
            posts[bureau] = 0.0
        gov.registry.end(bureau, 1, "merged")  # one agency fewer: the guest's youngest
        gov.registry.move(bureau, host)  # its other agencies go on inside the host
        # an open silo, a window desk or a practice stays inside the merged bureau
        gov.shares_data[host] |= gov.shares_data[bureau]
        gov.in_window[host] |= gov.in_window[bureau]
        gov.pre_visits[host] |= gov.pre_visits[bureau]
        merged.append(int(bureau))
    return merged
