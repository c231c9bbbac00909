"""The reports: the comparison report of a sweep (with its brief and, for a factor sweep, its
levels), the validation report and the calibration's fit, with their figures, tables, fonts and
Jinja templates (`templates/`), and what a page says about the sweep behind it (its context,
assumptions, scale and where its robustness comes from). The top of the analysis stack: a report
may import studies, words and measures; nothing in analysis imports a report."""
