"""The one-page brief for policy teams (`report/brief.html`, written with every comparison report):
the question, the answer in three sentences with their robustness where it is known, one figure,
what each scenario means in practice, and the command that reproduces it. Its words come from the
same verdicts as the report's opening (analysis.robustness.comparison_verdicts), in the report's
language: each sentence is one catalogue message (simulation/i18n.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.formatting import scenario_label
from analysis.robustness import parse_key
from simulation import i18n

PRESSURE_ALONE = "public_pressure"
BOTH = ("public_pressure_and_technology", "pressure_and_technology")


def question(lang: str = "en") -> str:
    return i18n.t(lang)(
        "When a government cuts its approval items and agencies, why do they grow back, and does "
        "outside pressure plus technology (the 'run at most once' reform) stop the regrowth?"
    )


def sentences(lines: list[dict[str, Any]], lang: str = "en") -> list[str]:
    """Three sentences: where cuts came back, what pressure alone and with technology did to
    the approval items, and where pressure bred paper compliance."""
    _ = i18n.t(lang)
    by_key = {v["key"]: v for v in lines}
    items = [v for v in lines if v["key"].startswith("regrowth/") and v["key"].endswith("/items")]
    back = names([_scenario(v) for v in items if v["word"] == "came back"], lang)
    down = names([_scenario(v) for v in items if v["word"] == "stayed down"], lang)
    if back and down:
        first = _(
            "Cut approval items (open and hidden) came back under {back} and stayed down under "
            "{down}."
        ).format(back=back, down=down)
    elif back:
        first = _("Cut approval items (open and hidden) came back under {back}.").format(back=back)
    elif down:
        first = _("Cut approval items (open and hidden) stayed down under {down}.").format(
            down=down
        )
    else:
        first = _("No scenario cut its approval items.")
    paper = [_scenario(v) for v in lines if v["key"].startswith("paper/")]
    paper = [s for s in paper if by_key[f"paper/{s}"]["word"] == "bred paper compliance"]
    third = (
        _(
            "Paper compliance (bureaus' records ahead of what applicants experienced, or cuts "
            "made only on paper) showed under {scenarios}."
        ).format(scenarios=names(paper, lang))
        if paper
        else _(
            "Bureaus' records and applicants' experience agreed under every scenario: no paper "
            "compliance."
        )
    )
    return [first, _pressure_sentence(by_key, lang), third]


def _pressure_sentence(by_key: Mapping[str, dict[str, Any]], lang: str) -> str:
    _ = i18n.t(lang)
    alone = by_key.get(f"regrowth/{PRESSURE_ALONE}/items")
    both = next((by_key[k] for s in BOTH if (k := f"regrowth/{s}/items") in by_key), None)
    if alone is None or both is None:
        return _(
            "This comparison did not run both outside pressure alone and pressure with "
            "technology, so it cannot say what technology adds."
        )
    return _(
        "Outside pressure alone: items {alone} ({alone_figure}; {alone_sure}); with technology "
        "({scenario}): items {both} ({both_figure}; {both_sure})."
    ).format(
        alone=_(alone["word"]),
        alone_figure=alone["figure"],
        alone_sure=_sure(alone, lang),
        scenario=scenario_label(_scenario(both), lang),
        both=_(both["word"]),
        both_figure=both["figure"],
        both_sure=_sure(both, lang),
    )


def _sure(v: Mapping[str, Any], lang: str) -> str:
    _ = i18n.t(lang)
    parts = [_(v["verdict"])] if v["verdict"] else []
    if v["share"] == v["share"]:
        parts.append(
            _("{robustness} in {share} of plausible worlds").format(
                robustness=_(v["robustness"]), share=f"{v['share']:.0%}"
            )
        )
    else:
        parts.append(_(v["robustness"]))
    return _(", ").join(parts)


def names(scenarios: list[str], lang: str) -> str:
    return i18n.listing([scenario_label(s, lang) for s in scenarios], lang)


def _scenario(v: Mapping[str, Any]) -> str:
    return parse_key(v["key"])[1]
