"""What a government does: domains, levels, shared databases and the matters people bring to it.

The catalogue is the fixed vocabulary of the model (docs/ODD.md, section 2). Counts of items,
staff and agencies are not set here; they are built from it and then evolve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

LEVELS = ("province", "city", "county")
PROVINCE, CITY, COUNTY = 0, 1, 2

# Functional bureaus present at every level (docs/ODD.md section 2, Department).
DOMAINS = (
    "development_reform",
    "natural_resources",
    "housing_construction",
    "market_regulation",
    "public_security",
    "human_resources_social_security",
    "ecology_environment",
    "water",
    "fire",
    "civil_air_defence",
    "meteorology",
    "tax",
    "civil_affairs",
    "health",
    "housing_fund",
)
DOMAIN = {name: i for i, name in enumerate(DOMAINS)}

# Shared databases of the platform (M4 Data sharing) and the technology level each needs (M10).
DATABASES = ("population", "legal_person", "e_licence", "credit", "geospatial")
DATABASE = {name: i for i, name in enumerate(DATABASES)}

# Which database would serve a certificate issued by a domain: ID and household records sit in
# the population database, business licences in the legal-person one, and so on.
ISSUER_DATABASE = {
    "public_security": "population",
    "market_regulation": "legal_person",
    "development_reform": "credit",
    "natural_resources": "geospatial",
}


def database_of(issuer: int) -> int:
    """Index of the shared database that serves certificates issued by domain `issuer`."""
    return DATABASE[ISSUER_DATABASE.get(DOMAINS[issuer], "e_licence")]


# Big-department reform: the host a domain is merged into (the 2018-2019 transfers of fire design
# review, civil air defence and lightning protection review to housing and construction, etc.).
MERGE_HOST = {
    "civil_air_defence": "housing_construction",
    "fire": "housing_construction",
    "meteorology": "housing_construction",
    "water": "natural_resources",
    "ecology_environment": "natural_resources",
    "housing_fund": "housing_construction",
    "health": "market_regulation",
    "civil_affairs": "public_security",
    "tax": "market_regulation",
    "human_resources_social_security": "civil_affairs",
}


@dataclass(frozen=True)
class Step:
    """One department's part of a matter: which bureau, at which level, how many items."""

    domain: str
    level: int
    items: int  # approval items this department initially requires for the matter
    certificates: tuple[str, ...] = ()  # domains whose certificates its items demand


@dataclass(frozen=True)
class MatterType:
    """A 'one thing' an applicant wants done, with its approval chain (a DAG of steps)."""

    name: str
    applicant: str  # "citizen" or "enterprise"
    annual_rate: float  # matters per applicant per year (source: assumed; see parameters.py)
    steps: tuple[Step, ...]
    order: tuple[tuple[int, int], ...] = field(default=())  # (before, after) step indices

    def chain(self) -> nx.DiGraph:
        """The approval chain as a DAG whose nodes are step indices."""
        graph = nx.DiGraph(matter=self.name)
        for i, step in enumerate(self.steps):
            graph.add_node(i, domain=step.domain, level=LEVELS[step.level], items=step.items)
        edges = self.order or tuple((i, i + 1) for i in range(len(self.steps) - 1))
        graph.add_edges_from(edges)
        assert nx.is_directed_acyclic_graph(graph), self.name
        return graph


S = Step
MATTERS: tuple[MatterType, ...] = (
    MatterType(
        "birth_registration",
        "citizen",
        0.010,
        (
            S("health", COUNTY, 1),
            S("public_security", COUNTY, 2, ("health", "civil_affairs")),
            S("human_resources_social_security", COUNTY, 1, ("public_security",)),
        ),
    ),
    MatterType(
        "marriage_registration",
        "citizen",
        0.012,
        (S("civil_affairs", COUNTY, 1, ("public_security",)),),
    ),
    MatterType(
        "housing_fund_loan",
        "citizen",
        0.020,
        (
            S("housing_construction", COUNTY, 1),
            S(
                "housing_fund",
                CITY,
                3,
                (
                    "public_security",
                    "housing_construction",
                    "human_resources_social_security",
                    "development_reform",
                ),
            ),
            S("natural_resources", COUNTY, 1, ("housing_fund",)),
        ),
    ),
    MatterType(
        "real_estate_registration",
        "citizen",
        0.030,
        (
            S("housing_construction", COUNTY, 1),
            S("tax", COUNTY, 1, ("housing_construction",)),
            S("natural_resources", COUNTY, 2, ("public_security", "tax")),
        ),
    ),
    MatterType(
        "social_insurance_transfer",
        "citizen",
        0.050,
        (S("human_resources_social_security", CITY, 2, ("public_security", "market_regulation")),),
    ),
    MatterType(
        "residence_and_identity",
        "citizen",
        0.150,
        (S("public_security", COUNTY, 1, ("housing_construction",)),),
    ),
    MatterType(
        "pension_and_assistance",
        "citizen",
        0.040,
        (
            S("civil_affairs", COUNTY, 1, ("public_security",)),
            S("human_resources_social_security", CITY, 1, ("civil_affairs",)),
        ),
    ),
    MatterType(
        "open_a_restaurant",
        "enterprise",
        0.080,
        (
            S("market_regulation", COUNTY, 2, ("public_security", "housing_construction")),
            S("fire", COUNTY, 1, ("market_regulation",)),
            S("ecology_environment", COUNTY, 1, ("market_regulation",)),
            S("health", COUNTY, 1, ("market_regulation",)),
            S("tax", COUNTY, 1, ("market_regulation",)),
            S("public_security", COUNTY, 1, ("market_regulation",)),
        ),
        ((0, 1), (0, 2), (0, 3), (0, 4), (0, 5)),
    ),
    MatterType(
        "licence_change",
        "enterprise",
        0.400,
        (S("market_regulation", COUNTY, 1, ("market_regulation", "development_reform")),),
    ),
    MatterType(
        "investment_project",
        "enterprise",
        0.050,
        (
            S("development_reform", PROVINCE, 2, ("market_regulation", "development_reform")),
            S("natural_resources", CITY, 3, ("development_reform",)),
            S("ecology_environment", PROVINCE, 2, ("natural_resources",)),
            S("water", COUNTY, 1, ("natural_resources",)),
            S("civil_air_defence", CITY, 1, ("natural_resources",)),
            S("meteorology", CITY, 1, ("natural_resources",)),
            S("fire", COUNTY, 1, ("natural_resources",)),
            S(
                "housing_construction",
                COUNTY,
                2,
                ("natural_resources", "fire", "civil_air_defence"),
            ),
        ),
        ((0, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 7), (3, 7), (4, 7), (5, 7), (6, 7)),
    ),
)
MATTER = {m.name: i for i, m in enumerate(MATTERS)}


def department_dependencies() -> nx.DiGraph:
    """Domain graph: an edge issuer -> user means the user's items demand the issuer's certificate."""
    graph = nx.DiGraph()
    graph.add_nodes_from(DOMAINS)
    for matter in MATTERS:
        for step in matter.steps:
            for issuer in step.certificates:
                if issuer != step.domain:
                    graph.add_edge(issuer, step.domain)
                    graph.edges[issuer, step.domain].setdefault("matters", set()).add(matter.name)
    return graph
