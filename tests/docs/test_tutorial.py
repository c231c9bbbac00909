"""The researchers' tutorial (docs/tutorial.py, a notebook stored as a jupytext script) runs as
written, so it never goes stale: each of its sections does what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.py"


@pytest.mark.integration
def test_the_tutorial_runs_and_makes_its_sweep_and_figure(tmp_path):
    env = {**os.environ, "TUTORIAL_OUT": str(tmp_path), "MPLBACKEND": "Agg"}
    out = subprocess.run(
        [sys.executable, str(TUTORIAL)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "month 36" in out.stdout and "complaints in 36 months" in out.stdout
    assert out.stdout.count("| staff") == 3  # three seeds through mesa.batch_run
    results = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert set(results["scenario"]) == {"internal_reform", "pressure_and_technology"}
    assert (tmp_path / "sweep" / "report" / "index.html").is_file()
    assert (tmp_path / "items.png").stat().st_size > 0


def test_the_tutorial_is_a_jupytext_notebook():
    """It opens in Jupyter as a notebook: jupytext's header and percent cells."""
    text = TUTORIAL.read_text()
    assert text.startswith("# ---\n# jupyter:") and "format_name: percent" in text
    assert text.count("# %% [markdown]") >= 6
