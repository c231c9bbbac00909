"""Where the project's configuration lives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "experiments" / "conf"
# The files of one run, as reform-run writes them (summary.json last: it marks a finished run).
TABLES = ("timeseries.parquet", "timeseries.csv", "events.csv", "agencies.parquet")
RUN_FILES = (*TABLES, "config.yaml", "overview.png", "summary.json")
