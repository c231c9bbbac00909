"""The classroom dashboard (`reform-class`): a Mesa model in SolaraViz's layout, one model per
browser, in English or Chinese."""

from pathlib import Path

from simulation import i18n

i18n.speaks(Path(__file__).parent / "locale")  # the classroom's words, beside it
