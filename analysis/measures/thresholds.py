"""The lines the reports draw, declared once. The comparison report, its brief, the robustness of
its verdicts and the validation's claims all read "came back" against CAME_BACK, so that one
rebound ratio never reads "came back" in one report and "stayed down" in the other. This module
imports nothing: experiments/settings.py can take its defaults from here."""

from __future__ import annotations

# a mean rebound ratio at or above this: the cut came back; below it: the cut stayed down
CAME_BACK = 0.2
# at or above this, at least half of the cut came back: it "grew back" (between the two: "partly")
GREW_BACK = 0.5
# a verdict that holds in at least this share of the plausible worlds is robust, else fragile
ROBUST_SHARE = 0.9
