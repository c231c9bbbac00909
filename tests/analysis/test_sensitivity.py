"""Sensitivity analysis (SALib Morris and Sobol), the phase diagram's axes, PRIM scenario
discovery, the validation outcomes, and reform-validate's command line and sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.studies import discovery, phase, sensitivity
from simulation import scenarios
from simulation.config import lookup
from simulation.parameters import defaults, plausible_ranges

ROOT = Path(__file__).resolve().parents[2]


def with_scenario(name: str) -> dict:
    return phase.with_scenario(defaults(), scenarios.load(name))


# factors and designs -----------------------------------------------------------------------------
def test_every_assumed_and_calibrated_number_is_screened_over_its_plausible_range():
    factors = sensitivity.plausible_factors(sensitivity.screened())
    ranges = plausible_ranges(("assumed", "calibrated"))
    assert [f.name for f in factors] == list(ranges) and len(factors) >= 60
    table = defaults()
    for f in factors:
        low, high = sensitivity.allowed(f.name)
        assert low <= f.low < f.high <= high
        assert (f.low, f.high) == tuple(map(float, ranges[f.name]))  # no flat 50-150 %
        assert f.whole == isinstance(lookup(table, f.name), int)
    # detection and exposure channels may go down to zero
    by_name = {f.name: f for f in factors}
    assert by_name["supervision.traceability_paper"].low == 0.0
    assert by_name["supervision.internal_scrutiny"].low == 0.0


def test_whole_number_parameters_are_rounded_for_a_run():
    (f,) = sensitivity.plausible_factors(["supervision.survey_sample"])
    assert sensitivity.run_value(f, 411.6) == 412 and isinstance(sensitivity.run_value(f, 3.2), int)
    (g,) = sensitivity.plausible_factors(["regrowth.penalty"])
    assert sensitivity.run_value(g, 1.25) == 1.25


def linear(x: np.ndarray) -> np.ndarray:
    return 3.0 * x[:, 0] + 0.0 * x[:, 1] + 1.0 * x[:, 2] ** 2


def test_morris_ranks_an_analytic_function():
    factors = [sensitivity.Factor(n, 0.0, 1.0) for n in ("a", "b", "c")]
    x = sensitivity.morris_design(factors, 20, seed=1)
    assert x.shape == (20 * 4, 3)
    ind = sensitivity.morris_indices(factors, x, {"y": linear(x)}, seed=1)
    mu = ind.set_index("factor")["mu_star"]
    assert mu["a"] > mu["c"] > mu["b"]
    assert mu["b"] == pytest.approx(0.0, abs=1e-12)
    assert sensitivity.most_influential(ind, 2) == ["a", "c"]


def test_sobol_gives_first_and_total_order_with_intervals():
    factors = [sensitivity.Factor(n, 0.0, 1.0) for n in ("a", "b", "c")]
    x = sensitivity.sobol_design(factors, 256, seed=1)
    assert x.shape == (256 * 5, 3)
    y = x[:, 0] + 2.0 * x[:, 1]  # additive: S1 = ST, b explains 4/5 of the variance
    ind = sensitivity.sobol_indices(factors, {"y": y}, seed=1).set_index("factor")
    assert ind.loc["b", "S1"] == pytest.approx(0.8, abs=0.1)
    assert ind.loc["a", "ST"] == pytest.approx(0.2, abs=0.1)
    assert ind.loc["c", "ST"] == pytest.approx(0.0, abs=0.05)
    assert (ind.loc[["a", "b"], ["S1_conf", "ST_conf"]] > 0).all().all()  # c has no effect at all


def test_a_constant_outcome_has_zero_indices():
    factors = [sensitivity.Factor(n, 0.0, 1.0) for n in ("a", "b")]
    x = sensitivity.sobol_design(factors, 8, seed=1)
    ind = sensitivity.sobol_indices(factors, {"y": np.ones(len(x))}, seed=1)
    assert (ind[["S1", "ST"]] == 0).all().all()


def test_undefined_outcomes_are_filled_and_counted():
    values, bad = sensitivity.filled(np.array([1.0, np.nan, 3.0]))
    assert bad == 1 and values.tolist() == [1.0, 2.0, 3.0]


# phase diagram axes ------------------------------------------------------------------------------
def test_pressure_strength_scales_outside_pressure_only():
    params = defaults()
    none, table, double = (phase.pressure_overrides(s, params) for s in (0.0, 1.0, 2.0))
    assert all(v == 0 for v in none.values())
    for key, value in table.items():
        assert value == params["supervision"][key.split(".")[1]]
    assert double["supervision.complaint_followup"] == 1.0  # a share is capped
    assert double["supervision.weight_complaints"] == 2 * params["supervision"]["weight_complaints"]
    assert (
        "supervision.weight_campaign" not in double
        and "supervision.internal_scrutiny" not in double
        and "supervision.traceability_paper" not in double
    )


def test_technology_level_is_reached_by_the_investment_found():
    params = with_scenario("pressure_and_technology")
    low, high = phase.level_range(params)
    assert 0 < low < 0.5 < high <= 1
    for level in (low, 0.4, 0.8):
        investment = phase.investment_for(level, params)
        assert phase.level_reached(investment, params) == pytest.approx(level, abs=1e-4)
    with pytest.raises(ValueError, match="technology_level"):
        phase.investment_for(low / 2, params)


def test_the_grid_is_ordered_and_inside_the_reachable_range():
    params = with_scenario("pressure_and_technology")
    pressures, levels = phase.grid(8, params)
    assert len(pressures) == len(levels) == 8
    assert pressures[0] == 0 and pressures[-1] == 2.0 and (np.diff(pressures) > 0).all()
    low, high = phase.level_range(params)
    assert (np.diff(levels) > 0).all() and levels[0] >= low - 1e-3 and levels[-1] <= high


def test_regrowth_stops_reads_the_lowest_technology_that_suffices():
    table = pd.DataFrame(
        {
            phase.PRESSURE: [0, 0, 1, 1],
            phase.TECHNOLOGY: [0.1, 0.9, 0.1, 0.9],
            "items_rebound_mean": [0.6, 0.5, 0.3, 0.1],
            "agencies_rebound_mean": [0.5, 0.5, 0.1, 0.1],
        }
    )
    stops = phase.regrowth_stops(table, 0.2).set_index(phase.PRESSURE)["lowest_technology_level"]
    assert np.isnan(stops[0]) and stops[1] == 0.9


# PRIM --------------------------------------------------------------------------------------------
def test_prim_finds_the_box_where_outcomes_are_of_interest():
    x = discovery.latin_hypercube({"a": (0, 1), "b": (0, 2), "c": (5, 6)}, 400, seed=3)
    y = ((x["a"] > 0.5) & (x["b"] < 1.0)).to_numpy()
    result = discovery.find_box(x, y, min_density=0.9)
    box = result.box.set_index("parameter")
    assert set(box.index) == {"a", "b"}
    assert box.loc["a", "low"] == pytest.approx(0.5, abs=0.1)
    assert box.loc["b", "high"] == pytest.approx(1.0, abs=0.15)
    assert result.density >= 0.9 and result.coverage > 0.7 and result.reached_density


def test_prim_with_nothing_to_separate():
    x = discovery.latin_hypercube({"a": (0, 1)}, 30, seed=1)
    result = discovery.find_box(x, np.ones(30, bool))
    assert result.box.empty and result.coverage == 1.0 and result.density == 1.0


def test_latin_hypercube_is_stratified_and_seeded():
    x = discovery.latin_hypercube({"a": (2, 4)}, 10, seed=5)
    assert sorted(np.floor((x["a"] - 2) / 0.2).astype(int)) == list(range(10))
    assert x.equals(discovery.latin_hypercube({"a": (2, 4)}, 10, seed=5))
