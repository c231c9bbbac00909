"""Benchmarks, kept beside the model as Mesa keeps its own: what a run costs (`reform-bench`,
bench*.py), how long a dashboard Step takes, and a class of sixty on one server."""
