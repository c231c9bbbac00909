"""Where the project's configuration lives."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "experiments" / "conf"


def scenarios_dir() -> Path:
    """The scenarios/ folder (REFORM_SCENARIOS_DIR overrides it)."""
    return Path(os.environ.get("REFORM_SCENARIOS_DIR", ROOT / "scenarios"))


def available_scenarios() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))
