"""The measures: the quantities of one run (regrowth metrics, summary metrics, the validation's
outcomes, the cascade's order) and of a sweep (statistics across replicates, the factorial's
effects), the lines they are judged against (`thresholds`) and the sweep's tables they are read
from (`sweep_data`). The bottom of the analysis stack: a measure imports only `simulation` and
other measures, never words, studies or reports, so that experiments/ and the model's own tests
can compute a number without a page."""
