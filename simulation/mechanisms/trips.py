"""M2 Trips: how many times an applicant must go in person to get one matter done.

Without a window the applicant visits every bureau of the chain, and fetches each paper
certificate from its issuer (a trip there and a trip back). A comprehensive window takes one
submission and its back office chases certificates instead. Online items cost no trip to an
applicant able to use them; hidden items always do. A random omission, likelier with more
materials, costs a repeat trip unless 'accept now, complete later' covers it.

Where a bureau has applicants come informally before the counted visit (formalism), a repeat
trip or a return with a fetched certificate at its counter becomes an informal pre-visit: the
applicant still makes it, but it is not counted in `trips` and not in the bureau's records.
Bureaus' records also leave out the trips to hidden steps, so realisation as recorded (what
bureaus report) can exceed realisation as applicants experience it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.chains import ChainState
from simulation.government import Touches
from simulation.mechanisms.demand import Needs
from simulation.mechanisms.rent_seeking import face_to_face_contacts
from simulation.parameters import ApplicantParams, Parameters

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches()

CERTIFICATE_TRIPS_OFFLINE = 2  # to the issuer and back to the bureau that asked
CERTIFICATE_TRIPS_ONLINE = 1  # fetch the paper, then upload it
FIRM_ABILITY = 1.0  # firms have staff or agents who can file online


@dataclass
class Outcomes:
    """What each matter of the month cost its applicant."""

    trips: np.ndarray  # counted physical trips (informal pre-visits apart)
    informal: np.ndarray  # informal pre-visits, not counted in `trips`
    recorded: np.ndarray  # trips in the bureaus' own records (no hidden steps, no informal visits)
    face_to_face: np.ndarray  # contacts with officials (M11)
    days: np.ndarray  # days to completion
    travel_hours: np.ndarray  # hours travelling
    waiting_days: np.ndarray  # queue waiting along the chain

    @property
    def physical(self) -> np.ndarray:
        """Every time the applicant went in person."""
        return self.trips + self.informal

    @property
    def realised(self) -> np.ndarray:
        """Done in at most one trip, as the applicant experienced it: 'run at most once'."""
        return self.physical <= 1

    @property
    def realised_recorded(self) -> np.ndarray:
        """Done in at most one trip by the bureaus' own records (what they report)."""
        return self.recorded <= 1


def uses_platform(
    ability: np.ndarray, technology: float, platform: bool, ap: ApplicantParams
) -> np.ndarray:
    """Applicants able to use online service: ability above a bar that technology lowers (the
    one statement of the rule: the model's matters and an agent's journey both read it)."""
    if not platform:
        return np.zeros(len(ability), bool)
    bar = ap.online_threshold_at_zero_tech * (1.0 - ap.online_bar_tech_cut * technology)
    return ability >= bar


def count_trips(
    needs: Needs, chains: ChainState, online: np.ndarray, accept_later: bool, params: Parameters
) -> Outcomes:
    """Trips, contacts and days for every matter in `needs` (vectorised over matters)."""
    ap, gp = params.applicants, params.government
    k, m = needs.county, needs.matter
    at_window, elsewhere, per_cert = _fixed_trips(chains, k, m, online)
    # stochastic rounding: on average `certificate_missing_share` of the certificates must be fetched
    carried = (
        chains.certificates["outside"][k, m] * ap.certificate_missing_share + needs.draws[:, 4]
    )
    fetched = np.floor(carried).astype(int)
    certificate_trips = per_cert * fetched
    hidden = chains.hidden[k, m]
    trips = (at_window > 0) + elsewhere + hidden + certificate_trips

    materials = chains.materials[k, m]
    p_omit = 1.0 - (1.0 - ap.omission_per_material) ** materials
    omitted = needs.draws[:, 0] < p_omit
    excused = accept_later & (needs.draws[:, 1] < ap.nonessential_share)
    repeat = omitted & ~excused & (trips > 0)
    trips = trips + repeat
    # at a counter that takes informal pre-visits, the repeat trip and the returns with fetched
    # certificates (offline: there and back) happen off the books
    returns = np.where(online, 0, fetched)
    informal = (repeat + returns) * (needs.draws[:, 5] < chains.pre_visit_share[k, m])
    trips = trips - informal

    travel = (at_window > 0) * chains.travel_hours["window"][k, m] + np.where(
        elsewhere > 0, chains.travel_hours["outside"][k, m], 0.0
    )
    travel = travel + (hidden + certificate_trips + repeat) * gp.travel_hours[2]
    waiting = chains.waiting_days[k, m]
    items = chains.open_items.sum(axis=(2, 3))[k, m]
    days = (
        items * gp.item_processing_days * np.where(at_window > 0, gp.window_parallel_factor, 1.0)
        + waiting
        + (trips + informal) * gp.days_per_trip
        + chains.certificates["window"][k, m] * gp.chase_days_per_certificate
    )
    contacts = face_to_face_contacts(
        window_trips=(at_window > 0).astype(int),
        items_elsewhere=np.where(
            online, chains.offline_items_outside_window[k, m], chains.items_outside_window[k, m]
        ),
        hidden=hidden,
        other_trips=certificate_trips + repeat,
    )
    return Outcomes(
        trips=trips.astype(np.int32),
        informal=informal.astype(np.int32),
        recorded=(trips - hidden).astype(np.int32),
        face_to_face=contacts,
        days=days,
        travel_hours=travel,
        waiting_days=waiting,
    )


