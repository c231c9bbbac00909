"""The validation report: `<sweep>/report/index.html`, self-contained, in the comparison report's
style (its stylesheet is read from analysis/reports/templates/report.html.j2), with every figure
also as PNG and SVG and every table as CSV. Its words come from this sweep's numbers
(analysis.studies.claims), in English or Chinese (`lang`; simulation/i18n.py): the CSV files keep
English words and identifiers, whatever the language of the page."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.outcomes import OUTCOMES, interval_bounds
from analysis.reports import attached, validation_figures
from analysis.reports.calibration import fit_markdown, plot_fit
from analysis.reports.figures import save
from analysis.reports.report import TEMPLATES, render_template, replace_folder
from analysis.studies import claims, pull, robustness, study_sentences
from analysis.studies.phase import phase_table, regrowth_stops
from analysis.studies.sensitivity import screened
from analysis.words.formatting import share_down
from analysis.words.records import Joined, Later, Text, Words, _
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
    `lang`: the language of the page, its figures and the answer (en or zh), given only to what
    writes words: analysis.studies.claims, the figures and the template."""
    i18n.check(lang)
    sweep_dir = Path(sweep_dir)
    with tempfile.TemporaryDirectory(prefix=".report-", dir=sweep_dir) as tmp:
        out = Path(tmp) / "report"
        (out / "figures").mkdir(parents=True)
        page = sections(results, study, out)
        page.update(claim_words(page, results, study["threshold"], lang))
        page["figures"] = draw(page, results, study["threshold"], out / "figures", lang)
        page["verdicts"] = verdict_lines(page, study)
        page["answer"] = answer(page)
        page.update(context(sweep_dir, study, settings, commands, calibration or Calibration()))
        html = render_template("validation.html.j2", {"style": stylesheet(), **page}, lang)
        (out / "index.html").write_text(html, encoding="utf-8")
        replace_folder(out, sweep_dir / "report")
    return ValidationReport(sweep_dir / "report" / "index.html", Words(lang).text(page["answer"]))


def sections(results: dict[str, Any], study: dict[str, Any], out: Path) -> dict[str, Any]:
    """The stages' tables (also written as CSV), their words as records
    (analysis/words/records.py)."""
    page: dict[str, Any] = {"tables": {}}
    if "check" in results:
        fit, runs = results["check"]["fit"], results["check"]["runs"]
        fit.to_csv(out / "fit.csv", index=False)
        runs.to_csv(out / "check_runs.csv", index=False)
        page["fit_rows"] = fit.to_dict("records")
        page["scenario_rows"] = scenario_rows(runs)
        (out / "fit.md").write_text(fit_markdown(fit), encoding="utf-8")
    if "morris" in results:
        ind = results["morris"]["indices"]
        ind.to_csv(out / "morris.csv", index=False)
        page["morris_rows"] = morris_rows(ind)
        page["morris_undefined"] = int(ind["undefined_runs"].max())
        page["morris_factors"] = len(results["morris"]["factors"])
        page["morris_runs"] = int(
            (results["morris"]["runs"]["scenario"] == ind["scenario"].iloc[0]).sum()
        )
    if "sobol" in results:
        ind = results["sobol"]["indices"]
        ind.to_csv(out / "sobol.csv", index=False)
        page["sobol_rows"] = labelled(ind.round(3))
    if "phase" in results:
        table = phase_table(results["phase"]["runs"], OUTCOME_COLUMNS)
        table.to_csv(out / "phase.csv", index=False)
        stops = regrowth_stops(table, study["threshold"])
        stops.to_csv(out / "phase_regrowth_stops.csv", index=False)
        page["phase_table"] = table
        page["phase_stops"] = stops.to_dict("records")
    if "prim" in results:
        box = results["prim"]["box"]
        box.box.to_csv(out / "prim_box.csv", index=False)
        box.trajectory.to_csv(out / "prim_trajectory.csv", index=False)
        page["prim"] = box
    if "pull" in results:
        table = pull.pull_table(results["pull"]["runs"], pull.PULLED, study["level"])
        spread = pull.spreads(table)
        table.to_csv(out / "pull.csv", index=False)
        spread.to_csv(out / "pull_spread.csv", index=False)
        page.update(pull_table=table, pull_spread=spread, pull_rows=labelled(spread))
    if "robustness" in results:
        table = results["robustness"]["table"]
        table.to_csv(out / "robustness.csv", index=False)
        (out / "robustness.json").write_text(attached.study_size(study), encoding="utf-8")
        page["robustness"] = table
        page["robustness_rows"] = robustness_rows(table, study)
        page["robustness_factors"] = len(results["robustness"]["factors"])
    page["parameter_rows"] = parameter_rows(results)
    return page


