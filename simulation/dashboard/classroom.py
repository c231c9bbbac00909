"""The model a class drives: one ReformModel built from the dashboard's controls, warmed up to
the reform launch, with an `internal_reform` twin on the same seed to compare against.

Reset rebuilds the model as `type(model)(**controls)` (controls.py; Mesa's SolaraViz adds
`scenario=...`), so every control is a keyword argument here. Nothing in this file knows about
the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulation import scenarios
from simulation.config import merge, nest
from simulation.dashboard.model_params import (
    AS_SCENARIO,
    DEFAULTS,
    ON,
    SWITCHES,
    TABLE_KEYS,
    checked_settings,
)
from simulation.model import ReformModel
from simulation.parameters import ENTRIES

BASELINE = "internal_reform"
# A class watches at most fifty years after the launch; then the model stops (as at the end of
# a NetLogo run), so that Play cannot run, and grow its tables, for ever.
LAST_MONTH = 600


def scenario_names() -> list[str]:
    return scenarios.available()


def load_scenario(name: str) -> dict[str, Any]:
    return scenarios.load(name)


def build_config(settings: dict[str, Any], scenario: str | None = None) -> dict[str, Any]:
    """A ReformModel config from the controls; `scenario` replaces the picked one and drops the
    switches (the comparison twin runs its scenario as written)."""
    s = {**DEFAULTS, **settings}
    block = load_scenario(scenario or s["scenario_name"])
    if scenario is None:
        for switch, institution in SWITCHES.items():
            if s[switch] != AS_SCENARIO:
                block["institutions"][institution] = s[switch] == ON
    numbers = {key: type(ENTRIES[key].default)(s[name]) for name, key in TABLE_KEYS.items()}
    # a class sets the citizens; firms follow, a tenth of them, as in the table's defaults
    numbers["population.enterprises"] = max(1, numbers["population.citizens"] // 10)
    return merge({"scenario": block}, nest(numbers))


class ClassroomModel(ReformModel):
    """A ReformModel that starts at the reform launch (month 0), with an `internal_reform` twin.

    The status-quo warm-up runs when the model is built (on Reset), so the class watches the
    reform from its first month. The twin shares the seed and every control but the scenario
    and its switches; with common random numbers both have the same pre-reform history. It has
    random streams of its own, so it can run only when looked at (`baseline`) and still give
    the same months: a step costs one model, not two, while the class watches its own run.
    """

    def __init__(
        self,
        rng: Any = None,
        scenario: Any = None,
        stop: Callable[[], bool] = lambda: False,
        **settings: Any,
    ):
        # `scenario` is Mesa's experiment object, which SolaraViz's Reset would pass (with no
        # parameters); the reform scenario is the `scenario_name` control. Every control is
        # checked here, whoever calls (model_params.ControlError). `stop` says the page that
        # asked has gone: the warm-up ends early and the model is never shown.
        self.settings = checked_settings(settings)
        super().__init__(build_config(self.settings), rng=rng)
        self.twin = ReformModel(build_config(self.settings, BASELINE), rng=rng)
        while self.month < 0 and not stop():
            self.step()

    def step(self) -> None:
        if self.month >= LAST_MONTH:
            self.running = False
            return
        super().step()
        self.running = self.month < LAST_MONTH

    @property
    def baseline(self) -> ReformModel:
        """The `internal_reform` twin, brought up to this model's month."""
        while self.twin.month < self.month:
            self.twin.step()
        return self.twin

    @property
    def scenario_name(self) -> str:
        return str(self.params.scenario.name)
