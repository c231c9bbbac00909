"""Checking a configuration against the parameter table, with one-line errors that name the key."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

from simulation.parameters import BOUNDS, DEFAULTS, defaults

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
        if not isinstance(value, Mapping):
            raise ConfigError(key, f"must be a mapping of keys to values, got {_shown(value)}")
        _merge(default, value, f"{key}.")
        return default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(key, f"must be true or false, got {_shown(value)}")
        return value
    if isinstance(default, int | float):
        return _number(key, value, whole=isinstance(default, int))
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(key, f"must be text, got {_shown(value)}")
        return value
    if isinstance(default, list):
        if not isinstance(value, list | tuple) or len(value) != len(default):
            raise ConfigError(key, f"must be a list of {len(default)} numbers, got {_shown(value)}")
        return [
            _coerce(f"{key}[{i}]", d, v, prefix) for i, (d, v) in enumerate(zip(default, value))
        ]
    raise ConfigError(key, f"cannot be set (unsupported default {default!r})")


def _number(key: str, value: Any, whole: bool) -> int | float:
    """A finite number (NaN, infinities and floats too large to hold are refused)."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(key, f"must be {kind}, got {_shown(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise ConfigError(key, f"must be {kind} of ordinary size, got {_shown(value)}") from None
    if not math.isfinite(number):
        raise ConfigError(key, f"must be a finite number, got {_shown(value)}")
    if whole:
        if isinstance(value, float) and not value.is_integer():
            raise ConfigError(key, f"must be a whole number, got {_shown(value)}")
        return int(value)
    return number


def _shown(value: Any) -> str:
    """A value as the user wrote it, cut short (a 400-digit number is not echoed whole)."""
    if value is None:
        return "null"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


def check_value(key: str, value: Any) -> Any:
    """One parameter's value, checked alone as `resolve` would (fast: for sweeps of many values).
    `key` is dotted, e.g. 'population.citizens'."""
    node: Any = DEFAULTS  # read only: a leaf's default is not changed by _coerce
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ConfigError(key, "unknown key")
        node = node[part]
    checked = _coerce(key, copy.deepcopy(node) if isinstance(node, dict) else node, value, "")
    _check_leaf(key, checked)
    return checked


def _check_ranges(node: dict[str, Any], prefix: str) -> None:
    for key, value in node.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _check_ranges(value, f"{full}.")
        else:
            _check_leaf(full, value)


def _check_leaf(key: str, value: Any) -> None:
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return
    bound = BOUNDS[key]
    for v in values:
        if not bound.admits(v):
            raise ConfigError(key, f"must be {bound.text()}, got {_shown(v)}")
