"""The validation report: `<sweep>/report/index.html`, self-contained, in the comparison report's
style (its stylesheet is read from analysis/templates/report.html.j2), with every figure also as
PNG and SVG and every table as CSV. Its words come from this sweep's numbers (analysis.claims), in
English or Chinese (`lang`; simulation/i18n.py): the CSV files keep English words and identifiers,
whatever the language of the page."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import claims, robustness, validation_figures
from analysis.calibration import fit_markdown, plot_fit
from analysis.figures import save
from analysis.formatting import share_down
from analysis.outcomes import OUTCOMES
from analysis.phase import phase_table, regrowth_stops
from analysis.report import TEMPLATES, render_template, replace_folder
from analysis.sensitivity import screened
from simulation import i18n
from simulation.config import lookup
from simulation.outputs import shown_in

OUTCOME_COLUMNS = list(OUTCOMES)


@dataclass
class ValidationReport:
    path: Path
    answer: str


def build_validation_report(
    sweep_dir: Path,
    results: dict[str, Any],
    study: dict[str, Any],
    settings: dict[str, Any],
    commands: list[str],
    calibration: Calibration | None = None,
    lang: str = "en",
) -> ValidationReport:
    """Analyse the stages' results and write the report folder (replacing an older one whole).
    `calibration`: the calibration in force, to say whether the parameter table holds it;
    `lang`: the language of the page, its figures and the answer (en or zh)."""
    i18n.check(lang)
    sweep_dir = Path(sweep_dir)
    with tempfile.TemporaryDirectory(prefix=".report-", dir=sweep_dir) as tmp:
        out = Path(tmp) / "report"
        (out / "figures").mkdir(parents=True)
        page = sections(results, study, out, lang)
        page.update(
            context(sweep_dir, study, settings, commands, calibration or Calibration(), lang)
        )
        (out / "index.html").write_text(render(page, lang), encoding="utf-8")
        replace_folder(out, sweep_dir / "report")
    return ValidationReport(sweep_dir / "report" / "index.html", page["answer"])


def sections(
    results: dict[str, Any], study: dict[str, Any], out: Path, lang: str = "en"
) -> dict[str, Any]:
    threshold = study["threshold"]
    page: dict[str, Any] = {"figures": {}, "claims": [], "conditions": [], "tables": {}}
    figs = out / "figures"
    if "check" in results:
        fit, runs = results["check"]["fit"], results["check"]["runs"]
        fit.to_csv(out / "fit.csv", index=False)
        runs.to_csv(out / "check_runs.csv", index=False)
        page["fit_rows"] = fit.to_dict("records")
        page["fact_sentence"] = claims.fact_sentence(fit, lang)
        page["claims"] = claims.check_claims(runs, threshold, lang)
        page["conditions"] += claims.alone_sentences(runs, threshold, lang)
        page["scenario_rows"] = scenario_rows(runs)
        page["figures"]["fit"] = _figure_file(figs, "fit", lambda f: plot_fit(fit, None, f, lang))
        (out / "fit.md").write_text(fit_markdown(fit), encoding="utf-8")
    if "morris" in results:
        ind = results["morris"]["indices"]
        ind.to_csv(out / "morris.csv", index=False)
        page["figures"]["morris"] = save(
            validation_figures.morris_figure(ind, lang=lang), figs, "morris"
        )
        page["morris_rows"] = morris_rows(ind, lang=lang)
        page["morris_undefined"] = int(ind["undefined_runs"].max())
        page["morris_factors"] = len(results["morris"]["factors"])
        page["morris_runs"] = int(
            (results["morris"]["runs"]["scenario"] == ind["scenario"].iloc[0]).sum()
        )
    if "sobol" in results:
        ind = results["sobol"]["indices"]
        ind.to_csv(out / "sobol.csv", index=False)
        page["figures"]["sobol"] = save(validation_figures.sobol_figure(ind, lang), figs, "sobol")
        page["sobol_rows"] = [
            {**r, "outcome_label": outcome_label(r["outcome"], lang)}
            for r in ind.round(3).to_dict("records")
        ]
    sensitivity = claims.sensitivity_sentence(
        results.get("sobol", {}).get("indices"),
        results.get("morris", {}).get("indices"),
        threshold,
        lang,
    )
    if "morris" in results:
        sensitivity = [
            *claims.screening_sentences(
                results["morris"]["runs"], len(results["morris"]["factors"]), threshold, lang
            ),
            *sensitivity,
        ]
    if "phase" in results:
        table = phase_table(results["phase"]["runs"], OUTCOME_COLUMNS)
        table.to_csv(out / "phase.csv", index=False)
        stops = regrowth_stops(table, threshold)
        stops.to_csv(out / "phase_regrowth_stops.csv", index=False)
        page["figures"]["phase"] = save(
            validation_figures.phase_figure(table, threshold, lang), figs, "phase"
        )
        page["phase_stops"] = stops.to_dict("records")
        page["conditions"] += claims.phase_sentences(table, threshold, lang)
    if "prim" in results:
        box, bounds = results["prim"]["box"], results["prim"]["bounds"]
        box.box.to_csv(out / "prim_box.csv", index=False)
        box.trajectory.to_csv(out / "prim_trajectory.csv", index=False)
        page["figures"]["prim"] = save(
            validation_figures.prim_figure(box, bounds, lang), figs, "prim"
        )
        page["prim"] = box
        page["prim_sentence"] = claims.prim_sentence(box, threshold, lang)
        page["conditions"].append(page["prim_sentence"])
    page["conditions"] += sensitivity
    if "robustness" in results:
        table = results["robustness"]["table"]
        table.to_csv(out / "robustness.csv", index=False)
        (out / "robustness.json").write_text(study_size(study), encoding="utf-8")
        page["robustness"] = table
        page["robustness_rows"] = robustness_rows(table, study, lang)
        page["robustness_factors"] = len(results["robustness"]["factors"])
    page["verdicts"] = verdict_lines(page, study)
    page["answer"] = answer(page, lang)
    page["parameter_rows"] = parameter_rows(results, lang)
    return page


def study_size(study: dict[str, Any]) -> str:
    """robustness.json: the size of the robustness stage, read by a comparison report that
    attaches its table (analysis.attached), wherever the CSV is copied."""
    import json

    from analysis.robustness import CAME_BACK

    return json.dumps(
        {
            "worlds": study["robustness_draws"],
            "seeds": study["robustness_seeds"],
            "citizens": study["citizens"],
            "enterprises": study["enterprises"],
            "months": study["steps"],
            "came_back": CAME_BACK,
        }
    )


def robustness_rows(table: pd.DataFrame, study: dict[str, Any], lang: str = "en") -> list[dict]:
    """robustness.csv's rows with their badge; in another language than English, the verdict, the
    box and the shares in its words (the CSV keeps English: reform-report reads it)."""
    rows = []
    for r in table.to_dict("records"):
        row = {**r, "badge": robustness.badge(r["share_holding"], study["robust_share"])}
        if lang != "en":
            row.update(
                claim=robustness.claim_text(r["key"], r["verdict"], lang),
                rests_on=robustness.rests_on_text(r["rests_on"], lang),
                shares=robustness.shares_text(r["shares"], lang),
            )
        rows.append(row)
    return rows


def outcome_label(outcome: str, lang: str = "en") -> str:
    """An outcome as a table cell: its name in English (as the CSV files have it), its label in
    another language."""
    if lang == "en" or outcome not in OUTCOMES:
        return outcome
    return i18n.t(lang)(OUTCOMES[outcome].label)


# one-word column headers: in another language each is the message "column: <word>", since the
# word alone means other things elsewhere ("error" of a failed run, "kind" of a cascade change)
COLUMNS = (
    "fact",
    "observed",
    "error",
    "tolerance",
    "met",
    "source",
    "claim",
    "verdict",
    "runs",
    "outcome",
    "factor",
    "parameter",
    "kind",
)


def said(key: str, word: str, lang: str = "en") -> str:
    """An English word of the report's own (a column, a parameter's origin) as a reader sees it:
    the word in English, the catalogue's message '<key>: <word>' in another language."""
    if lang == "en":
        return word
    message = f"{key}: {word}"
    text = i18n.t(lang)(message)
    return word if text == message else text


