"""What the model reports each month (docs/ODD.md, section 4 'Observation'): one row of the time series."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from simulation import catalogue as cat
from simulation.items import HIDDEN, OPEN
from simulation.mechanisms import data_sharing, workload

if TYPE_CHECKING:
    from simulation.model import ReformModel

COLUMNS = (
    "step",
    "phase",
    "items_open",
    "items_hidden",
    "items_added",
    "items_cut",
    "items_restored",
    "items_devolved",
    "agencies",
    "agencies_founded",
    "agencies_abolished",
    "staff",
    "staff_off_quota",
    "staff_utilisation",
    "budget",
    "fee_share",
    "matters",
    "matters_done",
    "matters_pending",
    "trips_mean",
    "trips_p90",
    "realisation_rate",
    "realisation_rate_reported",
    "informal_visits",
    "items_relabelled",
    "satisfaction_rate",
    "complaints",
    "waiting_days",
    "workload_per_staff",
    "face_to_face",
    "data_sharing_coverage",
    "online_share",
    "one_window_share",
    "pressure_mean",
    "technology_level",
    "travel_hours",
    "days_to_completion",
    "chase_hours",
    "exposures",
    "enterprise_exits",
    "investments_dropped",
    "trips_share_0",
    "trips_share_1",
    "trips_share_2",
    "trips_share_3plus",
    "campaign",
    "realisation_citizens",
    "realisation_enterprises",
    "investment_trips_mean",
    "cascade_process",
    "cascade_organisational",
    "cascade_functional",
)


def month_metrics(
    model: ReformModel, needs, outcomes, satisfied, complained, regrowth, chains
) -> dict[str, Any]:
    gov, items = model.government, model.government.items
    status = items.status[: items.n]
    open_rows = status == OPEN
    active = gov.active
    n = len(needs)
    trips = outcomes.trips
    investment = needs.matter == cat.MATTER["investment_project"]
    row = {
        "step": model.month,
        "phase": "warmup" if model.month <= 0 else "reform",
        "items_open": int(open_rows.sum()),
        "items_hidden": int((status == HIDDEN).sum()),
        "items_added": regrowth["items_added"],
        "items_cut": int((items.last_cut[: items.n] == model.month).sum()),
        "items_restored": regrowth["items_restored"],
        "items_devolved": len(model.changes.get("devolve_items", [])),
        "agencies": float(gov.agencies[active].sum()),
        "agencies_founded": model.founded_this_month,
        "agencies_abolished": model.abolished_this_month,
        "staff": float(gov.staff[active].sum()),
        "staff_off_quota": float(gov.off_quota[active].sum()),
        "staff_utilisation": float(gov.load[active].sum() / max(gov.capacity[active].sum(), 1e-9)),
        "budget": float(gov.budget[active].sum()),
        "fee_share": float(gov.fees[active].sum() / max(gov.budget[active].sum(), 1e-9)),
        "matters": n,
        "matters_done": model.completions.done,
        "matters_pending": model.completions.pending,
        "trips_mean": _mean(trips),
        "trips_p90": float(np.percentile(trips, 90)) if n else 0.0,
        "realisation_rate": _mean(outcomes.realised),
        "realisation_rate_reported": _mean(outcomes.realised_recorded),
        "informal_visits": _mean(outcomes.informal),
        "items_relabelled": model.relabelled_this_month,
        "satisfaction_rate": _mean(satisfied),
        "complaints": int(complained.sum()),
        "waiting_days": _mean(outcomes.waiting_days),
        "workload_per_staff": float(gov.load.sum() / max(gov.staff[active].sum(), 1e-9)),
        "face_to_face": _mean(outcomes.face_to_face),
        "data_sharing_coverage": data_sharing.coverage(gov, model.technology.database_ready),
        "online_share": float(items.online[: items.n][open_rows].mean())
        if open_rows.any()
        else 0.0,
        "one_window_share": float(gov.in_window[active].mean()),
        "pressure_mean": float(gov.pressure[active].mean()),
        "technology_level": model.technology.level,
        "travel_hours": _mean(outcomes.travel_hours),
        "days_to_completion": _mean(outcomes.days),
        "chase_hours": workload.chase_hours(
            chains, model.matters_by_place(needs)[1], model.params.government
        ),
        "exposures": float(gov.exposed.sum()),
        "enterprise_exits": model.enterprises.exits,
        "investments_dropped": model.demand.investments_dropped,
        "trips_share_0": _mean(trips == 0),
        "trips_share_1": _mean(trips == 1),
        "trips_share_2": _mean(trips == 2),
        "trips_share_3plus": _mean(trips >= 3),
        "campaign": int(model.campaigns.last_month == model.month),
        "realisation_citizens": _mean(outcomes.realised[~needs.enterprise]),
        "realisation_enterprises": _mean(outcomes.realised[needs.enterprise]),
        "investment_trips_mean": _mean(trips[investment]),
    }
    row.update(model.cascade.close_month())
    return row


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else 0.0
