"""reform-dynamics: an agent-based model (Mesa) of government administrative reform.

Names are imported on first use, so `from simulation.parameters import ...` or
`from simulation import scenarios` does not load Mesa and the whole model.
"""

from __future__ import annotations

import importlib  # loaded by the interpreter at start-up: reform-class imports nothing else first

__version__ = "0.2.0"
_LAZY = {
    "ReformModel": "simulation.model",
    "Citizen": "simulation.agents",
    "Department": "simulation.agents",
    "Enterprise": "simulation.agents",
    "SupervisingBody": "simulation.agents",
    "ConfigError": "simulation.config",
    "resolve": "simulation.config",
}
__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in ("scenarios", "parameters", "catalogue", "config"):
        return importlib.import_module(f"simulation.{name}")
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")