def _fixed_trips(
    chains: ChainState, k: np.ndarray, m: np.ndarray | int, online: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Visits at the window, visits elsewhere, and trips per fetched certificate, of a path."""
    v = chains.visits
    at_window = np.where(online, v["offline_window"][k, m], v["window"][k, m])
    elsewhere = np.where(online, v["offline_outside"][k, m], v["outside"][k, m])
    per_cert = np.where(online, CERTIFICATE_TRIPS_ONLINE, CERTIFICATE_TRIPS_OFFLINE)
    return at_window, elsewhere, per_cert


def trip_chances(
    chains: ChainState,
    county: np.ndarray,
    matter: np.ndarray | int,
    online: np.ndarray,
    accept_later: bool,
    ap: ApplicantParams,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The physical trips a matter of type `matter` can cost an applicant of `county` (arrays
    that broadcast together), each with its chance: `count_trips`'s rule in expectation over its
    draws (whether one more certificate is missing, whether something was omitted), with no
    draw made."""
    at_window, elsewhere, per_cert = _fixed_trips(chains, county, matter, online)
    fixed = (at_window > 0) + elsewhere + chains.hidden[county, matter]
    carried = chains.certificates["outside"][county, matter] * ap.certificate_missing_share
    fetched, one_more = np.floor(carried), carried - np.floor(carried)
    p_omit = 1.0 - (1.0 - ap.omission_per_material) ** chains.materials[county, matter]
    p_repeat = p_omit * (1.0 - ap.nonessential_share if accept_later else 1.0)
    chances = []
    for extra, p_cert in ((0, 1.0 - one_more), (1, one_more)):
        trips = fixed + per_cert * (fetched + extra)
        for repeat, p_rep in ((0, 1.0 - p_repeat), (1, p_repeat)):
            chances.append((trips + repeat * (trips > 0), p_cert * p_rep))
    return chances


def chance_let_down(
    chains: ChainState,
    county: np.ndarray,
    matter: np.ndarray | int,
    online: np.ndarray,
    expectation: np.ndarray,
    accept_later: bool,
    ap: ApplicantParams,
) -> np.ndarray:
    """Chance that a matter costs an applicant more physical trips than `expectation`."""
    outcomes = trip_chances(chains, county, matter, online, accept_later, ap)
    return sum(p * (trips > expectation) for trips, p in outcomes)


class CompletionQueue:
    """Matters in progress: each finishes in the month its days to completion run out."""

    def __init__(self, horizon_months: int = 24):
        self.due = np.zeros(horizon_months, np.int64)  # due[i]: matters finishing i months from now
        self.started = 0
        self.done = 0

    def step(self, days: np.ndarray) -> int:
        """Queue this month's matters and return how many finish this month."""
        months = np.minimum((days // 30).astype(int), len(self.due) - 1)
        self.due += np.bincount(months, minlength=len(self.due))
        finished = int(self.due[0])
        self.due = np.roll(self.due, -1)
        self.due[-1] = 0
        self.started += len(days)
        self.done += finished
        return finished

    @property
    def pending(self) -> int:
        return self.started - self.done