def met_words(lang: str = "en") -> dict[bool, str]:
    """The `met` column's yes and no. reform.po's "yes" and "no" say whether paper compliance
    showed (有/无), so another language reads messages of its own."""
    if lang == "en":
        return {True: "yes", False: "no"}
    _ = i18n.t(lang)
    return {True: _("met: yes"), False: _("met: no")}


def _figure_file(folder: Path, name: str, draw) -> str:
    import base64
    import io

    buffer = io.BytesIO()
    draw(buffer)
    (folder / f"{name}.png").write_bytes(buffer.getvalue())
    return base64.b64encode(buffer.getvalue()).decode()


def scenario_rows(runs: pd.DataFrame) -> list[dict[str, Any]]:
    """Per scenario of the check: mean and CI of the outcomes the claims use."""
    from analysis.stats import estimate

    rows = []
    for s, part in runs.groupby("scenario", sort=False):
        row: dict[str, Any] = {"scenario": s, "n": len(part)}
        for o in shown_in("claims", "validation"):
            bounds = claims.RATIO if o.unit in ("ratio", "share") else None  # growth is unbounded
            row[o.name] = estimate(part[o.name], bounds=bounds)
        rows.append(row)
    return rows


def morris_rows(ind: pd.DataFrame, top: int = 8, lang: str = "en") -> list[dict[str, Any]]:
    """Per scenario and outcome, the factors ranked by mu*."""
    rows = []
    for (s, o), part in ind.groupby(["scenario", "outcome"], sort=False):
        ranked = part.sort_values("mu_star", ascending=False).head(top)
        rows.append(
            {
                "scenario": s,
                "outcome": o,
                "outcome_label": outcome_label(o, lang),
                "factors": [
                    (f.split(".", 1)[-1], m, c, sg)
                    for f, m, c, sg in zip(
                        ranked["factor"], ranked["mu_star"], ranked["mu_star_conf"], ranked["sigma"]
                    )
                ],
            }
        )
    return rows


