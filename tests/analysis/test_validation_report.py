"""The validation pipeline without the simulation: every stage planned as reform-validate plans it,
its runs' outcomes made up from the design values by known functions, then analysed and reported.
The report's verdicts and conditions must follow those numbers (nothing in it is fixed text): the
same pipeline on outcomes where the article's claim fails says so."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.measures.outcomes import EXTRA, OUTCOMES
from analysis.studies import claims
from analysis.studies.phase import PRESSURE, TECHNOLOGY
from analysis.studies.sensitivity import screened
from simulation.parameters import plausible_ranges


@pytest.fixture(scope="module")
def setup():
    """The quick preset (reform-validate's default), as the app reads it."""
    from experiments.outputs import model_params
    from experiments.validate import composed

    cfg = composed("validate", [])
    return model_params(cfg), cfg["study"]


def enough_worlds(study: dict) -> dict:
    """40 robustness worlds, not the quick 12: among 12 worlds over every assumed parameter, some
    other parameter separates the 3 that flip (below) as well as digital traceability does, by
    chance."""
    return {**study, "robustness_draws": 40}


def made_up(claim_holds: bool):
    """read_outcomes with outcomes that follow the design values (and the check's scenarios)."""

    def read(_sweep: Path, plan) -> pd.DataFrame:
        pts = plan.points.reset_index(drop=True)
        n = len(pts)
        rng = np.random.default_rng(len(pts))
        out = pd.DataFrame({c: rng.uniform(0.4, 0.6, n) for c in [*OUTCOMES, *EXTRA]})
        if plan.stage == "check":
            stops = pts["scenario"].isin(
                ["pressure_and_technology", "public_pressure_and_technology"]
            )
            regrows = pts["scenario"].isin(
                ["internal_reform", "public_pressure", "technology_only"]
            )
            low, high = (0.05, 0.6) if claim_holds else (0.6, 0.05)
            for col in ("items_rebound", "agencies_rebound"):
                out[col] = np.where(stops, low, np.where(regrows, high, 0.4)) + rng.normal(
                    0, 0.01, n
                )
            out["realisation_end"] = np.where(stops, 0.93, 0.6) + rng.normal(0, 0.005, n)
            out["realisation_12"] = 0.879 + rng.normal(0, 0.002, n)
            out["satisfaction_12"] = 0.947 + rng.normal(0, 0.002, n)
            out["realisation_36"] = 0.929 + rng.normal(0, 0.002, n)
            out["satisfaction_36"] = 0.9 + rng.normal(0, 0.002, n)  # one fact missed
            out["staff_growth_10y"] = 0.06 + rng.normal(0, 0.001, n)
            out["items_cut_share_10y"] = 0.7 + rng.normal(0, 0.01, n)
        elif plan.stage == "morris":
            for o in OUTCOMES:
                out[o] = hangs_on_restore(pts, plan.factors)
        elif plan.stage == "sobol":
            for outcome, (factors, _) in plan.by_outcome.items():
                mine = (pts["outcome"] == outcome).to_numpy()
                out.loc[mine, outcome] = hangs_on_restore(pts[mine], factors)
        elif plan.stage == "robustness":
            out = robustness_outcomes(pts, claim_holds, rng)
        elif plan.stage == "pull":  # agencies come back with the split rate under internal reform
            out["agencies_rebound"] = pulled_by_split_rate(pts)
        else:  # phase and prim: regrowth stops with enough pressure (when the claim holds)
            p = pts[PRESSURE].to_numpy(float)
            p = p / max(p.max(), 1e-12)  # over the range sampled (PRIM samples less than phase)
            t = pts[TECHNOLOGY].to_numpy(float)
            t = (t - t.min()) / max(np.ptp(t), 1e-12)
            if claim_holds:
                value = np.clip(0.8 - 0.6 * p - 0.3 * t, 0.0, 1.0)
            else:
                value = np.full(n, 0.6)
            out["items_rebound"] = value + rng.normal(0, 0.01, n)
            out["agencies_rebound"] = value
        return pd.concat([pts, out.assign(finished=True)], axis=1)

    return read


def pulled_by_split_rate(pts: pd.DataFrame) -> np.ndarray:
    """Agency rebound that grows with staffing.split_annual under internal reform only."""
    split = pts["value"].where(pts["factor"] == "staffing.split_annual", 0.0).to_numpy(float)
    return np.where(pts["scenario"] == "internal_reform", 10.0 * split, 0.01)


def hangs_on_restore(pts: pd.DataFrame, factors) -> np.ndarray:
    """Outcomes that rest most on regrowth.restore_annual (a little on every factor)."""
    x = pts[[f.name for f in factors]].to_numpy(float)
    scaled = (x - x.min(0)) / np.ptp(x, 0).clip(1e-12)
    names = [f.name for f in factors]
    first = (
        scaled[:, names.index("regrowth.restore_annual")]
        if "regrowth.restore_annual" in names
        else 0
    )
    return 2.0 * first + 0.1 * scaled.sum(1)


TRACE = "supervision.traceability_digital"  # the table has 0.6; plausible 0.2 to 1.0


def robustness_outcomes(pts: pd.DataFrame, claim_holds: bool, rng) -> pd.DataFrame:
    """The full package stops regrowth only where digital traces are good enough (>= 0.4): a
    verdict that holds at the table's values and flips in about a quarter of the worlds. When the
    claim does not hold, nothing depends on the parameters: every verdict is robust."""
    from experiments.validation_stages import METRIC

    n = len(pts)
    trace = pts[TRACE].fillna(0.6).to_numpy(float)
    stops = pts["scenario"].isin(["pressure_and_technology", "public_pressure_and_technology"])
    if claim_holds:
        stops = stops & (trace >= 0.4)
    rebound = np.where(stops, 0.05, 0.6) + rng.normal(0, 0.005, n)
    columns = {
        "items_rebound": rebound,
        "agencies_rebound": rebound,
        "realisation_end": np.where(stops, 0.93, 0.6),
    }
    for q in ("items", "agencies", "staff"):
        columns[f"{METRIC}{q}_rebound"] = rebound
    for m, v in (
        ("paper_cut_share", 0.0),
        ("realisation_gap_end", 0.0),
        ("informal_visits_end", 0.0),
        ("realisation_rate_reported_end", 0.9),
    ):
        columns[f"{METRIC}{m}"] = np.full(n, v)
    columns[f"{METRIC}realisation_rate_end"] = columns["realisation_end"]
    return pd.DataFrame(columns)


def every_suspect_acts(_sweep: Path, _oat, suspected) -> tuple[dict, pd.DataFrame]:
    """The one-at-a-time check as runs would answer it here: no run is made (the outcomes are
    made up), so every parameter PRIM suspects is taken to act (its own tests are in
    tests/analysis/test_robustness_region.py)."""
    return dict(suspected), pd.DataFrame(columns=["parameter", "scenario", "value", "acts"])


def validation(tmp_path: Path, setup, monkeypatch, claim_holds: bool) -> str:
    from analysis.reports.validation_report import build_validation_report
    from experiments import robustness_stage
    from experiments import validation_stages as vs
    from experiments.validate import run_stages

    base, study = setup
    study = enough_worlds(study)
    monkeypatch.setattr(vs, "read_outcomes", made_up(claim_holds))
    monkeypatch.setattr(robustness_stage, "acting", every_suspect_acts)
    planned, launched = [], []
    plan = vs.plan
    monkeypatch.setattr(vs, "plan", lambda *a: planned.append(plan(*a)) or planned[-1])
    runner = SimpleNamespace(sweep_dir=tmp_path, run=lambda jobs, stage: launched.append(stage))
    results = run_stages(runner, list(vs.STAGES), base, study)
    stages = list(dict.fromkeys(s.split(" (")[0] for s in launched))  # "history (match, ...)"
    assert stages == list(vs.STAGES) and [p.stage for p in planned] == stages[: len(planned)]
    # what the quick preset must keep (issue 6): Morris over >= 12 parameters, Sobol on the most
    # influential, a phase grid of >= 8 x 8 cells with >= 2 seeds each, a PRIM sample
    sizes = {p.stage: len(p.jobs) for p in planned}
    # Morris screens every assumed and calibrated parameter; Sobol each outcome's own top ones
    assert [f.name for f in planned[1].factors] == screened()
    assert set(planned[2].by_outcome) == set(OUTCOMES)
    for factors, _ in planned[2].by_outcome.values():
        assert 2 <= len(factors) < len(planned[1].factors)
        assert factors[0].name == "regrowth.restore_annual"  # what the made-up outcomes rest on
    # no history region (the made-up outcomes hold none of the record's quantities): the worlds
    # are drawn over every assumed parameter's plausible range
    assert len(results["robustness"]["factors"]) == len(plausible_ranges(("assumed",)))
    assert results["history"]["region"] is None
    assert study["phase_size"] >= 8 and study["phase_seeds"] >= 2
    assert sizes["phase"] == study["phase_size"] ** 2 * study["phase_seeds"]
    assert sizes["prim"] == study["prim_runs"] >= 50
    # the pull stage: each split parameter at every level in both scenarios
    assert sizes["pull"] == 2 * study["pull_levels"] * 2 * study["pull_seeds"]
    settings = {"mode": "quick", "study": study, "base": base}
    command = f"reform-validate hydra.sweep.dir={tmp_path}"
    report = build_validation_report(tmp_path, results, study, settings, [command])
    return report.path.read_text()


@pytest.mark.integration  # builds a whole report folder
def test_the_report_states_what_the_numbers_show(tmp_path, setup, monkeypatch):
    page = validation(tmp_path, setup, monkeypatch, claim_holds=True)
    for heading in (
        "Stylized facts",
        "The article&#39;s claims",
        "Under what conditions",
        "Phase diagram",
        "Scenario discovery (PRIM)",
        "Morris screening",
        "Sobol indices",
        "One parameter at a time",
    ):
        assert heading in page
    assert "5 of 6 stylized facts are met" in page and "satisfaction_36" in page
    assert page.count('"better">supported<') == 5 and ">not supported<" not in page
    # a committed report names no path of the machine that built it
    assert str(tmp_path) not in page and f"hydra.sweep.dir={tmp_path.name}" in page
    # the full package stops regrowth at the table's values, but not where digital traces are
    # poor: the opening list marks that verdict fragile and names what flips it
    out = tmp_path / "report"
    robust = pd.read_csv(out / "robustness.csv").set_index("key")
    assert {"claim", "share_holding", "draws", "rests_on"} <= set(robust.columns)
    full = robust.loc["claim/1"]
    assert full["verdict"] == "holds" and 0.5 < full["share_holding"] < 0.9
    assert TRACE in full["rests_on"] and "below" in full["rests_on"]
    assert robust.loc["claim/0", "share_holding"] == 1.0  # internal reform regrows everywhere
    opening = page[page.index('<ul class="verdicts">') : page.index("</ul>")]
    line = next(li for li in opening.split("<li>") if "(the full package)" in li)
    assert "badge supported" in line and "badge fragile" in line
    internal = next(li for li in opening.split("<li>") if "Internally driven" in li)
    assert "badge robust" in internal
    assert "coverage" in page and "density" in page and "contour" in page
    # Morris and Sobol find the factor the made-up outcomes hang on
    assert "rests most on restore_annual" in page
    for table in ("fit.csv", "morris.csv", "sobol.csv", "phase.csv", "prim_box.csv"):
        assert (out / table).is_file()
    sobol = pd.read_csv(out / "sobol.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(sobol.columns)
    stops = pd.read_csv(out / "phase_regrowth_stops.csv")
    assert stops["lowest_technology_level"].notna().any()
    box = pd.read_csv(out / "prim_box.csv")
    assert PRESSURE in set(box["parameter"])  # PRIM restricts the factor that matters
    # the pull stage: each split parameter over its plausible range, in both scenarios, and
    # the report states the spread of agency rebound it finds under the full package
    spread = pd.read_csv(out / "pull_spread.csv").set_index(["factor", "scenario", "outcome"])
    split = spread.loc[("staffing.split_annual", "internal_reform", "agencies_rebound")]
    assert (split["range_low"], split["range_high"]) == (0.005, 0.05)
    assert split["spread"] == pytest.approx(10 * (0.05 - 0.005))
    assert (
        "staffing.split_annual moves agency rebound ratio under pressure and technology "
        "from 0.010 to 0.010: a spread of 0.000." in page
    )


@pytest.mark.integration  # builds a whole report folder
def test_the_same_pipeline_reports_a_failing_claim(tmp_path, setup, monkeypatch):
    page = validation(tmp_path, setup, monkeypatch, claim_holds=False)
    assert page.count(">not supported<") >= 3
    assert "No cell of the grid has both rebound ratios below 0.2" in page
    assert "Without outside or top-down pressure (strength 0), regrowth stops in 0 of" in page


def runs(values: dict[str, tuple[float, float]], seeds: int = 5) -> pd.DataFrame:
    """Check runs: per scenario, item and agency rebound ratios with a little noise."""
    rng = np.random.default_rng(0)
    rows = []
    for s, (items, agencies) in values.items():
        for k in range(seeds):
            rows.append(
                {
                    "scenario": s,
                    "seed": k,
                    "items_rebound": items + rng.normal(0, 0.01),
                    "agencies_rebound": agencies + rng.normal(0, 0.01),
                    "realisation_end": 0.9,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "internal,expected",
    [(0.6, "supported"), (0.05, "not supported"), (0.2, "inconclusive")],
)
def test_the_regrowth_verdict_follows_the_interval(internal, expected):
    table = runs({"internal_reform": (internal, internal)})
    verdict = claims.check_claims(table, 0.2)[0]
    assert verdict.verdict == expected
    assert f"{internal:.2f}" in verdict.evidence


def test_equal_scenarios_do_not_support_neither_alone():
    same = {s: (0.1, 0.1) for s in ["public_pressure", "technology_only", claims.CLEAN]}
    verdict = claims.check_claims(runs(same), 0.2)[3]
    assert verdict.verdict == "not supported"  # within the equivalence margin
    better = {**same, claims.CLEAN: (0.0, 0.0), "public_pressure": (0.5, 0.5)}
    better["technology_only"] = (0.4, 0.4)
    assert claims.check_claims(runs(better), 0.2)[3].verdict == "supported"


def test_a_claim_whose_scenarios_were_not_run_is_not_tested():
    verdict = claims.check_claims(runs({"status_quo": (0.5, 0.5)}), 0.2)
    assert {c.verdict for c in verdict} == {"not tested"}
