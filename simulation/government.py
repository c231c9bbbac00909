"""The government: levels, bureaus and their approval items, kept as arrays (Starsim style).

Department agents (agents.py) are views on one row of these arrays, so AgentSet queries and the
dashboard see every bureau while the monthly mechanisms update all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from simulation import catalogue as cat
from simulation.agencies import Agencies
from simulation.items import CUT, INITIAL, ItemTable
from simulation.parameters import DepartmentParams, GovernmentParams, Parameters

D = len(cat.DOMAINS)
M = len(cat.MATTERS)

# Structure built once with the government: any module may read it, none writes it afterwards.
FIXED = frozenset(
    ("params", "n_counties", "n_units", "unit_level", "unit_parent", "hierarchy", "cover")
    + ("n_departments", "dept_unit", "dept_domain", "dept_level", "self_interest")
    + ("items", "had_items", "dependencies", "chains")
)

ADD = "items.add"  # appending item rows (every column of the new rows)

# Fields more than one module writes, and why (docs/ODD.md, section 3, "Who writes what").
# Every other field has one writer.
_CARRIED = "set by a bureau's response (M9, M4, formalism); a merger or unmerger (M6) carries it"
_ITEM_FATE = "an item is cut where it comes to light (M9) and where it is given up (formalism)"
SHARED = {
    "backlog": "M3 queues the month's work; a merger (M6) moves the merged bureau's queue to its host",
    "in_window": _CARRIED,
    "shares_data": _CARRIED,
    "pre_visits": _CARRIED,
    "items.status": _ITEM_FATE + ", and comes back or changes form in M5 and its reviews",
    "items.cuts": _ITEM_FATE,
    "items.last_cut": _ITEM_FATE,
    "items.registered": "an item leaves the register when cut on paper (formalism) or restored (M5)",
    "items.last_restored": "a cut item comes back (M5), a hidden one is reopened on review (formalism)",
}


@dataclass(frozen=True, init=False)
class Touches:
    """The government state a module reads and writes, as names separated by spaces: Government
    fields, the item table's columns as `items.<column>` (`items.n` its row count), and ADD for
    appending rows. The FIXED structure is read freely, and a field a module writes it may read.
    tests/model/test_state_declared.py runs the model and checks every module keeps to what it
    declares, and that no field has two writers unless SHARED says why."""

    reads: frozenset[str]
    writes: frozenset[str]

    def __init__(self, reads: str = "", writes: str = "") -> None:
        object.__setattr__(self, "reads", frozenset(reads.split()))
        object.__setattr__(self, "writes", frozenset(writes.split()))


class Government:
    """Units (province, cities, counties), one bureau per domain per unit, and their items."""

    def __init__(self, params: Parameters, rng: np.random.Generator):
        gp = params.government
        self.params = params
        cities, per_city = gp.cities, gp.counties_per_city
        self._build_units(cities, per_city)
        self._build_departments(params.departments, rng)
        self.items = ItemTable(capacity=self.n_departments * 8)
        self._build_items(gp, rng)
        self.had_items = (
            np.bincount(self.items.owner[: self.items.n], minlength=self.n_departments) > 0
        )
        self.dependencies = cat.department_dependencies()
        self.chains = {m.name: m.chain() for m in cat.MATTERS}

    # structure --------------------------------------------------------------------------------
    def _build_units(self, cities: int, per_city: int) -> None:
        self.n_counties = cities * per_city
        self.n_units = 1 + cities + self.n_counties
        self.unit_level = np.array(
            [cat.PROVINCE] + [cat.CITY] * cities + [cat.COUNTY] * self.n_counties
        )
        county_city = 1 + np.repeat(np.arange(cities), per_city)
        self.unit_parent = np.concatenate([[-1], np.zeros(cities, int), county_city])
        county_unit = 1 + cities + np.arange(self.n_counties)
        # hierarchy[k, level]: the unit at that level that county k belongs to
        self.hierarchy = np.stack(
            [np.zeros(self.n_counties, int), county_city, county_unit], axis=1
        )
        # cover[u, k]: unit u's items apply to county k
        self.cover = np.zeros((self.n_units, self.n_counties), bool)
        for level in range(3):
            self.cover[self.hierarchy[:, level], np.arange(self.n_counties)] = True

    def _build_departments(self, dp: DepartmentParams, rng: np.random.Generator) -> None:
        n = self.n_departments = self.n_units * D
        self.dept_unit = np.repeat(np.arange(self.n_units), D)
        self.dept_domain = np.tile(np.arange(D), self.n_units)
        self.dept_level = self.unit_level[self.dept_unit]
        sigma = dp.self_interest_sd
        self.self_interest = dp.self_interest_mean * rng.lognormal(-(sigma**2) / 2, sigma, n)
        self.host = np.arange(
            n
        )  # the bureau a merged bureau now works inside (itself if not merged)
        # every agency's life and the functions (matters) it holds; `agencies` counts the live ones
        self.registry = Agencies(n, -self.params.warmup, tuple(m.name for m in cat.MATTERS))
        self.staff = np.zeros(n)  # all staff, on and off the establishment
        self.quota = np.zeros(n)  # authorised establishment (编制): posts of its 三定 plan
        self.off_quota = np.zeros(n)  # staff beyond it (编外人员), paid from fees, not reported
        self.abolished = np.zeros(n, bool)  # abolished for want of functions (M6)
        self.functions_at_merge = np.zeros(n)  # a merged bureau's live items when it merged
        self.backlog = np.zeros(n)  # represented staff-hours of work waiting
        self.load = np.zeros(n)  # staff-hours of work arriving this month
        self.load_trend = np.zeros(n)  # smoothed load that bureaus plan staffing on
        self.work_seen = np.zeros(n)  # share of its load on a record outsiders read (M3)
        self.capacity = np.ones(n)
        self.budget = np.zeros(n)  # monthly budget: posts' appropriation plus fees
        self.fees = np.zeros(n)  # monthly fee income from the items it handles
        self.waiting_days = np.zeros(n)
        self.in_window = np.zeros(n, bool)
        self.shares_data = np.zeros(n, bool)
        self.pre_visits = np.zeros(
            n, bool
        )  # has applicants come informally before the counted visit
        self.pressure = np.zeros(n)
        self.complaints = np.zeros(n)  # complaints attributed this month
        self.matters_handled = np.zeros(n)  # simulated matters that passed this bureau this month
        self.exposed = np.zeros(n)  # items exposed this month
        self.bottom_ranked = np.zeros(n, bool)

    def dept(self, domain: np.ndarray | int, unit: np.ndarray | int) -> np.ndarray | int:
        """Index of the bureau of `domain` at `unit`."""
        return unit * D + domain

    def _build_items(self, gp: GovernmentParams, rng: np.random.Generator) -> None:
        owners, matters, levels, certs = [], [], [], []
        for mi, matter in enumerate(cat.MATTERS):
            for step in matter.steps:
                domain = cat.DOMAIN[step.domain]
                issuers = [cat.DOMAIN[c] for c in step.certificates]
                for unit in np.flatnonzero(self.unit_level == step.level):
                    count = max(step.items + rng.poisson(gp.item_spread), len(issuers), 1)
                    owners += [self.dept(domain, unit)] * count
                    matters += [mi] * count
                    levels += [step.level] * count
                    certs += issuers + [-1] * (count - len(issuers))
        n = len(owners)
        self.items.add(
            owner=np.array(owners),
            matter=np.array(matters),
            level=np.array(levels),
            materials=item_materials(n, gp, rng),
            certificate=np.array(certs),
            value=item_values(n, gp, rng),
            origin=np.full(n, INITIAL),
            registered=np.ones(n, bool),  # the items in force when the model starts are approved
            created=np.zeros(n, int),
        )

    # views --------------------------------------------------------------------------------------
    @property
    def agencies(self) -> np.ndarray:
        """Live agencies doing each bureau's functions (read-only: the registry's verbs change
        it, so every change is a life that begins, ends or moves)."""
        return self.registry.count

    @property
    def active(self) -> np.ndarray:
        """Bureaus that still exist as separate bodies (not merged into another, not abolished)."""
        return (self.host == np.arange(self.n_departments)) & ~self.abolished

    def live_items(self) -> np.ndarray:
        """Items (open or hidden) each bureau holds, merged bureaus' counted in their host."""
        rows = np.flatnonzero(self.items.status[: self.items.n] != CUT)
        return np.bincount(self.host[self.items.owner[rows]], minlength=self.n_departments)

    def function_cells(self) -> np.ndarray:
        """(bureaus x matters, flat): where a bureau owns a live item, a function its agencies do."""
        rows = np.flatnonzero(self.items.status[: self.items.n] != CUT)
        cells = self.items.owner[rows] * len(cat.MATTERS) + self.items.matter[rows]
        return np.bincount(cells, minlength=self.n_departments * len(cat.MATTERS)) > 0

    def data_sharing_graph(self) -> nx.Graph:
        """Bipartite graph: bureaus linked to the shared databases their open silos feed."""
        graph = nx.Graph()
        graph.add_nodes_from(cat.DATABASES, kind="database")
        for d in np.flatnonzero(self.shares_data & self.active):
            node = f"{cat.DOMAINS[self.dept_domain[d]]}@{self.dept_unit[d]}"
            graph.add_node(node, kind="department", level=cat.LEVELS[self.dept_level[d]])
            graph.add_edge(node, cat.DATABASES[cat.database_of(self.dept_domain[d])])
        return graph


def item_materials(n: int, gp: GovernmentParams, rng: np.random.Generator) -> np.ndarray:
    """Materials `n` new items ask of an applicant: 1 + Poisson(material_mean - 1), the items in
    force at the start and those added later alike."""
    return 1 + rng.poisson(gp.material_mean - 1, n)


def item_values(n: int, gp: GovernmentParams, rng: np.random.Generator) -> np.ndarray:
    """Worth of `n` new items to their bureaus (power, fees, rents): lognormal with mean 1."""
    sd = gp.item_value_sd
    return rng.lognormal(-(sd**2) / 2.0, sd, n)
