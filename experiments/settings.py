"""The commands' own settings, declared as the parameter table is (simulation/parameters.py): each
command's schema extends the table with its keys, and Hydra composes it as a structured config, so
a wrong type or an unknown key is refused natively; ranges come from each field's bound
(simulation/config.py). The YAML files of experiments/conf/ hold Hydra's settings and the presets'
differences; the defaults and what each key means live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.measures.thresholds import CAME_BACK, ROBUST_SHARE
from analysis.studies import claims
from experiments.targets import TARGETS
from simulation import scenarios
from simulation.parameters import Bound, Parameters, param

ONE_UP = Bound(1, 1e9)
OPEN_SHARE = Bound(0.0, 1.0, above=True, below=True)
# the validation's check runs every scenario its claims and stylized facts are judged in
JUDGED = scenarios.ordered(
    {claims.INTERNAL, *claims.ALONE, claims.CLEAN, claims.BOTH, *(t.scenario for t in TARGETS)}
)


def setting(default: Any, doc: str, valid: Bound | None = None) -> Any:
    """A command's setting (not a model parameter: no origin, no plausible range)."""
    return param(default, doc, origin="setting", **({"valid": valid} if valid else {}))


def listed(default: list[str], doc: str) -> Any:
    return param(list(default), doc, origin="setting")


# fmt: off
@dataclass(frozen=True)
class ReportSettings:
    horizon: Any = setting("auto", "months after a cut in which regrowth counts: 'auto' (60, at most half the run) or a whole number")
    level: float = setting(0.95, "confidence level of every interval", OPEN_SHARE)
    robustness: str | None = setting(None, "a reform-validate sweep whose robustness stage ran: mark each verdict robust, fragile or not assessed")
    lang: str = setting("en", "language of the report and the brief: en or zh")


@dataclass(frozen=True)
class CompareSettings(Parameters):
    seeds: int = setting(10, "replicates per scenario: seeds seed .. seed+seeds-1 (common random numbers)", Bound(1, 10_000))
    scenarios: Any = setting("all", "'all' or a list, e.g. [internal_reform, pressure_and_technology]")
    report: ReportSettings = field(default_factory=ReportSettings)
    batch_size: int | None = setting(None, "jobs handed to the launcher at once; null: all", ONE_UP)
    factors: Any = setting(None, "parameters swept as factors, {key: [values]}: written as Hydra writes a sweep (campaigns.interval_months=24,36), every scenario runs at every combination")


