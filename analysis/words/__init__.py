"""The words: findings as records, a message id plus values, written in a language only where a
page shows them (`records`: `Say`, `Text`, `Words`); numbers and names as the reports write them
(`formatting`); and the verdicts' sentences read from the measures (`narrative`). Words import
measures (an interval is written from an `Estimate`) and `simulation`, never a study or a
report: studies and reports both speak through them."""
