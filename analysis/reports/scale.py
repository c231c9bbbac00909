"""The scale the model is calibrated at, and a sweep that leaves it. The calibration (the 2017
Zhejiang realisation and satisfaction rates, Parkinson's rate of staff growth) was fitted with the
parameter table's province: its cities, counties per city and represented population. A sweep
that models another province (docs/province.md) moves results, so its report and brief say so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from analysis.words.records import Joined, Say, _
from simulation.config import flatten
from simulation.parameters import DEFAULTS

SCALE_KEYS = (
    "government.cities",
    "government.counties_per_city",
    "population.represented_citizens",
    "population.represented_enterprises",
)


def away_from_calibration(configs: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The scale keys whose value differs from the table's in any of `configs` (a run's
    settings), each with every value the sweep used."""
    defaults = flatten(DEFAULTS)
    seen: dict[str, list[Any]] = {}
    for config in configs:
        values = flatten(config)
        for key in SCALE_KEYS:
            value = values.get(key, defaults[key])
            if value != defaults[key] and value not in seen.setdefault(key, []):
                seen[key].append(value)
    return {k: v for k, v in seen.items() if v}


def scale_sentence(away: Mapping[str, list[Any]]) -> Say | str:
    """One visible sentence that names this sweep's province and the calibrated one, or "" at
    the calibrated scale."""
    if not away:
        return ""
    defaults = flatten(DEFAULTS)

    def value(key: str) -> Joined:
        return _(", ").join(_number(v) for v in away.get(key, [defaults[key]]))

    def default(key: str) -> str:
        return _number(defaults[key])

    return _(
        "Away from the calibrated scale: this sweep models a province of {cities} cities x "
        "{counties} counties with {citizens} citizens and {firms} firms, the calibration one of "
        "{cities0} x {counties0} with {citizens0} and {firms0}; read its levels as a what-if, not "
        "a forecast (docs/province.md)."
    ).format(
        cities=value(SCALE_KEYS[0]),
        counties=value(SCALE_KEYS[1]),
        citizens=value(SCALE_KEYS[2]),
        firms=value(SCALE_KEYS[3]),
        cities0=default(SCALE_KEYS[0]),
        counties0=default(SCALE_KEYS[1]),
        citizens0=default(SCALE_KEYS[2]),
        firms0=default(SCALE_KEYS[3]),
    )


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)
