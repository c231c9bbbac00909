"""reform-run: run one scenario with one seed and write its results (a Hydra app)."""

from __future__ import annotations

import logging
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments.app import Command
from experiments.cli import guarded, register_base
from experiments.outputs import write_run
from experiments.paths import CONF_DIR

PROGRAM = "reform-run"
UNFINISHED = "the run has no summary.json, so it counts as unfinished; run the command again"

register_base()


@hydra.main(config_path=str(CONF_DIR), config_name="run", version_base="1.3")
def app(cfg: DictConfig) -> None:
    with guarded(PROGRAM, interrupted=UNFINISHED):
        logging.getLogger("MESA").setLevel(logging.WARNING)
        run_dir = Path(HydraConfig.get().runtime.output_dir)
        summary = write_run(cfg, run_dir)
    print(
        f"{summary['scenario']} seed {summary['seed']}: realisation {summary['realisation_rate_end']:.1%}, "
        f"satisfaction {summary['satisfaction_rate_end']:.1%}, items {summary['items_total_launch']} -> "
        f"{summary['items_total_end']} -> {run_dir}"
    )


main = Command(PROGRAM, "run", app, interrupted=UNFINISHED, keeps_runs=True).main


if __name__ == "__main__":
    main()
