"""Digests of the model's time series, every scenario x seeds 0 and 1: a refactor that must not
change behaviour compares them before and after (byte-identical series).

    .venv/bin/python scripts/timeseries_digest.py > before.json   # then again after, and diff
"""

from __future__ import annotations

import hashlib
import json
import logging

from simulation import ReformModel, scenarios

SETTINGS = {"population__citizens": 2000, "population__enterprises": 200, "steps": 120}


def digest(scenario: str, seed: int) -> str:
    series = ReformModel.from_scenario(scenario, seed=seed, **SETTINGS).run()
    series = series.reindex(sorted(series.columns), axis=1)
    return hashlib.sha256(series.to_csv(index=False, float_format="%.17g").encode()).hexdigest()


def main() -> None:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    print(
        json.dumps(
            {f"{s}/seed{k}": digest(s, k) for s in scenarios.available() for k in (0, 1)}, indent=1
        )
    )


if __name__ == "__main__":
    main()
