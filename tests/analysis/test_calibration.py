"""Calibration: the targets, the objective, reform-calibrate's command line, and the calibration in
force (experiments/calibration/calibrated.yaml) with its provenance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.reports.assumptions import parameter_notes
from experiments import targets
from simulation.config import lookup, resolve
from simulation.parameters import defaults
from tests.cli_support import QUIET, command

ROOT = Path(__file__).resolve().parents[2]


def test_a_band_target_counts_no_error_inside_it():
    staff = targets.TARGET["staff_growth"]
    assert staff.error(0.06) == 0 and staff.error(0.04) == pytest.approx(-0.01)
    assert staff.fits(0.0749) and not staff.fits(0.0751)
    assert not staff.fits(float("nan"))


def test_the_loss_is_zero_only_on_the_observed_values():
    exact = {t.name: t.value for t in targets.TARGETS}
    assert targets.loss(exact) == 0
    off = {**exact, "realisation_12": exact["realisation_12"] + 0.02}
    assert targets.loss(off) == pytest.approx(1.0)  # one tolerance off: one unit
    assert targets.loss({}) >= 1e6  # an unmeasured target is never a good fit


def test_every_fact_of_design_section_7_is_a_target():
    names = {t.name for t in targets.TARGETS}
    assert {
        "realisation_12",
        "satisfaction_12",
        "realisation_36",
        "satisfaction_36",
        "staff_growth",
        "items_cut_share_10y",
    } == names
    assert (
        targets.TARGET["realisation_12"].value == 0.879
        and targets.TARGET["satisfaction_36"].value == 0.971
    )


@pytest.mark.heavy
def test_the_objective_measures_every_target_of_a_small_model():
    config = resolve(population__citizens=200, population__enterprises=20, warmup=12)
    per_seed = targets.measure(config, [0])
    assert set(per_seed.columns) == {"seed", *targets.TARGET}
    assert per_seed.drop(columns="seed").notna().all().all()
    table = targets.fit_table(per_seed)
    assert list(table["target"]) == [t.name for t in targets.TARGETS]
    assert np.isfinite(targets.loss(per_seed.iloc[0].to_dict()))


# the command line --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params,key",
    [
        ({"applicants.satisfaction_base": "interval(6, 2)"}, "applicants.satisfaction_base"),
        (
            {"applicants.omission_per_material": "interval(0.1, 1.5)"},
            "applicants.omission_per_material",
        ),
        ({"no.such_key": "interval(0, 1)"}, "no.such_key"),
        ({"regrowth.penalty": "choice(1, 2)"}, "regrowth.penalty"),
    ],
)
def test_a_bad_search_space_gets_one_line(capsys, params, key):
    from experiments.calibrate import search_space

    with pytest.raises(SystemExit) as stop:
        search_space({"params": params})
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and key in err[0]


@pytest.mark.parametrize(
    "settings,key",
    [
        ({"seeds": 0}, "calibration.seeds"),
        ({"check_seeds": "x"}, "calibration.check_seeds"),
        ({"install": "yes"}, "calibration.install"),
        ({"bogus": 1}, "calibration.bogus"),
    ],
)
def test_bad_settings_name_their_key(settings, key):
    """The settings schema (experiments/settings.py) refuses them, naming the key."""
    from experiments.settings import CalibrateSettings
    from simulation.config import ConfigError, resolve

    with pytest.raises(ConfigError) as err:
        resolve({"calibration": settings}, schema=CalibrateSettings)
    assert err.value.key == key


def test_the_search_space_of_the_preset_is_the_assumed_behaviour():
    """Every searched parameter is behavioural and documented as assumed or calibrated."""
    from experiments.calibrate import composed_hydra, search_space

    space = search_space(composed_hydra([]))
    notes = parameter_notes()
    assert len(space) >= 10
    for key in space:
        assert "assumed" in notes[key] or "calibrated" in notes[key], key
        assert not key.startswith(("population.", "scenario.", "government.cities"))


def test_a_sweep_directory_holding_anything_else_is_refused(tmp_path, capsys):
    from experiments.calibrate import search_done

    (tmp_path / "old.txt").write_text("mine")
    with pytest.raises(SystemExit) as stop:
        search_done(tmp_path)
    assert stop.value.code == 2 and "hydra.sweep.dir" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


def test_a_finished_search_is_checked_not_searched_again(tmp_path):
    from experiments.calibrate import search_done

    assert not search_done(tmp_path / "new")
    (tmp_path / "optimization_results.yaml").write_text("name: optuna\n")
    assert search_done(tmp_path)
    (tmp_path / "calibration.yaml").write_text("parameters: {}\n")
    with pytest.raises(SystemExit):
        search_done(tmp_path)  # a checked calibration is never overwritten


@pytest.mark.integration
@pytest.mark.slow
def test_a_tiny_calibration_writes_its_provenance(tmp_path):
    sweep = tmp_path / "cal"
    tiny = ["hydra.sweeper.n_trials=2", "calibration.seeds=1", "calibration.check_seeds=2"]
    model = ["population.citizens=200", "population.enterprises=20", "warmup=12"]
    where = f"hydra.sweep.dir={sweep}"
    out = command("reform-calibrate", *tiny, *model, where, cwd=ROOT, env=QUIET, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    record = yaml.safe_load((sweep / "calibration.yaml").read_text())
    assert set(record["parameters"]) == set(record["provenance"]["search"]["space"])
    assert {f["target"] for f in record["fit"]} == set(targets.TARGET)
    assert record["provenance"]["search"]["trials"] == 2
    for name in ("fit.png", "fit.md", "fit.csv", "trials.csv", "optimization_results.yaml"):
        assert (sweep / name).is_file()


# the calibration in force ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def record() -> dict:
    if not targets.CALIBRATED.is_file():
        pytest.fail(
            f"{targets.CALIBRATED} is missing: run reform-calibrate calibration.install=true"
        )
    return yaml.safe_load(targets.CALIBRATED.read_text())


def test_the_calibration_has_its_provenance(record):
    prov = record["provenance"]
    assert {"created", "command", "git_commit", "search", "targets", "check"} <= set(prov)
    assert prov["search"]["trials"] >= 100 and "Optuna" in prov["search"]["method"]
    assert {t["name"] for t in prov["targets"]} == set(targets.TARGET)
    assert {f["target"] for f in record["fit"]} == set(targets.TARGET)


def test_calibrated_values_are_valid_and_inside_the_search_space(record):
    space = record["provenance"]["search"]["space"]
    resolve(**{k.replace(".", "__"): v for k, v in record["parameters"].items()})
    for key, value in record["parameters"].items():
        low, high = space[key]
        assert low <= value <= high, key


def test_the_parameter_table_holds_the_calibration(record):
    """simulation/parameters.py must carry the calibrated values (and say so in its comments)."""
    table = defaults()
    notes = parameter_notes()
    differ = {}
    for key, value in record["parameters"].items():
        node = lookup(table, key)
        if node != value:
            differ[key] = (node, value)
    assert not differ, (
        f"set these defaults in simulation/parameters.py (table, calibrated): {differ}"
    )
    for key in record["parameters"]:
        assert "calibrated" in notes[key], f"{key}: its comment should say 'calibrated'"
