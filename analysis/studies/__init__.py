"""The studies: the validation's questions asked of many runs. Global sensitivity (Morris,
Sobol), the pressure x technology phase diagram, PRIM scenario discovery, the robustness of every
verdict over plausible worlds, history matching (targets, emulators, waves), and the article's
claims judged from the numbers, with the sentences that say how each study came out. A study
imports measures and words, never a report: experiments/ runs it and a report shows it."""
