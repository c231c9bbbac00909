"""Formalism (形式主义, docs/ODD.md 'Formalism'): paper compliance where real compliance costs more.

A bureau pressed to show results weighs real change against looking changed, by what each costs
it and by the chance of being caught (the yearly chance that the evidence watchers gather brings
it to light, M9):
- **paper cuts**: an item the bureau must cut is cut on paper and kept as a hidden requirement
  when what the hidden form still brings it, hidden_value_share x value - hiding_cost, beats the
  expected penalty, risk x penalty;
- **informal pre-visits**: where the office judges realisation from bureaus' own records and a
  pressed bureau has no real lever left (no window to join, nothing it can put online), it has
  applicants come informally before the counted visit, unless the practice is likely to be seen;
  the repeat trips and certificate returns at its counter stop appearing in its records;
- **reports from records**: what bureaus report leaves out hidden steps and informal visits, so
  reported realisation exceeds what applicants experienced wherever either exists (M2);
- moving the running to staff (one window without shared data) is M3's.
Technology enters only through the mechanisms: data and online filing give real levers (M4,
M10), and logged paths raise the chance that paper compliance is seen (traceability).

Each item's form is its own: items outside the register (restored, added without approval,
hidden) are reviewed from time to time and take the form worth most to their bureau now, or are
withdrawn when every form is expected to cost more than it brings.
"""

from __future__ import annotations

import numpy as np

from simulation.government import Government, Touches
from simulation.items import HIDDEN, OPEN
from simulation.mechanisms.observation import yearly
from simulation.mechanisms.supervision import Exposure
from simulation.parameters import RegrowthParams

# The government state this module reads and writes (simulation/government.py Touches).
STATE = Touches(
    reads="items.n items.value",
    writes="pre_visits items.status items.cuts items.last_cut items.registered items.last_restored",
)


def hidden_worth(value: np.ndarray, risk: np.ndarray, rp: RegrowthParams) -> np.ndarray:
    """What keeping a requirement as a hidden step is expected to bring its bureau in a year."""
    return rp.hidden_value_share * value - rp.hiding_cost - risk * rp.penalty


def open_worth(value: np.ndarray, risk: np.ndarray, rp: RegrowthParams) -> np.ndarray:
    """The same for an open item outside the register."""
    return value - risk * rp.penalty


def cut(
    gov: Government, rows: np.ndarray, exp: Exposure, month: int, rp: RegrowthParams
) -> tuple[np.ndarray, np.ndarray]:
    """Items a bureau must give up: each is cut for real, or on paper when its hidden form is
    worth keeping. Returns (rows cut for real, rows relabelled)."""
    items = gov.items
    risk = yearly(exp.of_items(gov, rows, hidden=True))
    paper = hidden_worth(items.value[rows].astype(float), risk, rp) > 0
    items.cut(rows[~paper], month)
    items.relabel(rows[paper], month)
    return rows[~paper], rows[paper]


def review_forms(
    gov: Government, exp: Exposure, month: int, rng: np.random.Generator, rp: RegrowthParams
) -> dict[str, np.ndarray]:
    """Unregistered items, at the pace bureaus revisit their requirements (`restore_annual`),
    take the form worth most now: open, hidden, or withdrawn. Returns the rows that changed."""
    items = gov.items
    n = items.n
    status = items.status[:n]
    loose = np.flatnonzero(((status == OPEN) & ~items.registered[:n]) | (status == HIDDEN))
    due = loose[rng.random(len(loose)) < rp.restore_annual / 12.0]
    value = items.value[due].astype(float)
    as_open = open_worth(value, yearly(exp.of_items(gov, due, hidden=False)), rp)
    as_hidden = hidden_worth(value, yearly(exp.of_items(gov, due, hidden=True)), rp)
    hide = as_hidden > as_open
    withdraw = np.maximum(as_open, as_hidden) < 0
    reopened = due[~hide & ~withdraw & (status[due] == HIDDEN)]
    hidden = due[hide & ~withdraw & (status[due] == OPEN)]
    withdrawn = due[withdraw]
    items.status[reopened] = OPEN
    items.last_restored[reopened] = month
    items.status[hidden] = HIDDEN
    items.cut(withdrawn, month)
    return {"reopened": reopened, "hidden": hidden, "withdrawn": withdrawn}


def take_up_pre_visits(
    gov: Government,
    pressed: np.ndarray,
    short: np.ndarray,
    real_lever: np.ndarray,
    excess: np.ndarray,
    exp: Exposure,
    penalty: float,
) -> np.ndarray:
    """Bureaus that start informal pre-visits: pressed, short of a target read from their own
    records, with no real lever left, and expecting the penalty of being seen to cost less than
    the pressure it relieves (`excess`, pressure beyond its threshold in units of resistance).
    Returns the bureaus that start."""
    risk = yearly(exp.practice)
    starting = pressed & (short > 0) & ~real_lever & ~gov.pre_visits & (risk * penalty < excess)
    gov.pre_visits |= starting
    return np.flatnonzero(starting)


def drop_seen_practices(gov: Government, exp: Exposure, rng: np.random.Generator) -> np.ndarray:
    """Pre-visit practices that came to light end. Returns the bureaus caught."""
    caught = gov.pre_visits & (rng.random(gov.n_departments) < exp.practice)
    gov.pre_visits &= ~caught
    return np.flatnonzero(caught)
