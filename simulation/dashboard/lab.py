"""The policy lab: a scenario of one's own, made in the dashboard, saved as a scenario file, and
run against `internal_reform` over several seeds, in the background, as reform-compare runs it.

Saving writes `<folder>/<name>.yaml` (the user's scenarios folder: reform-class
--scenarios-dir, by default ~/.reform-dynamics/scenarios), a file every command can then use
(`scenarios_dir=FOLDER`, or `scenario=FOLDER/<name>.yaml`). A run is one `reform-compare` in a
process of its own, at low priority and on one worker, so the class's steps keep their speed;
its sweep (results, report and brief) is `<folder>/lab/<name>/`. One lab run at a time on a
server. Everything a page sends is checked here: the name, the description, each institution
and the seeds; a page can neither write outside the folder nor replace a file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simulation import scenarios
from simulation.config import ConfigError, check_value
from simulation.i18n import Said
from simulation.outputs import shown_in, with_totals
from simulation.parameters import Institutions

FOLDER = Path(os.environ.get("REFORM_SCENARIOS_DIR", "~/.reform-dynamics/scenarios")).expanduser()
BASELINE = "internal_reform"
SEEDS = (2, 10)  # the seeds a lab run may ask for: a band needs two, ten keep it quick
CITIZENS, STEPS = 2000, 120
MAX_FILES = 200  # scenario files the lab may write into its folder
INDICATORS = {o.name: o.words for o in shown_in("lab")}  # what the bands show: column -> panel
_running = threading.Lock()  # one lab run at a time on a server


class LabError(ValueError):
    """Something the lab refuses: a message of the catalogue with named values; `str()` is one
    line in English, `said` the record the page renders in its language."""

    def __init__(self, message: str, **values: Any):
        self.said = Said(message, values)
        super().__init__(message.format(**values))


def configure(folder: str | Path) -> None:
    global FOLDER
    FOLDER = Path(folder).expanduser()


def institution_names() -> list[str]:
    """The institutions a lab scenario switches: every switch of the table (not the numbers)."""
    return [
        f.name for f in fields(Institutions) if isinstance(getattr(Institutions(), f.name), bool)
    ]


def save(name: Any, description: Any, institutions: Mapping[str, Any]) -> Path:
    """Write the scenario `name` into the lab's folder and make it usable by name; refused (in
    one line) if a value is not one a scenario may hold or the name is taken."""
    if not isinstance(name, str) or not scenarios.NAME.fullmatch(name):
        raise LabError(
            "name: lowercase letters, digits and _, starting with a letter, at most 64 characters"
        )
    if name in scenarios.available() or (FOLDER / f"{name}.yaml").exists():
        raise LabError("name: a scenario called {name} already exists; choose another", name=name)
    FOLDER.mkdir(parents=True, exist_ok=True)
    if len(list(FOLDER.glob("*.yaml"))) >= MAX_FILES:
        raise LabError(
            "the folder {folder} already holds {n} scenarios", folder=FOLDER, n=MAX_FILES
        )
    block = {"name": name, "description": description, "institutions": _checked(institutions)}
    text = yaml.safe_dump(block, allow_unicode=True, sort_keys=False)
    try:
        scenarios.parse(text, name, f"{name}.yaml")  # exactly what every command will read
    except ConfigError as err:
        raise LabError("{error}", error=str(err).replace(f"{name}.yaml: ", "")) from None
    path = FOLDER / f"{name}.yaml"
    with open(path, "x", encoding="utf-8") as file:  # "x": never replaces a file
        file.write(text)
    scenarios.add_file(path)
    return path


def _checked(institutions: Mapping[str, Any]) -> dict[str, bool]:
    unknown = [k for k in institutions if k not in institution_names()]
    if unknown:
        raise LabError("{key}: not an institution a scenario sets", key=str(unknown[0])[:40])
    checked = {}
    for key, value in institutions.items():
        try:
            checked[key] = check_value(f"scenario.institutions.{key}", value)
        except ConfigError as err:
            raise LabError("{error}", error=str(err)) from None
    return checked


@dataclass
class LabRun:
    """One lab run: `reform-compare` of the scenario against internal_reform, in its own process."""

    name: str
    seeds: int
    folder: Path

    @property
    def sweep(self) -> Path:
        return self.folder / "lab" / self.name

    def total(self) -> int:
        return 2 * self.seeds

    def finished(self) -> int:
        return sum(1 for _ in self.sweep.rglob("summary.json")) if self.sweep.is_dir() else 0

    def command(self) -> list[str]:
        compare = Path(sys.executable).parent / "reform-compare"
        return [
            str(compare),
            f"scenarios_dir={self.folder}",
            f"scenarios=[{BASELINE},{self.name}]",
            f"seeds={self.seeds}",
            f"steps={STEPS}",
            f"population.citizens={CITIZENS}",
            f"population.enterprises={CITIZENS // 10}",
            "hydra.launcher.n_jobs=1",
            f"hydra.sweep.dir={self.sweep}",
        ]


def start(name: Any, seeds: Any) -> LabRun:
    """Start a lab run of a saved scenario (refused while another runs on this server)."""
    if not isinstance(name, str) or not (FOLDER / f"{name}.yaml").is_file():
        raise LabError("name: save the scenario first")
    if type(seeds) is not int or not SEEDS[0] <= seeds <= SEEDS[1]:
        raise LabError("seeds: a whole number from {low} to {high}", low=SEEDS[0], high=SEEDS[1])
    if not _running.acquire(blocking=False):
        raise LabError("another lab run is under way on this server; wait for it")
    return LabRun(name, seeds, FOLDER)


def run(lab: LabRun, tick: Any = lambda done, total: None, stop: Any = lambda: False) -> str:
    """Run it to the end (call from a background thread; start() took the lock); `tick`
    reports progress, `stop` ends it early. Returns "" or the one-line error."""
    try:
        with open(os.devnull, "w", encoding="utf-8") as quiet:
            proc = subprocess.Popen(
                ["nice", "-n", "19", *lab.command()],  # the class's steps first
                stdout=quiet,
                stderr=subprocess.PIPE,
                text=True,
                cwd=lab.folder,
            )
            while proc.poll() is None:
                tick(lab.finished(), lab.total())
                if stop():
                    proc.terminate()
                try:
                    proc.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    pass
            tick(lab.finished(), lab.total())
            error = (proc.stderr.read() if proc.stderr else "").strip().splitlines()
        return "" if proc.returncode == 0 else (error[-1] if error else f"exit {proc.returncode}")
    finally:
        _running.release()


def bands(sweep: Path) -> list[dict[str, Any]]:
    """Per scenario, indicator and month: the median of the seeds and their lowest and highest."""
    results = pd.read_parquet(sweep / "results.parquet")
    results = results[results["step"] >= -24]
    results = with_totals(results)
    rows = []
    for (scenario, month), group in results.groupby(["scenario", "step"]):
        for column, panel in INDICATORS.items():
            values = group[column]
            rows.append(
                {
                    "series": scenario,
                    "panel": panel,
                    "month": int(month),
                    "value": float(values.median()),
                    "low": float(values.min()),
                    "high": float(values.max()),
                }
            )
    return rows


def brief(sweep: Path, lang: str) -> str | None:
    """The comparison's one-page brief (self-contained HTML), in `lang` where written."""
    for page in (sweep / "report" / lang / "brief.html", sweep / "report" / "brief.html"):
        if page.is_file():
            return page.read_text(encoding="utf-8")
    return None
