"""Metrics, studies and reports computed from model outputs, as a stack of four layers, each
importing only the layers below it (an import-linter contract in pyproject.toml keeps the order):

- `analysis.reports`: the pages, their figures, tables and fonts;
- `analysis.studies`: the validation's studies and their verdicts;
- `analysis.words`: the records findings are written as, and the sentences read from the numbers;
- `analysis.measures`: the quantities of one run and of a sweep.

The catalogues of the analysis' words (`locale/`) sit here, beside the whole stack: a measure
(the cascade's order), a study's verdict and a report all look their words up in them."""

from pathlib import Path

from simulation import i18n

i18n.speaks(Path(__file__).parent / "locale")  # the reports' words, beside them
