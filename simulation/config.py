"""Checking a configuration against the parameter table, with one-line errors that name the key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulation.parameters import BOUNDS, PROBABILITY_KEYS, defaults

FORBIDDEN_KEYS = ("_target_", "_partial_", "_convert_", "_recursive_", "_args_")


class ConfigError(ValueError):
    """A bad configuration value. `str()` is a single line naming the key and what is allowed."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(f"{key}: {message}")


def resolve(config: Mapping[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """Defaults, then `config`, then keyword `overrides` ('a.b' may be written 'a__b'); checked."""
    resolved = defaults()
    if config is not None:
        _merge(resolved, _plain(config), "")
    for key, value in overrides.items():
        _merge(resolved, _nest(key.replace("__", ".").split("."), value), "")
    _check_ranges(resolved, "")
    return resolved


def _plain(config: Any) -> Any:
    """Turn an OmegaConf container into plain Python without importing OmegaConf eagerly."""
    if hasattr(config, "_metadata"):
        from omegaconf import OmegaConf

        return OmegaConf.to_container(config, resolve=True)
    return config


def _nest(path: list[str], value: Any) -> dict[str, Any]:
    node: Any = value
    for part in reversed(path):
        node = {part: node}
    return node


def _merge(base: dict[str, Any], update: Mapping[str, Any], prefix: str) -> None:
    if not isinstance(update, Mapping):
        raise ConfigError(prefix.rstrip(".") or "config", "must be a mapping of keys to values")
    for key, value in update.items():
        full = f"{prefix}{key}"
        if key in FORBIDDEN_KEYS:
            raise ConfigError(
                full, "is not allowed: configs cannot instantiate classes or run code"
            )
        if key == "hydra" and not prefix:
            continue
        if key not in base:
            allowed = ", ".join(sorted(base)) or "none"
            raise ConfigError(full, f"unknown key; allowed here: {allowed}")
        base[key] = _coerce(full, base[key], value, prefix)


def _coerce(key: str, default: Any, value: Any, prefix: str) -> Any:
    if isinstance(default, dict):
        if value is None:
            return default
        _merge(default, value, f"{key}.")
        return default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(key, f"must be true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ConfigError(key, f"must be a whole number, got {value!r}")
        return int(value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(key, f"must be a number, got {value!r}")
        if value != value or value in (float("inf"), float("-inf")):
            raise ConfigError(key, f"must be a finite number, got {value!r}")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(key, f"must be text, got {value!r}")
        return value
    if isinstance(default, list):
        if not isinstance(value, list | tuple) or len(value) != len(default):
            raise ConfigError(key, f"must be a list of {len(default)} numbers, got {value!r}")
        return [
            _coerce(f"{key}[{i}]", d, v, prefix) for i, (d, v) in enumerate(zip(default, value))
        ]
    raise ConfigError(key, f"cannot be set (unsupported default {default!r})")


def _check_ranges(node: dict[str, Any], prefix: str) -> None:
    for key, value in node.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _check_ranges(value, f"{full}.")
            continue
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            continue
        low, high = _bounds(full, key)
        for v in values:
            if not low <= v <= high:
                raise ConfigError(full, f"must be between {low:g} and {high:g}, got {v!r}")


def _bounds(full: str, key: str) -> tuple[float, float]:
    if full in BOUNDS:
        return BOUNDS[full]
    if any(key.endswith(suffix) for suffix in PROBABILITY_KEYS):
        return (0.0, 1.0)
    return (0.0, 1e9)
