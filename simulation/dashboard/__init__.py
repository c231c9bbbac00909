"""The classroom dashboard (`reform-class`): a Mesa model in SolaraViz's layout, one model per
browser, in English or Chinese."""