@dataclass(frozen=True)
class StudySettings:
    seed: int = setting(0, "first replicate seed; also seeds the samples (Morris, Saltelli, Latin hypercube)", Bound(0, 2**31))
    citizens: int = setting(2_000, "simulated citizens of the sensitivity, phase and PRIM runs", Bound(1, 5_000_000))
    enterprises: int = setting(200, "simulated enterprises of those runs", Bound(1, 1_000_000))
    steps: int = setting(96, "months after the launch of those runs (campaigns every 60 months: the second cut is inside)", Bound(36, 2400))
    check_scenarios: list[str] = listed(JUDGED, "scenarios of the calibration check (by default those the claims and stylized facts are judged in)")
    check_seeds: int = setting(3, "replicates of the calibration check, at the table's population", Bound(1, 1000))
    check_steps: int = setting(120, "months after the launch of the calibration check", Bound(120, 2400))
    sensitivity_scenarios: list[str] = listed(["internal_reform"], "scenarios of the Morris screening")
    morris_trajectories: int = setting(2, "Morris trajectories (runs = trajectories x (screened parameters + 1) per scenario)", Bound(2, 1000))
    morris_levels: int = setting(4, "Morris grid levels", Bound(2, 20))
    sobol_n: int = setting(8, "Saltelli base sample (a power of 2); runs = n x (factors + 2) per outcome and scenario", Bound(2, 65536))
    sobol_factors: int = setting(3, "per outcome, its most influential factors of the Morris screening", Bound(2, 20))
    sobol_scenarios: list[str] = listed(["internal_reform"], "scenarios of the Sobol analysis (among sensitivity_scenarios)")
    phase_scenario: str = setting("pressure_and_technology", "institutions of the phase diagram and PRIM runs")
    phase_size: int = setting(8, "phase grid of phase_size x phase_size cells", Bound(2, 50))
    phase_seeds: int = setting(2, "replicates per phase cell", Bound(1, 100))
    max_pressure: float = setting(1.0, "phase grid: pressure strength 0 .. this x the table's value", Bound(0, 10, above=True))
    prim_max_pressure: float = setting(0.5, "PRIM: pressure strength 0 .. this x the table's value", Bound(0, 10, above=True))
    prim_runs: int = setting(64, "Latin hypercube over pressure, technology and the PRIM factors", Bound(20, 100_000))
    prim_factors: list[str] = listed(
        ["departments.self_interest_mean", "departments.resistance", "regrowth.restore_annual",
         "regrowth.self_interest_items_annual", "regrowth.penalty", "regrowth.deterrence_sensitivity",
         "departments.functional_cost", "departments.pressure_memory",
         "supervision.traceability_paper", "supervision.traceability_digital", "regrowth.hiding_cost"],
        "screened parameters the PRIM runs vary")
    pull_factors: list[str] = listed(["staffing.split_annual", "staffing.empire_split_share"], "pull: parameters varied one at a time over their plausible range, the others at the table's values")
    pull_levels: int = setting(3, "pull: values per parameter, evenly spaced over its plausible range, ends included", Bound(2, 50))
    pull_seeds: int = setting(2, "pull: replicates per value and scenario (the same seeds in every scenario)", Bound(1, 100))
    pull_scenarios: list[str] = listed(["pressure_and_technology", "internal_reform"], "pull: scenarios the parameters' pull is measured in")
    history_targets: list[str] = listed(["round_depth", "bodies_growth", "zhejiang_items_fall_5y"], "history: the record's targets matched (analysis/studies/record.py; a scenario's runs last as long as its longest target needs: 60 months for these, 120 with items_cut_share_10y; realisation_2017 and satisfaction_2017 add runs of pressure_and_technology)")
    history_citizens: int = setting(300, "history: simulated citizens of its runs", Bound(1, 5_000_000))
    history_enterprises: int = setting(30, "history: simulated enterprises of its runs", Bound(1, 1_000_000))
    history_design: int = setting(10, "history: runs per wave (each over history_replicates seeds)", Bound(8, 100_000))
    history_waves: int = setting(2, "history: most waves (they stop earlier when the region stops shrinking)", Bound(1, 50))
    history_warmup: int = setting(24, "history: months of status quo before the launch in its runs (the table's 60 in the full study)", Bound(0, 600))
    history_replicates: int = setting(1, "history: seeds per design point", Bound(1, 100))
    history_candidates: int = setting(5000, "history: uniform candidates per batch (the region's sample and share)", Bound(100, 10_000_000))
    history_cutoff: float = setting(3.0, "history: implausibility cut-off (never loosened)", Bound(0, 100, above=True))
    history_active: int = setting(4, "history: active inputs per target, the largest mu* of the Morris screening", Bound(1, 100))
    history_identifiability: bool = setting(True, "history: first match targets the model made at the table's values (identifiability.csv)")
    robustness_draws: int = setting(12, "robustness: worlds: drawn from the history region when the history stage ran, else a Latin hypercube over the assumed parameters' plausible ranges", Bound(2, 100_000))
    robustness_seeds: int = setting(1, "robustness: replicates per scenario under each draw (the same seeds in every scenario)", Bound(1, 100))
    robustness_scenarios: list[str] = listed(scenarios.available(), "robustness: the scenarios whose verdicts are judged")
    robust_share: float = setting(ROBUST_SHARE, "robustness: the robust line: a verdict whose share's Wilson 95 % interval lies above it is 'robust', below it 'fragile', across it 'undetermined'", OPEN_SHARE)
    threshold: float = setting(CAME_BACK, "item rebound ratio below which regrowth counts as stopped (analysis/measures/thresholds.py: the one line every report uses)", OPEN_SHARE)
    min_density: float = setting(0.8, "PRIM: the box of highest coverage with at least this density", OPEN_SHARE)
    level: float = setting(0.95, "confidence level of every interval", OPEN_SHARE)


