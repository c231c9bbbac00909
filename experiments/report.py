"""Rebuild the comparison report and its one-page brief from a sweep that reform-compare wrote
(or from the runs of a `reform-run -m` multirun).

`reform-report SWEEP_DIR` writes SWEEP_DIR/report/index.html and brief.html (see
analysis.reports.report); with `--lang zh`, the Chinese report and brief go to SWEEP_DIR/report/zh/,
beside the English ones, which stay as they are. With --robustness VALIDATION_SWEEP, each verdict is
marked robust or fragile from that validation's robustness stage.

A sweep of reform-compare (its sweep.json says so) or a folder of reform-run runs is accepted:
an empty folder, a single run or another experiment's folder is refused with one line and
nothing is written there. The
report is built under the sweep's lock: while reform-compare (or another reform-report) works on
the same sweep, it is refused in one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from experiments.cli import ArgumentParser, BadInput, guarded
from experiments.sweepdir import FINISHED_MARK, RECORD, SweepError, locked, read_record
from simulation.i18n import LANGUAGES

PROGRAM = "reform-report"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = ArgumentParser(prog=PROGRAM, description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path, help="a sweep directory written by reform-compare")
    parser.add_argument(
        "--horizon", type=int, default=None, help="months after a cut in which regrowth counts"
    )
    parser.add_argument(
        "--level", type=float, default=0.95, help="confidence level of the CIs (default 0.95)"
    )
    parser.add_argument(
        "--robustness",
        type=Path,
        default=None,
        metavar="VALIDATION_SWEEP",
        help="a reform-validate sweep whose robustness stage ran (or its report/robustness.csv): "
        "mark each verdict robust, fragile or not assessed",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of the report and the brief (zh: written to report/zh/, beside the English)",
    )
    args = parser.parse_args(argv)
    if not 0 < args.level < 1:  # NaN fails this too
        parser.error(f"--level: must be between 0 and 1, got {args.level}")
    if args.horizon is not None and not 1 <= args.horizon <= 2400:
        parser.error(f"--horizon: must be 1 to 2400 months, got {args.horizon}")
    return args


def check_sweep(folder: Path) -> None:
    """A folder of runs a command wrote: a sweep of reform-compare (its sweep.json says so), or
    the runs of a `reform-run -m` multirun (run folders holding summary.json, no sweep.json)."""
    if not folder.is_dir():
        raise BadInput(f"{folder}: no such sweep directory")
    if (folder / FINISHED_MARK).is_file():
        raise BadInput(f"{folder} is a single run (it holds {FINISHED_MARK}), not a sweep")
    try:
        record = read_record(folder)
    except SweepError as err:
        raise BadInput(str(err)) from None
    if record is None:
        if next(folder.glob(f"*/{FINISHED_MARK}"), None) is None:
            raise BadInput(
                f"{folder} holds no {RECORD} and no finished run: not a sweep a command wrote"
            )
        return  # a reform-run multirun: its runs are compared by scenario
    if record.get("app") == "reform-validate":
        raise BadInput(
            f"{folder} is a sweep of reform-validate: its report is rebuilt by running the same "
            f"reform-validate command again (finished runs are kept; report.lang=zh for Chinese)"
        )
    if record.get("app") != "reform-compare":
        raise BadInput(f"{folder} holds a sweep of {record.get('app')}, not of reform-compare")


def read_robustness(where: Path) -> Any:
    """The robustness table of a validation sweep (or the CSV itself), checked."""
    import pandas as pd

    from analysis.reports.report import Robustness

    csv = where if where.suffix == ".csv" else where / "report" / "robustness.csv"
    if where.is_dir():
        try:
            record = read_record(where)
        except SweepError as err:
            raise BadInput(f"--robustness: {err}") from None
        if record is None or record.get("app") != "reform-validate":
            raise BadInput(f"--robustness: {where} is not a sweep of reform-validate")
    if not csv.is_file():
        raise BadInput(
            f"--robustness: {csv} does not exist (run reform-validate with the robustness stage)"
        )
    try:
        table = pd.read_csv(csv)
    except Exception as err:  # a corrupt or foreign file
        detail = " ".join(str(err).split())[:120]
        raise BadInput(f"--robustness: {csv} is not readable ({detail})") from None
    needed = {"key", "verdict", "share_holding", "shares"}
    if not needed <= set(table.columns):
        raise BadInput(f"--robustness: {csv} lacks the columns {', '.join(sorted(needed))}")
    return Robustness(table, str(csv))


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    with guarded(PROGRAM, interrupted="the report in place, if any, is unchanged"):
        check_sweep(args.sweep_dir)
        robust = read_robustness(args.robustness) if args.robustness else None
        from analysis.reports.report import ReportError
        from analysis.reports.sweep_report import build
        from experiments.collect import load

        try:
            with locked(args.sweep_dir):  # not while a compare writes the same sweep
                report = build(
                    args.sweep_dir,
                    load(args.sweep_dir),
                    horizon=args.horizon,
                    level=args.level,
                    robustness=robust,
                    lang=args.lang,
                )
        except ReportError as err:
            raise BadInput(str(err)) from None
        print(f"report: {report.path}\n\n{report.answer}")


if __name__ == "__main__":
    main()
