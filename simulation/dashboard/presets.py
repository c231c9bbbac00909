"""What the page address asks for. A preset (`?preset=<name>`) opens the dashboard on one
exercise of the lesson plan (docs/classroom.md), with its scenario and controls set; a view
(`?view=projector`) chooses the layout. A preset sets institutions and controls, never outcomes:
what the class sees is what the model does with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from simulation.dashboard.model_params import DEFAULTS, OFF, ON
from simulation.i18n import LANGUAGES, Said


@dataclass(frozen=True)
class Preset:
    name: str
    title: str  # what the exercise asks
    look_at: str  # where to look on the dashboard
    settings: dict[str, Any] = field(default_factory=dict)  # controls it sets (classroom.DEFAULTS)
    horizon: int = 60  # months after the launch the class runs (the teacher's key reads them)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "internal_regrowth",
            "Why does internal reform grow back?",
            "Approval items (open + hidden) and agencies after each campaign, and the hidden items",
            {"scenario_name": "internal_reform"},
            horizon=120,
        ),
        Preset(
            "window_without_data",
            "What does one window without shared data do to staff?",
            "Trips per matter, staff and their workload against the twin under internal_reform",
            {"scenario_name": "one_window_no_data", "data_sharing": OFF},
            horizon=60,
        ),
        Preset(
            "pressure_without_technology",
            "Does pressure without technology produce paper compliance?",
            "Reported against experienced realisation rate, hidden items and informal pre-visits",
            {"scenario_name": "top_down_pressure", "technology_level": 0.05},
            horizon=60,
        ),
        Preset(
            "pressure_with_technology",
            "Does technology stop it, under the same pressure?",
            "The same indicators as the last exercise, with the platform and shared data on",
            {"scenario_name": "top_down_pressure", "data_sharing": ON, "technology_level": 0.5},
            horizon=60,
        ),
        Preset(
            "pressure_with_outside_eyes",
            "Do outside eyes stop it, under the same pressure?",
            "The same indicators, with a third party surveying what applicants went through",
            {"scenario_name": "top_down_pressure", "third_party_evaluation": ON},
            horizon=60,
        ),
        Preset(
            "full_package",
            "The article's full package: the 'run at most once' reform",
            "Trips per matter, the realisation rate and the items, against internal_reform",
            {"scenario_name": "pressure_and_technology"},
            horizon=120,
        ),
    )
}


def from_query(search: str | None) -> tuple[Preset | None, Said | None]:
    """The preset a page address asks for (`preset=<name>` in its query string), and a note for
    the class (a record, shown in the page's language) when the name is unknown: the page then
    opens on the defaults."""
    name = asked(search, "preset")
    if name is None:
        return None, None
    if name in PRESETS:
        return PRESETS[name], None
    note = "No preset '{name}'; the presets are {presets}."
    return None, Said(note, {"name": name, "presets": tuple(PRESETS)})


def settings_of(preset: Preset | None) -> dict[str, Any]:
    """Every control's value under a preset (the defaults elsewhere)."""
    return {**DEFAULTS, **(preset.settings if preset else {})}


def controls(model_params: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Mesa's control specifications with the preset's values as their starting values."""
    return {
        key: {**spec, "value": settings[key]} if key in settings else spec
        for key, spec in model_params.items()
    }


def asked(search: str | None, key: str) -> str | None:
    """The value a page address's query string gives `key` (the last one), if any."""
    values = parse_qs(search or "").get(key)
    return values[-1] if values else None


def view(search: str | None) -> str:
    """The layout a page address asks for: `projector`, or the default `full`."""
    return "projector" if asked(search, "view") == "projector" else "full"


def language(search: str | None) -> str:
    """The language a page address asks for (`lang=zh`); English otherwise."""
    lang = asked(search, "lang")
    return lang if lang in LANGUAGES else "en"
