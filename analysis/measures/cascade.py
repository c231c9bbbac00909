"""The cascade across replicates: in which order process, organisational and functional changes
first appear after the launch (M12, docs/ODD.md), read from the monthly `cascade_*` counts.

A run follows the article's order when its first process change comes strictly before its first
organisational change, which comes strictly before its first functional one. Changes first seen
in the same month are tied ('='); a kind that never happens is left out of the order.

Two readings: every change (the time series' counts: the month the first bureau made a change of
each kind), and the bureaus' own changes (from a run's events.csv, leaving out the government's
campaigns, which cut and merge by decree in one month, and the items supervisors expose), read at
the typical bureau: the month by which half of the bureaus that ever made a change of that kind
had made their first one. The first reading is set by the single most eager bureau; the second is
the cascade the article describes: pressure first changes processes, which then push mergers,
which then shift functions.
"""

from __future__ import annotations

import re

import pandas as pd

from simulation import i18n

CATEGORIES = ("process", "organisational", "functional")
ARTICLE_ORDER = ">".join(CATEGORIES)
NO_CHANGE = "no change"
# the two readings, as the report names them
EVERY_CHANGE, BUREAUS_OWN = "every change", "the bureaus' own changes"


def first_months(run: pd.DataFrame, since: int = 1) -> dict[str, int | None]:
    """First month >= `since` with a change of each kind (None if none)."""
    after = run[run["step"] >= since]
    out: dict[str, int | None] = {}
    for c in CATEGORIES:
        months = after.loc[after[f"cascade_{c}"] > 0, "step"]
        out[c] = int(months.min()) if len(months) else None
    return out


def order(first: dict[str, int | None]) -> str:
    """E.g. 'process>organisational>functional', 'organisational=functional>process'."""
    seen = {c: m for c, m in first.items() if m is not None}
    months = sorted(set(seen.values()))
    text = ">".join("=".join(c for c in CATEGORIES if seen.get(c) == m) for m in months)
    return text or NO_CHANGE


def order_label(text: str, lang: str = "en") -> str:
    """An order as a reader sees it: English as `order` writes it, Chinese with each kind named
    in the catalogue (msgctxt "kind of change"), e.g. '流程>组织=职能'."""
    if lang == "en":
        return text
    tr = i18n.Words(lang)  # looks up the words of the data, as the templates' `tr` filter
    if text == NO_CHANGE:
        return tr(NO_CHANGE)
    return re.sub(r"[a-z]+", lambda m: tr.term("kind of change", m.group(0)), text)


def run_orders(results: pd.DataFrame) -> pd.DataFrame:
    """One row per run: scenario, seed, the first month of each kind and the order."""
    rows = []
    for (run_id, scenario, seed), run in results.groupby(["run_id", "scenario", "seed"], sort=True):
        first = first_months(run)
        rows.append(
            {"run_id": run_id, "scenario": scenario, "seed": seed, **first, "order": order(first)}
        )
    return pd.DataFrame(rows)


def event_first_months(
    events: pd.DataFrame, sources: tuple[str, ...] = ("bureaus",), since: int = 1
) -> dict[str, int | None]:
    """Typical-bureau onset of each kind among events from `sources` (month >= `since`): the month
    by which half of the bureaus making such a change for the first time had done so."""
    part = events[(events["month"] >= since) & events["source"].isin(sources)]
    out: dict[str, int | None] = {}
    for c in CATEGORIES:
        firsts = part[part["category"] == c].groupby("month")["new_bureaus"].sum().cumsum()
        total = firsts.iloc[-1] if len(firsts) else 0
        out[c] = int(firsts.index[(firsts >= total / 2).argmax()]) if total > 0 else None
    return out


def event_orders(events: dict[str, pd.DataFrame], runs: pd.DataFrame) -> pd.DataFrame:
    """Like `run_orders`, from each run's events (run_id -> events table) of the bureaus alone."""
    rows = []
    for r in runs.itertuples():
        if r.run_id in events:
            first = event_first_months(events[r.run_id])
            rows.append(
                {
                    "run_id": r.run_id,
                    "scenario": r.scenario,
                    "seed": r.seed,
                    **first,
                    "order": order(first),
                }
            )
    return pd.DataFrame(rows)


def counts(orders: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: runs, runs in the article's order, and how many runs show each order."""
    if orders.empty:
        return pd.DataFrame(columns=["runs", "article_order"])
    table = orders.groupby(["scenario", "order"]).size().unstack("order", fill_value=0)
    runs = table.sum(axis=1)
    article = table[ARTICLE_ORDER] if ARTICLE_ORDER in table else 0
    out = pd.DataFrame({"runs": runs, "article_order": article})
    return out.join(table)
