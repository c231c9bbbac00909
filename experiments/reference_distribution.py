"""Per-seed summary metrics of small runs: the reference a behaviour-preserving change (a speed-up)
is checked against by tests/model/test_behaviour_distribution.py.

    python -m experiments.reference_distribution   # writes tests/data/reference_metrics.json

Regenerate it only for a deliberate change of behaviour (and say so in the commit): after a
refactor that should not change behaviour, the point is to compare with the file as it was.
The file records a fingerprint of the model's sources; while it matches, the test demands the very
same per-seed values (same seed, same outputs); once it differs, only the distributions over
seeds must agree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
from pathlib import Path
from typing import Any

from experiments.paths import ROOT
from simulation.scenarios import SCENARIOS_DIR

REFERENCE = ROOT / "tests" / "data" / "reference_metrics.json"
SETTINGS = {"citizens": 1_000, "enterprises": 100, "steps": 36, "warmup": 12, "window": 12}
SCENARIOS = ("pressure_and_technology", "internal_reform")
SEEDS = 20
# rates are averaged over the last `window` months (one month of ~30 matters is too noisy);
# stocks are read at the last month
METRICS = ("realisation_rate", "satisfaction_rate", "items_open", "staff")
RATES = ("realisation_rate", "satisfaction_rate")


def summary(scenario: str, seed: int, **overrides: Any) -> dict[str, float]:
    """Run one small model (`overrides` as ReformModel takes them) and summarise it."""
    from simulation import ReformModel, scenarios

    config = {"scenario": scenarios.load(scenario)}
    settings = SETTINGS
    model = ReformModel(
        config,
        population__citizens=settings["citizens"],
        population__enterprises=settings["enterprises"],
        steps=settings["steps"],
        warmup=settings["warmup"],
        seed=seed,
        **overrides,
    )
    series = model.run()
    last = series[series["step"] == settings["steps"]].iloc[0]
    window = series[series["step"] > settings["steps"] - settings["window"]]
    out = {name: float(window[name].mean()) for name in RATES}
    out.update(items_open=float(last["items_open"]), staff=float(last["staff"]))
    return out


def collect(
    seeds: range | list[int], scenarios: tuple[str, ...] = SCENARIOS, **overrides: Any
) -> dict[str, Any]:
    """{scenario: {metric: [value per seed]}}."""
    table: dict[str, Any] = {}
    for scenario in scenarios:
        rows = [summary(scenario, seed, **overrides) for seed in seeds]
        table[scenario] = {name: [row[name] for row in rows] for name in METRICS}
    return table


def fingerprint() -> dict[str, Any]:
    """What the reference values depend on: model sources, scenarios, library versions."""
    import mesa
    import numpy

    digest = hashlib.sha256()
    sources = sorted((ROOT / "simulation").rglob("*.py")) + sorted(SCENARIOS_DIR.glob("*.yaml"))
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("simulation/dashboard/"):
            continue  # presentation only: cannot change a run's numbers
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "sources_sha256": digest.hexdigest(),
        "numpy": numpy.__version__,
        "mesa": mesa.__version__,
        "commit": commit or None,
    }


def write(path: Path, data: dict[str, Any]) -> None:
    """Atomic: a reader sees the old file or the new one."""
    from experiments.atomic import atomic_write

    atomic_write(path, lambda f: f.write(json.dumps(data, indent=1) + "\n"), binary=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REFERENCE)
    parser.add_argument("--seeds", type=int, default=SEEDS)
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    seeds = list(range(args.seeds))
    data = {
        "generated_by": "python -m experiments.reference_distribution",
        "code": fingerprint(),
        "settings": {**SETTINGS, "seeds": seeds, "scenarios": list(SCENARIOS)},
        "metrics": collect(seeds),
    }
    write(args.out, data)
    for scenario, metrics in data["metrics"].items():
        for name, values in metrics.items():
            mean, sd = statistics.mean(values), statistics.stdev(values)
            print(f"{scenario:<26}{name:<20}{mean:>12.4f} +- {sd:.4f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
