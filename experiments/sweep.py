"""Run many configurations of a Hydra app through Hydra's launcher into one sweep directory,
resumably.

    jobs = [Job("internal_reform/seed0", ("scenario=internal_reform", "seed=0")), ...]
    with claim(sweep_dir, "reform-compare", settings, jobs):       # experiments.sweepdir
        outcome = launch(sweep_dir, jobs, "compare", overrides)

Each job is composed like a command line of the app (`config_name` + the common `overrides` + the
job's own overrides) and handed to whatever launcher `hydra/launcher` selects in that config:
joblib, submitit (local or SLURM), Ray... The task function runs in the launcher's worker and
writes `<sweep_dir>/<job name>/` (by default as `reform-run` writes a run, summary.json last).
Finished runs are not launched again; a run without summary.json (one that died half-way) is
launched again after its stale temporary files are removed. A run whose task raises is recorded
in `<run>/failed.json` (error and traceback, written in the worker) and the sweep goes on; a
rerun retries it. Progress is read from the directory, so it works whatever process or machine
runs the jobs.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.paths import CONF_DIR
from experiments.sweepdir import FAILED_MARK, Job, is_finished, read_failure, record_failure

TaskFunction = Callable[[Any], Any]
# Each run keeps Hydra's record of its config (.hydra/), as reform-run's runs do.
JOB_HYDRA_OVERRIDES = ("hydra.output_subdir=.hydra",)
# Set per sweep or per job by this module, whatever the command line says.
OWN_KEYS = ("hydra.sweep.dir", "hydra.sweep.subdir", "hydra.output_subdir")
# SLURM refuses job arrays beyond MaxArraySize (1001 tasks unless the site raised it).
SLURM_ARRAY_LIMIT = 1000


@dataclass
class Outcome:
    """What a launch did: runs finished before it, runs it finished, runs that failed (why)."""

    already: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def write_run_task(cfg: Any) -> str:
    """The default task: one model run written as reform-run writes it. Runs in the worker."""
    from hydra.core.hydra_config import HydraConfig

    from experiments.outputs import write_run

    logging.getLogger("MESA").setLevel(logging.WARNING)
    run_dir = Path(HydraConfig.get().runtime.output_dir)
    if not is_finished(run_dir):  # another process may have finished it meanwhile
        write_run(cfg, run_dir)
    return str(run_dir)


class RecordFailures:
    """Wraps a task (in the worker): an exception is written to `<run>/failed.json` with its
    traceback before Hydra marks the job failed; a retry that finishes removes the record.
    A class, not a closure, so that every launcher can pickle it (by reference to the task)."""

    def __init__(self, task: TaskFunction):
        self.task = task

    def __call__(self, cfg: Any) -> Any:
        from hydra.core.hydra_config import HydraConfig

        run_dir = Path(HydraConfig.get().runtime.output_dir)
        try:
            out = self.task(cfg)
        except Exception as err:
            if not is_finished(run_dir):  # not when another worker finished it meanwhile
                record_failure(run_dir, _one_line(err), traceback.format_exc())
            raise
        if is_finished(run_dir):
            (run_dir / FAILED_MARK).unlink(missing_ok=True)
        return out


def launch(
    sweep_dir: Path,
    jobs: Sequence[Job],
    config_name: str,
    overrides: Sequence[str] = (),
    *,
    task: TaskFunction = write_run_task,
    batch_size: int | None = None,
    progress: bool = True,
) -> Outcome:
    """Launch every unfinished job through the configured Hydra launcher and wait for them.

    `overrides` are the app's command-line overrides (task and hydra ones, e.g.
    `hydra/launcher=submitit_local`); `batch_size` caps the jobs handed to the launcher at once
    (None: all at once, except for submitit's local executor: one per CPU, and SLURM: arrays of
    at most 1000). A run that fails does not stop the others: `Outcome.failed` names it and
    `<run>/failed.json` keeps its error."""
    sweep_dir = Path(sweep_dir).resolve()
    outcome = Outcome(already=[j.name for j in jobs if is_finished(sweep_dir / j.name)])
    pending = [j for j in jobs if j.name not in set(outcome.already)]
    if not pending:
        return outcome
    for job in pending:
        _remove_stale_temporaries(sweep_dir / job.name)
    with _config_loader() as loader:
        master = _master_config(loader, config_name, overrides, sweep_dir)
        launcher = _instantiate_launcher(loader, master, RecordFailures(task))
        common = _common_task_overrides(master)
        size = _batch_size(master, batch_size) or len(pending)
        with _progress(sweep_dir, jobs, len(outcome.already), progress):
            try:
                for start in range(0, len(pending), size):
                    batch = pending[start : start + size]
                    outcome.failed.update(_run_batch(launcher, batch, common, start))
            except BaseException:  # Ctrl-C, SIGTERM: no worker may write after the lock is released
                stop_workers()
                raise
    outcome.done = [j.name for j in pending if is_finished(sweep_dir / j.name)]
    for job in pending:
        if job.name not in outcome.done and job.name not in outcome.failed:
            outcome.failed[job.name] = "the run ended without writing summary.json"
    for name in outcome.done:  # a batch error may name runs that finished before it
        outcome.failed.pop(name, None)
    for name, why in outcome.failed.items():
        # The worker wrote failed.json itself, unless it died or never ran.
        if read_failure(sweep_dir / name) is None:
            record_failure(sweep_dir / name, why)
    return outcome


def stop_workers() -> None:
    """End the worker processes a launcher started (joblib's loky pool, multiprocessing
    children), so that nothing writes into a sweep after its lock is released."""
    loky = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(loky, "_executor", None) if loky else None
    if executor is not None:
        with contextlib.suppress(Exception):
            executor.shutdown(wait=True, kill_workers=True)
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(timeout=5)
    ray = sys.modules.get("ray")
    if ray is not None and getattr(ray, "is_initialized", lambda: False)():
        with contextlib.suppress(Exception):
            ray.shutdown()


def _run_batch(launcher: Any, batch: list[Job], common: list[str], start: int) -> dict[str, str]:
    job_overrides = [_job_overrides(job, common) for job in batch]
    try:
        returns = launcher.launch(job_overrides, initial_job_idx=start)
    except Exception as err:  # a launcher that lost its workers: report every job of the batch
        return {job.name: _one_line(err) for job in batch}
    failed = {}
    for job, ret in zip(batch, returns):
        if ret.status.name != "COMPLETED":
            failed[job.name] = _one_line(getattr(ret, "_return_value", None) or ret.status.name)
    return failed


def _job_overrides(job: Job, common: list[str]) -> list[str]:
    own = {_key(o) for o in job.overrides}
    shared = [o for o in common if _key(o) not in own]
    return [*shared, *job.overrides, f"hydra.sweep.subdir={quote(job.name)}", *JOB_HYDRA_OVERRIDES]


def _key(override: str) -> str:
    return override.split("=", 1)[0].lstrip("+~")


def quote(value: str) -> str:
    """A string as a quoted value of Hydra's override grammar (paths may hold = , [ ] or spaces)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@contextmanager
