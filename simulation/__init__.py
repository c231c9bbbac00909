"""reform-dynamics: an agent-based model (Mesa) of government administrative reform."""

from simulation.agents import Citizen, Department, Enterprise, SupervisingBody
from simulation.config import ConfigError, resolve
from simulation.model import ReformModel

__version__ = "0.1.0"
__all__ = [
    "Citizen",
    "ConfigError",
    "Department",
    "Enterprise",
    "ReformModel",
    "SupervisingBody",
    "resolve",
    "__version__",
]