def claim_words(
    page: dict[str, Any], results: dict[str, Any], threshold: float, lang: str
) -> dict[str, Any]:
    """What analysis.studies.claims judges and writes (in `lang`, by itself): the claims, the facts,
    and the conditions in the report's order (check, phase, PRIM, then sensitivity)."""
    said: dict[str, Any] = {"claims": [], "conditions": []}
    if "check" in results:
        runs = results["check"]["runs"]
        said["fact_sentence"] = claims.fact_sentence(results["check"]["fit"], lang)
        said["claims"] = claims.check_claims(runs, threshold, lang)
        said["conditions"] += claims.alone_sentences(runs, threshold, lang)
    sensitivity = claims.sensitivity_sentence(
        results.get("sobol", {}).get("indices"),
        results.get("morris", {}).get("indices"),
        threshold,
        lang,
    )
    if "morris" in results:
        morris = results["morris"]
        screening = claims.screening_sentences(
            morris["runs"], len(morris["factors"]), threshold, lang
        )
        sensitivity = [*screening, *sensitivity]
    if "phase" in results:
        said["conditions"] += claims.phase_sentences(page["phase_table"], threshold, lang)
    if "prim" in results:
        said["prim_sentence"] = claims.prim_sentence(results["prim"]["box"], threshold, lang)
        said["conditions"].append(said["prim_sentence"])
    said["conditions"] += sensitivity
    if "pull" in results:
        said["pull_sentences"] = study_sentences.pull_sentences(page["pull_spread"], lang)
    return said


def draw(
    page: dict[str, Any], results: dict[str, Any], threshold: float, figs: Path, lang: str
) -> dict[str, str]:
    """Every figure of the stages that ran, its words in `lang`: the one place they are drawn."""
    drawn, words = {}, Words(lang)
    if "check" in results:
        fit = results["check"]["fit"]
        drawn["fit"] = _figure_file(figs, "fit", lambda f: plot_fit(fit, None, f, lang))
    if "morris" in results:
        ind = results["morris"]["indices"]
        drawn["morris"] = save(validation_figures.morris_figure(ind, words=words), figs, "morris")
    if "sobol" in results:
        ind = results["sobol"]["indices"]
        drawn["sobol"] = save(validation_figures.sobol_figure(ind, words), figs, "sobol")
    if "phase" in results:
        figure = validation_figures.phase_figure(page["phase_table"], threshold, words)
        drawn["phase"] = save(figure, figs, "phase")
    if "prim" in results:
        box, bounds = results["prim"]["box"], results["prim"]["bounds"]
        drawn["prim"] = save(validation_figures.prim_figure(box, bounds, words), figs, "prim")
    if "pull" in results:
        drawn["pull"] = save(
            validation_figures.pull_figure(page["pull_table"], words), figs, "pull"
        )
    return drawn


def robustness_rows(table: pd.DataFrame, study: dict[str, Any]) -> list[dict]:
    """robustness.csv's rows with their badge; the verdict, the box and the shares as records,
    in the page's words (the CSV keeps English: reform-report reads it)."""
    rows = []
    for r in table.to_dict("records"):
        # the label judges the share's interval (robust, fragile, undetermined), not the share
        said = r.get("label")
        badge = (
            said
            if isinstance(said, str)
            else robustness.badge(r["share_holding"], study["robust_share"])
        )
        row = {**r, "badge": badge}
        row.update(
            claim=robustness.claim_text(r["key"], r["verdict"]),
            rests_on=Later(robustness.rests_on_text, (r["rests_on"],)),
            shares=Later(robustness.shares_text, (r["shares"],)),
        )
        rows.append(row)
    return rows


