"""Writing one run's results: atomically, and never over a finished run."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

import simulation
from analysis.measures.summary import summarise
from analysis.reports.overview import plot_overview
from experiments.atomic import atomic_write
from experiments.paths import ROOT, RUN_FILES
from simulation.config import from_config
from simulation.model import ReformModel
from simulation.parameters import Parameters

FILES = RUN_FILES


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def config_hash(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]


def provenance(params: dict[str, Any]) -> dict[str, Any]:
    return {
        "seed": params["seed"],
        "scenario": params["scenario"]["name"],
        "config_hash": config_hash(params),
        "package_version": simulation.__version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "packages": packages_used(),
    }


def packages_used() -> str:
    """Every installed distribution this process has imported, as 'name==version' separated by
    spaces (sorted): what a run used, to repeat it with the same versions (requirements.lock)."""
    by_module = importlib.metadata.packages_distributions()
    names = {
        dist
        for module in list(sys.modules)
        if "." not in module
        for dist in by_module.get(module, ())
    }
    pins = []
    for name in sorted(names, key=str.lower):
        try:
            pins.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return " ".join(pins)


def model_parameters(cfg: Any) -> Parameters:
    """The model's part of a (Hydra) config as the model's typed table, checked once
    (`from_config`); the model takes it as it is."""
    from omegaconf import OmegaConf

    plain = OmegaConf.to_container(cfg, resolve=True) if hasattr(cfg, "_metadata") else dict(cfg)
    known = simulation.parameters.DEFAULTS
    return from_config({k: v for k, v in plain.items() if k in known})


def model_params(cfg: Any) -> dict[str, Any]:
    """The model's part of a (Hydra) config, checked, in its plain form (what config.yaml holds)."""
    return model_parameters(cfg).to_dict()


def write_run(cfg: Any, run_dir: Path) -> dict[str, Any]:
    """Run the model for `cfg` and write every result file into `run_dir`; summary.json last."""
    parameters = model_parameters(cfg)
    params = parameters.to_dict()
    if (run_dir / "summary.json").exists():
        raise FileExistsError(f"{run_dir} already holds a finished run")
    model = ReformModel(parameters)
    df = model.run()
    events = pd.DataFrame(model.cascade.table())
    summary = {**provenance(params), **summarise(df, model)}
    atomic_write(run_dir / "timeseries.parquet", lambda f: df.to_parquet(f, index=False))
    atomic_write(
        run_dir / "timeseries.csv",
        lambda f: df.to_csv(f, index=False, float_format="%.6g"),
        binary=False,
    )
    atomic_write(run_dir / "events.csv", lambda f: events.to_csv(f, index=False), binary=False)
    lives = model.government.registry.table()
    atomic_write(run_dir / "agencies.parquet", lambda f: lives.to_parquet(f, index=False))
    atomic_write(
        run_dir / "config.yaml", lambda f: yaml.safe_dump(params, f, sort_keys=False), binary=False
    )
    atomic_write(
        run_dir / "overview.png", lambda f: plot_overview(df, params["scenario"]["name"], f)
    )
    atomic_write(
        run_dir / "summary.json",
        lambda f: json.dump(summary, f, indent=2, default=float),
        binary=False,
    )
    return summary