def parameter_rows(results: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """Where each screened parameter comes from, and how much it matters (max scaled mu*, max ST).
    `kind` stays the English word (the template translates it); `note` is in `lang`."""
    from analysis.assumptions import parameter_notes

    origins = parameter_notes()  # the kind is read from the English note
    notes = parameter_notes(lang)
    morris = results.get("morris", {}).get("indices")
    sobol = results.get("sobol", {}).get("indices")
    rows = []
    for name in screened():
        note = notes.get(name, "")
        english = origins.get(name, "")
        kind = (
            "calibrated"
            if "calibrated" in english
            else "assumed"
            if "assumed" in english
            else "source"
        )
        mu = (
            morris[morris["factor"] == name]["mu_star_scaled"].max()
            if morris is not None
            else float("nan")
        )
        st = (
            sobol[sobol["factor"] == name]["ST"].max()
            if sobol is not None and name in set(sobol["factor"])
            else None
        )
        rows.append(
            {
                "name": name,
                "note": note,
                "kind": kind,
                "kind_label": said("origin", kind, lang),
                "mu": mu,
                "st": st,
            }
        )
    return sorted(rows, key=lambda r: -(r["mu"] if pd.notna(r["mu"]) else -1))


def verdict_lines(page: dict[str, Any], study: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per claim: its verdict, and how robust it is to the assumptions (the share of
    plausible worlds that give the same verdict, when the robustness stage ran)."""
    table = page.get("robustness")
    lines = []
    for n, c in enumerate(page["claims"]):
        word = {"supported": "holds", "not supported": "fails"}.get(c.verdict)
        share = (
            robustness.share_of(table, f"claim/{n}", word) if word else float("nan")
        )  # an inconclusive verdict has no robustness
        lines.append(
            {
                "text": c.claim,
                "verdict": c.verdict,
                "robustness": robustness.badge(share, study["robust_share"]),
                "share": share,
                "evidence": c.evidence,
            }
        )
    return lines


def answer(page: dict[str, Any], lang: str = "en") -> str:
    """The opening, from the numbers: one line per verdict with its badges, then the facts."""
    _ = i18n.t(lang)
    lines = [
        "- ["
        + _("{verdict}; {robustness}").format(
            verdict=_(v["verdict"]), robustness=_(v["robustness"])
        )
        + (f" {share_down(v['share'])}" if v["share"] == v["share"] else "")
        + f"] {v['text']}"
        for v in page["verdicts"]
    ]
    if not lines and "robustness_rows" in page:  # the robustness stage alone
        lines = [
            f"- [{_(r['badge'])} {share_down(r['share_holding'])}] {r['claim']}"
            for r in page["robustness_rows"]
        ]
    if "fact_sentence" in page:
        lines.append(page["fact_sentence"])
    if lines:
        return "\n".join(lines)
    if page["figures"] or page["conditions"]:  # e.g. the phase stage alone: no verdict to list
        return _(
            "No claim was judged (the check and robustness stages did not run); see the report."
        )
    return _("No stage was run.")


@dataclass(frozen=True)
class Calibration:
    """The calibration in force: where it is written, and the values it sets (dotted keys)."""

    file: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def context(
    sweep_dir: Path,
    study: dict[str, Any],
    settings: dict[str, Any],
    commands: list[str],
    calibration: Calibration,
    lang: str = "en",
) -> dict[str, Any]:
    from simulation.parameters import defaults

    table = defaults()
    calibrated = calibration.values
    differ = {
        k: (v, lookup(table, k, None)) for k, v in calibrated.items() if lookup(table, k, None) != v
    }
    return {
        "sweep": sweep_dir.name,  # not the machine's path: reports are committed and shared
        "study": study,
        "mode": settings["mode"],
        "commands": list(dict.fromkeys(map(without_machine_paths, commands))),
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "verdict_rule": claims.verdict_rule(lang),
        "met_words": met_words(lang),
        "column": {word: said("column", word, lang) for word in COLUMNS},
        "calibration_file": calibration.file,
        "table_differs": differ,
        "population": settings["base"]["population"],
    }


def without_machine_paths(command: str) -> str:
    """A command as the report shows it: an absolute folder (`hydra.sweep.dir=/tmp/x/study`) by
    its last part (`hydra.sweep.dir=study`), so that a committed report names no path of the
    machine that built it."""
    return re.sub(r"(=)(/[^\s]*/)([^/\s]+)/?(?=\s|$)", r"\1\3", command)


def stylesheet() -> str:
    """The comparison report's <style> block, so both reports look alike."""
    text = (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    match = re.search(r"<style>.*?</style>", text, re.S)
    return match.group(0) if match else ""


def render(page: dict[str, Any], lang: str = "en") -> str:
    return render_template("validation.html.j2", {"style": stylesheet(), **page}, lang)
