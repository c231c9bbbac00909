"""Checking plain configuration data against a declared schema (the parameter table, or a command's
settings), with one-line errors that name the key and what is allowed.

The schema is a dataclass whose fields carry `simulation.parameters.param` metadata: the declared
type says what a value may be (Hydra refuses the same types when it composes), the metadata's
bound says where a number keeps the model well defined. NaN, infinities and numbers too large to
hold are refused everywhere.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import types
import typing
import unicodedata
from collections.abc import Mapping
from typing import Any

from simulation.parameters import Bound, Parameters

FORBIDDEN_KEYS = ("_target_", "_partial_", "_convert_", "_recursive_", "_args_")


class ConfigError(ValueError):
    """A bad configuration value. `str()` is a single line naming the key and what is allowed."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(f"{key}: {message}")


def resolve(
    config: Mapping[str, Any] | None = None, schema: type = Parameters, **overrides: Any
) -> dict[str, Any]:
    """The schema's defaults, then `config`, then keyword `overrides` ('a.b' may be written
    'a__b'), checked; the plain nested dict of the result."""
    resolved = dataclasses.asdict(schema())
    if config is not None:
        _merge(schema, resolved, _plain(config), "")
    for key, value in overrides.items():
        _merge(schema, resolved, nest({key.replace("__", "."): value}), "")
    return resolved


def from_config(config: Mapping[str, Any] | None = None, **overrides: Any) -> Parameters:
    """The one door from plain configuration data (a dict, a Hydra config) to the model's typed
    table: `resolve`'s checks, once. What comes out is trusted as it is (ReformModel takes a
    `Parameters` without checking it again)."""
    return Parameters.from_dict(resolve(config, **overrides))


def check_value(key: str, value: Any, schema: type = Parameters) -> Any:
    """One value, checked alone as `resolve` would (fast: for sweeps of many values). `key` is
    dotted, e.g. 'population.citizens'."""
    kind, meta = schema, None
    for part in key.split("."):
        fields = _fields(kind) if _is_schema(kind) else {}
        if part not in fields:
            raise ConfigError(key, "unknown key")
        kind, meta = fields[part]
    if _is_schema(kind):
        node = dataclasses.asdict(kind())
        _merge(kind, node, value, f"{key}.")
        return node
    return _leaf(key, kind, meta, value, None)


def is_leaf(key: str, schema: type = Parameters) -> bool:
    """Whether the dotted key names one value of the schema (not a section, not unknown)."""
    kind: Any = schema
    for part in key.split("."):
        fields = _fields(kind) if _is_schema(kind) else {}
        if part not in fields:
            return False
        kind = fields[part][0]
    return not _is_schema(kind)


def _plain(config: Any) -> Any:
    """Turn an OmegaConf container into plain Python without importing OmegaConf eagerly."""
    if hasattr(config, "_metadata"):
        from omegaconf import OmegaConf

        return OmegaConf.to_container(config, resolve=True)
    return config


# dotted keys ('regrowth.penalty') over nested dicts: the one home of these helpers
def lookup(tree: Mapping[str, Any], dotted: str, default: Any = ...) -> Any:
    """The value at a dotted key; `default` (if given) where the path does not exist."""
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            if default is ...:
                raise KeyError(dotted)
            return default
        node = node[part]
    return node


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """{'a.b': 1, 'a.c': 2} -> {'a': {'b': 1, 'c': 2}}."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': 1}} -> {'a.b': 1}."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with `update` merged in, section by section."""
    out = copy.deepcopy(dict(base))
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@functools.cache
def _fields(schema: type) -> dict[str, tuple[Any, Mapping[str, Any]]]:
    """Field name -> (declared type, metadata)."""
    hints = typing.get_type_hints(schema)
    return {f.name: (hints[f.name], f.metadata) for f in dataclasses.fields(schema)}


def _is_schema(kind: Any) -> bool:
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)


def _merge(schema: type, base: dict[str, Any], update: Any, prefix: str) -> None:
    if not isinstance(update, Mapping):
        raise ConfigError(prefix.rstrip(".") or "config", "must be a mapping of keys to values")
    fields = _fields(schema)
    for key, value in update.items():
        full = f"{prefix}{key}"
        if key in FORBIDDEN_KEYS:
            raise ConfigError(
                full, "is not allowed: configs cannot instantiate classes or run code"
            )
        if key == "hydra" and not prefix:
            continue
        if key not in fields:
            allowed = ", ".join(sorted(fields)) or "none"
            raise ConfigError(full, f"unknown key; allowed here: {allowed}")
        kind, meta = fields[key]
        if _is_schema(kind):
            _merge(kind, base[key], value, f"{full}.")
        else:
            base[key] = _leaf(full, kind, meta, value, base[key])


def _leaf(key: str, kind: Any, meta: Mapping[str, Any], value: Any, default: Any) -> Any:
    """A value of the declared type, within the metadata's bound."""
    options = typing.get_args(kind) if isinstance(kind, types.UnionType) else ()
    if options:
        if value is None and type(None) in options:
            return None
        kind = next(k for k in options if k is not type(None))
    if kind is Any:
        return _finite(key, value)
    if typing.get_origin(kind) is list:
        return _list(key, typing.get_args(kind)[0], meta, value, default)
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, f"must be true or false, got {_shown(value)}")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(key, f"must be text, got {_shown(value)}")
        return _text(key, value)
    number = _number(key, value, whole=kind is int)
    bound: Bound | None = meta.get("bound")
    if bound is not None and not bound.admits(number):
        raise ConfigError(key, f"must be {bound.text()}, got {_shown(value)}")
    return number


def _list(key: str, item: Any, meta: Mapping[str, Any], value: Any, default: Any) -> list[Any]:
    """A list: numbers keep the length of their default (one per level, one per database)."""
    numeric = item in (int, float)
    fixed = len(default) if numeric and isinstance(default, list) and default else None
    if not isinstance(value, list | tuple) or (fixed is not None and len(value) != fixed):
        what = f"a list of {fixed} numbers" if fixed else "a list"
        raise ConfigError(key, f"must be {what}, got {_shown(value)}")
    return [_leaf(f"{key}[{i}]", item, meta, v, None) for i, v in enumerate(value)]


# Right-to-left and left-to-right embeddings, overrides, isolates and marks: in a report they
# reorder the rest of a table cell or line (a description that reads backwards)
BIDI_FORMAT = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _text(key: str, value: str) -> str:
    """Text every file can hold and every page shows as written: encodable as UTF-8 (no lone
    surrogate), no control characters, no bidirectional formatting characters. Checked here,
    at the door, so that a sweep never runs to fail at its report."""
    for i, char in enumerate(value):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            raise ConfigError(
                key,
                f"holds a lone surrogate (U+{code:04X}, at character {i + 1}): not writable text",
            )
        if unicodedata.category(char) == "Cc":
            raise ConfigError(
                key,
                f"holds a control character (U+{code:04X}, at character {i + 1}); use plain text",
            )
        if char in BIDI_FORMAT:
            raise ConfigError(
                key,
                f"holds a bidirectional formatting character (U+{code:04X}, at character {i + 1}), "
                "which would reorder the report around it; remove it",
            )
    return value


def _finite(key: str, value: Any) -> Any:
    """A value of any type, but no NaN or infinity inside it."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(key, f"must be a finite number, got {_shown(value)}")
    if isinstance(value, list | tuple):
        return [_finite(f"{key}[{i}]", v) for i, v in enumerate(value)]
    return value


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
