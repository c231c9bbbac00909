"""The one-page brief for policy teams (`report/brief.html`, written with every comparison report):
the question, the answer in three sentences with their robustness where it is known, one figure,
what each scenario means in practice, and the command that reproduces it. Its words come from the
same verdicts as the report's opening (analysis.robustness.comparison_verdicts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.formatting import listing, scenario_label

QUESTION = (
    "When a government cuts its approval items and agencies, why do they grow back, and does "
    "outside pressure plus technology (the 'run at most once' reform) stop the regrowth?"
)
PRESSURE_ALONE = "public_pressure"
BOTH = ("public_pressure_and_technology", "pressure_and_technology")


def sentences(lines: list[dict[str, Any]]) -> list[str]:
    """Three sentences: where cuts came back, what pressure alone and with technology did to
    the approval items, and where pressure bred paper compliance."""
    by_key = {v["key"]: v for v in lines}
    items = [v for v in lines if v["key"].startswith("regrowth/") and v["key"].endswith("/items")]
    back = [_scenario(v) for v in items if v["word"] == "came back"]
    down = [_scenario(v) for v in items if v["word"] == "stayed down"]
    first = "Cut approval items (open and hidden) came back under " + (
        listing([scenario_label(s) for s in back]) if back else "no scenario"
    )
    first += (
        f" and stayed down under {listing([scenario_label(s) for s in down])}." if down else "."
    )
    second = _pressure_sentence(by_key)
    paper = [
        _scenario(v)
        for v in lines
        if v["key"].startswith("paper/") and v["word"] == "bred paper compliance"
    ]
    third = (
        "Paper compliance (bureaus' records ahead of what applicants experienced, or cuts made "
        f"only on paper) showed under {listing([scenario_label(s) for s in paper])}."
        if paper
        else "Bureaus' records and applicants' experience agreed under every scenario: no paper "
        "compliance."
    )
    return [first, second, third]


def _pressure_sentence(by_key: Mapping[str, dict[str, Any]]) -> str:
    alone = by_key.get(f"regrowth/{PRESSURE_ALONE}/items")
    both = next(
        (by_key[f"regrowth/{s}/items"] for s in BOTH if f"regrowth/{s}/items" in by_key), None
    )
    if alone is None or both is None:
        return (
            "This comparison did not run both outside pressure alone and pressure with "
            "technology, so it cannot say what technology adds."
        )
    return (
        f"Outside pressure alone: items {alone['word']} ({alone['figure']}; {_sure(alone)}); with "
        f"technology ({scenario_label(_scenario(both))}): items {both['word']} ({both['figure']}; "
        f"{_sure(both)})."
    )


def _sure(v: Mapping[str, Any]) -> str:
    share = f" in {v['share']:.0%} of plausible worlds" if v["share"] == v["share"] else ""
    verdict = f"{v['verdict']}, " if v["verdict"] else ""
    return f"{verdict}{v['robustness']}{share}"


def _scenario(v: Mapping[str, Any]) -> str:
    return (
        v["key"].split("/", 1)[1].rsplit("/", 1)[0]
        if v["key"].startswith("regrowth/")
        else v["key"].split("/", 1)[1]
    )
