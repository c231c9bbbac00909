"""The outputs are declared once (simulation/outputs.py): a run writes exactly the table's monthly
columns, an output added to the table alone is recorded, a listed output that nothing computes
raises instead of recording a placeholder, and docs/outputs.md is generated from the table."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.measures.outcomes import outcomes
from analysis.measures.summary import run_metrics
from simulation import ReformModel, outputs
from simulation.outputs import Output, OutputError

ROOT = Path(__file__).resolve().parents[2]
SMALL = {"steps": 12, "population__citizens": 500, "population__enterprises": 50, "seed": 0}


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    """The time series of the run the acceptance check makes with reform-run."""
    return ReformModel.from_scenario("pressure_and_technology", **SMALL).run()


def test_docs_outputs_md_is_generated_from_the_table():
    written = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert written == outputs.markdown(), "run: python -m simulation.outputs"


def test_every_column_a_run_writes_is_an_output_documented_in_docs_outputs_md(series):
    written = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert list(series.columns) == outputs.columns()
    assert [c for c in series.columns if f"`{c}`" not in written] == []


def test_every_output_names_the_odd_section_that_defines_it():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#+ (.+)$", odd, flags=re.M))
    assert {o.name: o.odd for o in outputs.OUTPUTS if o.odd not in headings} == {}


def _added(monkeypatch, *extra: Output) -> None:
    monkeypatch.setattr(outputs, "OUTPUTS", (*outputs.OUTPUTS, *extra))


def test_an_output_added_to_the_table_alone_is_recorded_every_month(monkeypatch):
    twice = Output("twice_the_month", "twice the month", "months", "none", "M2 Trips",
                   compute=lambda m: 2 * m.model.month)  # fmt: skip
    _added(monkeypatch, twice)
    run = ReformModel.from_scenario("internal_reform", **{**SMALL, "warmup": 2, "steps": 3}).run()
    assert list(run["twice_the_month"]) == [2 * s for s in run["step"]]


def test_a_listed_monthly_output_that_nothing_computes_raises_before_any_month(monkeypatch):
    _added(monkeypatch, Output("ghost", "a column nobody computes", "items", "none", "M2 Trips"))
    with pytest.raises(OutputError, match="ghost"):
        ReformModel.from_scenario("internal_reform", **SMALL)


def test_a_total_is_added_where_shown_not_recorded(series):
    assert "items_total" not in series
    total = outputs.with_totals(series)["items_total"]
    assert (total == series["items_open"] + series["items_hidden"]).all()


@pytest.mark.parametrize("study, compute", [("comparison", run_metrics), ("validation", outcomes)])
def test_a_study_refuses_a_listed_output_it_does_not_compute(monkeypatch, series, study, compute):
    compute(series)  # as declared: no error
    _added(
        monkeypatch, Output("ghost", "nobody computes it", "share", "none", "M2 Trips", study=study)
    )
    with pytest.raises(OutputError, match="listed but not computed: \\['ghost'\\]"):
        compute(series)


@pytest.mark.parametrize("study, compute", [("comparison", run_metrics), ("validation", outcomes)])
def test_a_study_refuses_an_output_it_computes_but_the_table_does_not_list(
    monkeypatch, series, study, compute
):
    first = outputs.of_study(study)[0]
    monkeypatch.setattr(outputs, "OUTPUTS", tuple(o for o in outputs.OUTPUTS if o != first))
    with pytest.raises(OutputError, match=first.name):
        compute(series)


def test_the_dashboard_and_report_show_what_the_table_says(monkeypatch):
    """Their labels come from the table: change one there, and it changes where it is shown."""
    import importlib

    from analysis.reports import figures
    from simulation.dashboard import series as dashboard

    renamed = tuple(
        replace(o, label="Trips, renamed", short="trips, renamed") if o.name == "trips_mean" else o
        for o in outputs.OUTPUTS
    )
    monkeypatch.setattr(outputs, "OUTPUTS", renamed)
    try:
        assert importlib.reload(figures).SERIES["trips_mean"] == "Trips, renamed"
        indicators = {c: label for c, label, _ in importlib.reload(dashboard).INDICATORS}
        assert indicators["trips_mean"] == "trips, renamed"
    finally:
        monkeypatch.undo()
        importlib.reload(figures)
        importlib.reload(dashboard)


def test_a_share_is_shown_as_a_percentage_on_the_dashboard():
    from simulation.dashboard import series as dashboard

    formats = {c: fmt for c, _, fmt in dashboard.INDICATORS}
    assert formats["realisation_rate"].format(0.5) == "50%"
    assert formats["items_open"].format(np.float64(1234.0)) == "1,234"


# selections of outputs a view or a check makes in its own order; each name is checked against the
# table where it is used (METRICS[name], a column of the series)
CHOSEN = {
    "analysis/reports/report.py:KEY_METRICS": "the factorial's metrics, in the order of its figure",
    "analysis/reports/sweep_report.py:SHOWN": "the factor table's columns, with their formats",
    "benchmarks/bench_children.py:_child_invariance": "the sample-invariance benchmark's metrics",
    "experiments/reference_distribution.py:METRICS": "the behaviour reference's recorded metrics",
}


def _lists_of_outputs(path: Path, names: set[str]) -> set[str]:
    """'path:NAME' of each top-level statement holding a literal collection of 3 or more output
    names (a dict counts when its values are literals too: a computation is not a list)."""
    found = set()
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        owner = getattr(statement, "name", None) or ast.unparse(statement).split("=")[0].strip()
        for node in ast.walk(statement):
            if isinstance(node, ast.Dict) and all(isinstance(v, ast.Constant) for v in node.values):
                items = node.keys
            elif isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = node.elts
            else:
                continue
            listed = [i.value for i in items if isinstance(i, ast.Constant) and i.value in names]
            if len(listed) >= 3:
                found.add(f"{path.relative_to(ROOT).as_posix()}:{owner.split(':')[0]}")
    return found


def test_no_module_keeps_its_own_list_of_outputs():
    names = {o.name for o in outputs.OUTPUTS}
    found = set()
    for folder in ("simulation", "analysis", "experiments", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name != "outputs.py" or path.parent.name != "simulation":
                found |= _lists_of_outputs(path, names)
    assert found - set(CHOSEN) == set(), "derive it from simulation/outputs.py"
    assert set(CHOSEN) <= found, "a chosen list is gone: drop it from CHOSEN"
