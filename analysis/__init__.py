"""Metrics, plots and reports computed from model outputs."""

from pathlib import Path

from simulation import i18n

i18n.speaks(Path(__file__).parent / "locale")  # the reports' words, beside them
