"""Property-based tests: generated bad configurations fail cleanly; generated good ones run and
keep the model's invariants."""

from __future__ import annotations

import contextlib
import io
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.cli import check_command_line
from simulation import ReformModel, scenarios
from simulation.config import ConfigError, check_value, flatten, resolve
from simulation.config import nest as config_nest
from simulation.parameters import BOUNDS, DEFAULTS
from tests.conftest import SCENARIOS, examples, scenario

LEAVES = flatten(DEFAULTS)
NUMERIC = [k for k, v in LEAVES.items() if isinstance(v, int | float) and not isinstance(v, bool)]
BOOLEAN = [k for k, v in LEAVES.items() if isinstance(v, bool)]


def nest(path: str, value):
    return config_nest({path: value})


def bad_override():
    wrong_type = st.tuples(
        st.sampled_from(NUMERIC), st.sampled_from(["abc", "", "1e", [1, 2], {"a": 1}, True])
    )
    wrong_bool = st.tuples(st.sampled_from(BOOLEAN), st.sampled_from(["yes", 2, 0.5, "", [True]]))
    negative = st.tuples(st.sampled_from(NUMERIC), st.floats(-1e12, -1e-3))
    huge = st.tuples(st.sampled_from(NUMERIC), st.floats(1e10, 1e300))
    unknown = st.tuples(
        st.from_regex(r"[a-z]{3,10}(\.[a-z]{3,8})?", fullmatch=True).filter(
            lambda k: k not in LEAVES and k.split(".")[0] not in DEFAULTS
        ),
        st.integers(),
    )
    empty = st.sampled_from(
        [("population.citizens", 0), ("population.enterprises", 0), ("steps", 0)]
    )
    code = st.tuples(
        st.sampled_from(["_target_", "scenario._target_", "population._target_"]),
        st.just("os.system"),
    )
    return st.one_of(wrong_type, wrong_bool, negative, huge, unknown, empty, code)


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad_override())
def test_invalid_configurations_name_their_key(case):
    key, value = case
    if key in LEAVES and isinstance(value, float) and value > 0:
        # huge values: only keys with an upper bound reject them
        try:
            resolve(nest(key, value))
        except ConfigError as err:
            assert "\n" not in str(err) and err.key.startswith(key.split(".")[0])
        return
    with pytest.raises(ConfigError) as err:
        resolve(nest(key, value))
    message = str(err.value)
    assert "\n" not in message
    assert err.value.key.split(".")[0] == key.split(".")[0]


