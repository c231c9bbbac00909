"""Metrics, plots and reports computed from model outputs."""