@dataclass(frozen=True)
class ValidationReportSettings:
    # the comparison's ReportSettings holds keys that mean nothing here (horizon, robustness):
    # the same `report.lang` key, on its own
    lang: str = setting("en", "language of the validation report: en or zh (rerun on a finished sweep to re-render it)")


@dataclass(frozen=True)
class ValidateSettings(Parameters):
    mode: str = setting("quick", "quick or full (the preset validate_full)")
    stages: list[str] = listed(["check", "morris", "sobol", "phase", "prim", "pull", "history", "robustness"], "stages to run, in order")
    calibration: str | None = setting(None, "a calibration file (reform-calibrate's calibration.yaml) applied over the table")
    batch_size: int | None = setting(None, "jobs handed to the launcher at once; null: all", ONE_UP)
    study: StudySettings = field(default_factory=StudySettings)
    report: ValidationReportSettings = field(default_factory=ValidationReportSettings)


@dataclass(frozen=True)
class CalibrationSettings:
    seeds: int = setting(3, "replicates per trial, seeds seed .. seed+seeds-1 (common random numbers across trials)", Bound(1, 1000))
    check_seeds: int = setting(10, "fresh replicates (seeds 1000 ..) on which the best trial's fit is reported", Bound(1, 1000))
    digits: int = setting(3, "significant digits the calibrated values are rounded to before the check", Bound(1, 1000))
    install: bool = setting(False, "true: also write experiments/calibration/calibrated.yaml (refused if it exists)")


@dataclass(frozen=True)
class CalibrateSettings(Parameters):
    calibration: CalibrationSettings = field(default_factory=CalibrationSettings)
# fmt: on


# each command's config file -> its schema (the file's defaults list names it as `<name>_schema`)
SCHEMAS: dict[str, type] = {
    "run": Parameters,
    "compare": CompareSettings,
    "validate": ValidateSettings,
    "validate_full": ValidateSettings,
    "calibrate": CalibrateSettings,
}


def register() -> None:
    """Each schema as a structured config (`run_schema`, `compare_schema`, ...), and the
    scenario files as the options of the `scenario` group (ScenarioGroup): Hydra never reads a
    scenario file itself, and reads none that the command does not use."""
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    for name, schema in SCHEMAS.items():
        store.store(name=f"{name}_schema", node=_writable(schema))
    store.repo["scenario"] = ScenarioGroup()


class ScenarioGroup(dict):
    """The `scenario` group of Hydra's ConfigStore, filled as Hydra asks for an option.

    Its options are the files of scenarios/, listed by name; a file is read, through
    simulation.scenarios.load (plain data, checked), only when a command composes it. So one bad
    file in the folder breaks no command that does not use it, and a command that does gets one
    line naming the file. (Hydra's ConfigStore walks its groups as dicts: `in`, `[]`, `keys`.)"""

    def keys(self) -> list[str]:  # type: ignore[override]
        return [f"{name}.yaml" for name in scenarios.available()]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def __contains__(self, option: object) -> bool:
        return isinstance(option, str) and option in self.keys()

    def __getitem__(self, option: str) -> Any:
        from hydra.core.config_store import ConfigNode
        from omegaconf import OmegaConf

        if option not in self:
            raise KeyError(option)
        if not dict.__contains__(self, option):
            node = OmegaConf.create(scenarios.load(option.removesuffix(".yaml")))
            dict.__setitem__(
                self,
                option,
                ConfigNode(name=option, node=node, group="scenario", package=None, provider=None),
            )
        return dict.__getitem__(self, option)


def _writable(schema: type) -> Any:
    """The schema as a structured config that overrides may change: OmegaConf marks a frozen
    dataclass read-only, node by node; the typing and the struct flag stay."""
    from omegaconf import DictConfig, ListConfig, OmegaConf

    def unlock(node: Any) -> None:
        OmegaConf.set_readonly(node, False)
        if isinstance(node, DictConfig):
            for key in node:
                child = node._get_node(key)
                if isinstance(child, DictConfig | ListConfig):
                    unlock(child)

    node = OmegaConf.structured(schema)
    unlock(node)
    return node