@pytest.mark.integration
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad_override())
def test_invalid_command_lines_exit_with_one_line(case):
    key, value = case
    if (
        isinstance(value, list | dict)
        or (isinstance(value, float) and value > 0)
        or key.startswith("_")
    ):
        return
    text = f"{key}={value!r}" if isinstance(value, str) else f"{key}={value}"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stop:
        check_command_line(
            "reform-run", [text, "steps=2"] if not key.startswith("steps") else [text], "run"
        )
    assert stop.value.code != 0
    lines = [line for line in stderr.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in lines[0]


def good_config():
    return st.fixed_dictionaries(
        {
            "scenario": st.sampled_from(SCENARIOS),
            "seed": st.integers(0, 2**32 - 1),
            "steps": st.integers(1, 8),
            "warmup": st.integers(0, 4),
            "citizens": st.integers(1, 150),
            "enterprises": st.integers(1, 20),
            "cities": st.integers(1, 3),
            "counties": st.integers(1, 3),
            "omission": st.floats(0, 1),
            "interval": st.integers(1, 24),
            "growth": st.floats(0, 1),
        }
    )


@pytest.mark.heavy
@settings(max_examples=examples(1000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(good_config())
def test_valid_configurations_keep_the_invariants(c):
    scen = scenario(c["scenario"])
    scen["institutions"]["technology_growth"] = c["growth"]
    model = ReformModel(
        {"scenario": scen},
        seed=c["seed"],
        steps=c["steps"],
        warmup=c["warmup"],
        population__citizens=c["citizens"],
        population__enterprises=c["enterprises"],
        government__cities=c["cities"],
        government__counties_per_city=c["counties"],
        applicants__omission_per_material=c["omission"],
        campaigns__interval_months=c["interval"],
    )
    df = model.run()
    assert len(df) == c["steps"] + c["warmup"]
    counts = [
        "items_open",
        "items_hidden",
        "items_added",
        "items_cut",
        "items_restored",
        "agencies",
        "staff",
        "matters",
        "complaints",
        "trips_mean",
        "face_to_face",
        "waiting_days",
    ]
    assert (df[counts].to_numpy() >= 0).all()
    rates = [
        "realisation_rate",
        "satisfaction_rate",
        "data_sharing_coverage",
        "online_share",
        "one_window_share",
    ]
    assert ((df[rates].to_numpy() >= 0) & (df[rates].to_numpy() <= 1)).all()
    assert (df["matters_done"] + df["matters_pending"] == df["matters"].cumsum()).all()
    gov = model.government
    floor = gov.agencies[gov.active] * model.params.government.min_staff_per_agency
    assert (gov.staff[gov.active] >= floor - 1e-6).all() and (gov.agencies[gov.active] >= 1).all()
    assert np.isfinite(df.select_dtypes("number").to_numpy()).all()


# Hostile values for every key: NaN, infinities, overflow, null, interpolations, YAML tags ------
HOSTILE = [float("nan"), float("inf"), float("-inf"), 10**400, -(10**400), None]


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(sorted(LEAVES)), st.sampled_from(HOSTILE))
def test_every_key_refuses_nan_infinities_overflow_and_null(key, value):
    if isinstance(LEAVES[key], str) and value is not None:
        return  # text keys take any text; numbers are not text
    for check in (lambda: resolve(nest(key, value)), lambda: check_value(key, value)):
        with pytest.raises(ConfigError) as err:
            check()
        assert err.value.key.startswith(key) and "\n" not in str(err.value)
        assert len(str(err.value)) < 200  # a 400-digit number is not echoed whole


INTERPOLATIONS = ["${oc.env:HOME}", '${oc.decode:"1e400"}', "${seed}", "${now:%Y}", "x${steps}"]


@settings(max_examples=examples(150), deadline=None)
@given(st.sampled_from(sorted(LEAVES)), st.sampled_from(INTERPOLATIONS))
def test_every_key_refuses_an_interpolation_on_the_command_line(key, text):
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stop:
        check_command_line("reform-run", [f"{key}='{text}'"], "run")
    lines = stderr.getvalue().strip().splitlines()
    assert stop.value.code == 2 and len(lines) == 1
    assert f"{key}: interpolations" in lines[0] and os.environ["HOME"] not in lines[0]


SCENARIO_LEAVES = ["name", "description"] + [
    f"institutions.{k}" for k in DEFAULTS["scenario"]["institutions"]
]
TAGS = ["!!python/object/apply:os.getcwd []", "!!str x", "!!binary aGk=", "!!float 1", "!custom 1"]


def scenario_text(path: str, value: str) -> str:
    """A scenario file (name 'x') whose key `path` holds `value` as written."""
    lines = ["name: x"] if path != "name" else []
    head, _, leaf = path.rpartition(".")
    lines += [f"{head}:", f"  {leaf}: {value}"] if head else [f"{leaf}: {value}"]
    return "\n".join(lines) + "\n"


@settings(max_examples=examples(200), deadline=None)
@given(
    st.sampled_from(SCENARIO_LEAVES),
    st.sampled_from([*TAGS, *(f'"{i}"' for i in INTERPOLATIONS), ".nan", ".inf", "-.inf", "null"]),
)
def test_every_scenario_key_refuses_tags_interpolations_and_non_numbers(path, value):
    text = scenario_text(path, value)
    with pytest.raises(ConfigError) as err:
        scenarios.parse(text, "x", "scenarios/x.yaml")
    assert "\n" not in str(err.value) and "scenarios/x.yaml" in str(err.value)


# Every number at the edges of its range either runs or is refused before the run ---------------
def edge_values(key: str) -> list:
    bound = BOUNDS[key]
    default = LEAVES[key]
    whole = isinstance(default, int) and not isinstance(default, bool)
    low = bound.low + (1 if whole else 1e-9) if bound.above else bound.low
    ends = [low, bound.high]
    values = [int(v) if whole else float(v) for v in ends]
    return [[v] * len(default) if isinstance(default, list) else v for v in values]


HEAVY = {"population.citizens", "population.enterprises", "steps", "warmup", "seed"}
EDGES = [(k, v) for k in sorted(BOUNDS) if k not in HEAVY for v in edge_values(k)]


def run_at_the_edge(key: str, value) -> None:
    model = ReformModel(
        {"scenario": scenario("pressure_and_technology")},
        **{key.replace(".", "__"): value},
        population__citizens=120,
        population__enterprises=12,
        warmup=2,
        steps=3,
        seed=0,
    )
    df = model.run()
    numbers = df.select_dtypes("number").to_numpy()
    assert np.isfinite(numbers).all(), key
    assert model.government.active.sum() < 50 * model.government.n_departments, key


@pytest.mark.heavy
@pytest.mark.parametrize("key, value", EDGES)
def test_every_value_at_the_edge_of_its_range_runs(key, value):
    """A small model with one parameter at an end of its range: finite outputs, no agency
    explosion (a value that passes the check must not break a run)."""
    run_at_the_edge(key, value)
