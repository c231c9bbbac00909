"""The launcher a preset names must be installed and usable here, with coherent fields: a sweep
that would fail on its first job, or wait for a cluster nobody runs, is refused before it starts."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import warnings
from typing import Any

from experiments.cli.messages import fail

# What a launcher plugin needs beyond its own package (module -> how to get it).
LAUNCHER_NEEDS = {
    "hydra_plugins.hydra_ray_launcher": ("ray", "pip install -e '.[ray]'"),
    "hydra_plugins.hydra_submitit_launcher": ("submitit", "pip install hydra-submitit-launcher"),
    "hydra_plugins.hydra_joblib_launcher": ("joblib", "pip install hydra-joblib-launcher"),
}
# Launcher fields that must be whole numbers of at least 1 when set (sbatch and Ray refuse less).
LAUNCHER_COUNTS = (
    "timeout_min",
    "cpus_per_task",
    "gpus_per_node",
    "tasks_per_node",
    "nodes",
    "array_parallelism",
    "ray.init.num_cpus",
    "ray.init.num_gpus",
)
# Ray refuses these when it joins a running cluster instead of starting one.
RAY_LOCAL_ONLY = ("num_cpus", "num_gpus", "object_store_memory", "resources")

# Our hydra/launcher/ray.yaml shares its name with the Ray plugin's schema; Hydra then validates
# the file against that schema (what we want) and warns that the matching is deprecated.
warnings.filterwarnings(
    "ignore", message=r"\s*'hydra/launcher/ray' is validated against ConfigStore schema"
)


def check_launcher(program: str, launcher: dict[str, Any]) -> None:
    """The launcher a preset names must be installed and usable here, with coherent fields."""
    target = str(launcher.get("_target_", ""))
    package = ".".join(target.split(".")[:2])
    needs, hint = LAUNCHER_NEEDS.get(package, (None, ""))
    for module in (target.rpartition(".")[0], needs):
        if module and not _importable(module):
            fail(
                program,
                f"hydra/launcher: {target.rpartition('.')[2] or target} needs {module}, which is "
                f"not installed here ({hint or 'install its plugin'})",
            )
    if target.endswith(".SlurmLauncher") and shutil.which("sbatch") is None:
        fail(
            program,
            "hydra/launcher: SLURM's sbatch is not on the PATH; start from the cluster's login "
            "node (hydra/launcher=submitit_local runs the same plugin on this machine)",
        )
    _check_numbers(program, launcher)
    if target.endswith(".RayLauncher"):
        _check_ray_cluster(program, (launcher.get("ray") or {}).get("init") or {})


def _check_ray_cluster(program: str, init: dict[str, Any]) -> None:
    """Joining a running cluster: the fields only a private Ray takes, and a head that answers."""
    address = init.get("address")
    if address in (None, "local"):
        return
    for key in RAY_LOCAL_ONLY:
        if init.get(key) is not None:
            fail(
                program,
                f"hydra.launcher.ray.init.{key}: only for a private Ray "
                f"(address=local); the cluster at {address} has its own",
            )
    _check_ray_answers(program, str(address))


def _check_ray_answers(program: str, address: str) -> None:
    """Ray waits without end for a head that does not answer, so a HOST:PORT nobody listens on
    is refused here, in one line, before anything runs. (`auto` is left to Ray, which says so.)"""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as error:
        fail(
            program,
            f"hydra.launcher.ray.init.address: no Ray cluster answers at {address} "
            f"({error.strerror or error}); start its head with `ray start --head`, or use "
            "address=local for a private Ray",
        )


def _check_numbers(program: str, launcher: dict[str, Any]) -> None:
    n_jobs = launcher.get("n_jobs")
    if n_jobs is not None and (
        not _whole(n_jobs) or n_jobs == 0 or n_jobs < -(os.cpu_count() or 1)
    ):
        fail(
            program,
            f"hydra.launcher.n_jobs: must be a whole number of workers from 1 up, or -1 for one "
            f"per CPU, got {n_jobs!r}",
        )
    for dotted in LAUNCHER_COUNTS:
        value: Any = launcher
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and (not _whole(value) or value < 1):
            fail(
                program, f"hydra.launcher.{dotted}: must be a whole number from 1 up, got {value!r}"
            )
    mem = launcher.get("mem_gb")
    if mem is not None and (isinstance(mem, bool) or not isinstance(mem, int | float) or mem <= 0):
        fail(program, f"hydra.launcher.mem_gb: must be a number of GB above 0, got {mem!r}")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
