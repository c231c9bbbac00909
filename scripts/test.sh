#!/usr/bin/env bash
# The whole test suite: lint, then pytest. Long tests are marked `slow` and run only with
# REFORM_SLOW=1; CI runs their cheap variants. Browser tests get Chromium first.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
[ -f scripts/browser_setup.sh ] && bash scripts/browser_setup.sh
$BIN/ruff check simulation experiments analysis benchmarks tests || exit 1
$BIN/lint-imports || exit 1  # the layers: experiments -> analysis -> simulation, never back
marker=${REFORM_SLOW:+""}
if [ -z "${REFORM_SLOW:-}" ]; then marker="not slow"; fi
$BIN/python -m pytest -q ${marker:+-m "$marker"} "$@"
rc=$?
[ $rc -eq 5 ] && { echo "no tests were collected"; exit 1; }
exit $rc
