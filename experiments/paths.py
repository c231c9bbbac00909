"""Where the project's configuration lives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "experiments" / "conf"


def scenarios_dir() -> Path:
    """The scenarios/ folder: Hydra's `scenario` config group (a new YAML there is a new scenario)."""
    return ROOT / "scenarios"


def available_scenarios() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))
