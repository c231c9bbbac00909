"""The classroom dashboard (`reform-class`): a Mesa SolaraViz app with one model per browser."""