def labelled(table: pd.DataFrame) -> list[dict]:
    """A table's rows, each with its outcome's label in the page's words."""
    return [
        {**r, "outcome_label": Later(outcome_label, (r["outcome"],))}
        for r in table.to_dict("records")
    ]


def outcome_label(outcome: str, lang: str = "en") -> str:
    """An outcome as a table cell: its name in English (as the CSV files have it), its label in
    another language."""
    if lang == "en" or outcome not in OUTCOMES:
        return outcome
    return i18n.Words(lang)(OUTCOMES[outcome].caption)


# one-word column headers: in another language each is the word in msgctxt "column", since the
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
    the word in English, the catalogue's `word` in msgctxt `key` in another language."""
    return word if lang == "en" else i18n.Words(lang).term(key, word)


def met_words() -> dict[bool, Later]:
    """The `met` column's yes and no. reform.po's "yes" and "no" say whether paper compliance
    showed (有/无), so another language reads messages of its own ('met: yes')."""
    return {True: Later(said, ("met", "yes")), False: Later(said, ("met", "no"))}


def _figure_file(folder: Path, name: str, draw) -> str:
    import base64
    import io

    buffer = io.BytesIO()
    draw(buffer)
    (folder / f"{name}.png").write_bytes(buffer.getvalue())
    return base64.b64encode(buffer.getvalue()).decode()


def scenario_rows(runs: pd.DataFrame) -> list[dict[str, Any]]:
    """Per scenario of the check: mean and CI of the outcomes the claims use."""
    from analysis.measures.stats import estimate

    rows = []
    for s, part in runs.groupby("scenario", sort=False):
        row: dict[str, Any] = {"scenario": s, "n": len(part)}
        for o in shown_in("claims", "validation"):
            row[o.name] = estimate(part[o.name], bounds=interval_bounds(o))
        rows.append(row)
    return rows


def morris_rows(ind: pd.DataFrame, top: int = 8) -> list[dict[str, Any]]:
    """Per scenario and outcome, the factors ranked by mu*."""
    rows = []
    for (s, o), part in ind.groupby(["scenario", "outcome"], sort=False):
        ranked = part.sort_values("mu_star", ascending=False).head(top)
        rows.append(
            {
                "scenario": s,
                "outcome": o,
                "outcome_label": Later(outcome_label, (o,)),
                "factors": [
                    (f.split(".", 1)[-1], m, c, sg)
                    for f, m, c, sg in zip(
                        ranked["factor"], ranked["mu_star"], ranked["mu_star_conf"], ranked["sigma"]
                    )
                ],
            }
        )
    return rows


def parameter_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Where each screened parameter comes from, and how much it matters (max scaled mu*, max ST).
    `kind` stays the English word (the template translates it); `note` a record."""
    from analysis.reports.assumptions import parameter_note, parameter_notes

    origins = parameter_notes()  # the kind is read from the English note
    morris = results.get("morris", {}).get("indices")
    sobol = results.get("sobol", {}).get("indices")
    rows = []
    for name in screened():
        note = parameter_note(name)
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
                "kind_label": Later(said, ("origin", kind)),
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


def answer(page: dict[str, Any]) -> Text:
    """The opening, from the numbers: one line per verdict with its badges, then the facts."""
    lines: list[Any] = [
        Joined(
            "",
            (
                "- [",
                _("{verdict}; {robustness}").format(
                    verdict=_(v["verdict"]), robustness=_(v["robustness"])
                ),
                f" {share_down(v['share'])}" if v["share"] == v["share"] else "",
                f"] {v['text']}",
            ),
        )
        for v in page["verdicts"]
    ]
    if not lines and "robustness_rows" in page:  # the robustness stage alone
        lines = [
            Joined("", ("- [", _(r["badge"]), f" {share_down(r['share_holding'])}] ", r["claim"]))
            for r in page["robustness_rows"]
        ]
    if "fact_sentence" in page:
        lines.append(page["fact_sentence"])
    if lines:
        return Joined("\n", tuple(lines))
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
) -> dict[str, Any]:
    """What the report says of the sweep itself; its words records (analysis/words/records.py)."""
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
        "verdict_rule": Later(claims.verdict_rule),
        "met_words": met_words(),
        "column": {word: Later(said, ("column", word)) for word in COLUMNS},
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