def _config_loader() -> Iterator[Any]:
    """The running app's Hydra config loader, or one for experiments/conf (from Python)."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    if GlobalHydra.instance().is_initialized():
        yield GlobalHydra.instance().config_loader()
        return
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3", job_name="sweep"):
        yield GlobalHydra.instance().config_loader()


def _master_config(loader: Any, config_name: str, overrides: Sequence[str], sweep_dir: Path) -> Any:
    from hydra.types import RunMode

    kept = [o for o in overrides if _key(o) not in OWN_KEYS]
    return loader.load_configuration(
        config_name=config_name,
        overrides=[*kept, f"hydra.sweep.dir={quote(str(sweep_dir))}"],
        run_mode=RunMode.MULTIRUN,
    )


def _common_task_overrides(master: Any) -> list[str]:
    from omegaconf import OmegaConf

    return list(OmegaConf.to_container(master.hydra.overrides.task))


def _instantiate_launcher(loader: Any, master: Any, task: TaskFunction) -> Any:
    # Hydra has no public way to instantiate a launcher outside @hydra.main: HydraContext wants a
    # Callbacks object, which lives in hydra._internal. pyproject pins hydra-core to 1.3.x (the
    # lock file to 1.3.2) and tests/test_sweep.py::test_the_private_hydra_hook_is_there fails
    # first if an upgrade moves it.
    from hydra._internal.callbacks import Callbacks
    from hydra.core.plugins import Plugins
    from hydra.types import HydraContext

    # The launcher announces every job on the console; the progress bar says it better.
    logging.getLogger("hydra_plugins").setLevel(logging.WARNING)
    context = HydraContext(config_loader=loader, callbacks=Callbacks(master))
    return Plugins.instance().instantiate_launcher(
        hydra_context=context, task_function=task, config=master
    )


def job_configs(config_name: str, overrides: Sequence[str], jobs: Sequence[Job]) -> list[Any]:
    """The composed configuration each job will get, without running it (for identity checks)."""
    with _config_loader() as loader:
        master = _master_config(loader, config_name, overrides, Path(os.devnull))
        common = _common_task_overrides(master)
        return [loader.load_sweep_config(master, _job_overrides(job, common)) for job in jobs]


def _batch_size(master: Any, requested: int | None) -> int | None:
    if requested:
        return requested
    target = str(master.hydra.launcher.get("_target_", ""))
    if target.endswith(".LocalLauncher"):  # submitit's local executor would start every job at once
        return os.cpu_count() or 1
    if target.endswith(".SlurmLauncher"):
        return SLURM_ARRAY_LIMIT
    return None


@contextmanager
def _progress(sweep_dir: Path, jobs: Sequence[Job], initial: int, enabled: bool) -> Iterator[None]:
    """A progress bar over runs, advanced by a thread that watches for summary.json files."""
    from tqdm import tqdm

    bar = tqdm(
        total=len(jobs),
        initial=initial,
        unit="run",
        desc="runs",
        file=sys.stderr,
        disable=not enabled,
        mininterval=0.5 if sys.stderr.isatty() else 10.0,
        dynamic_ncols=True,
    )
    stop = threading.Event()
    waiting = [sweep_dir / j.name for j in jobs if not is_finished(sweep_dir / j.name)]

    def watch() -> None:
        while waiting:
            done = [d for d in waiting if is_finished(d)]
            for d in done:
                waiting.remove(d)
            bar.update(len(done))
            if stop.wait(0.5):
                break

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        bar.update(sum(is_finished(d) for d in waiting))
        bar.close()


def _remove_stale_temporaries(run_dir: Path) -> None:
    """A run killed half-way leaves `.name.XXXX.tmp` files behind (atomic_write); drop them."""
    if run_dir.is_dir():
        for tmp in run_dir.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _one_line(err: Any) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return f"{type(err).__name__}: {text}"[:300] if isinstance(err, BaseException) else text[:300]
