"""Hydra entry points and experiment presets."""
