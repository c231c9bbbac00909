#!/usr/bin/env bash
# Mutation testing of simulation/mechanisms/ with mutmut (configured in pyproject.toml, [tool.mutmut]):
# every mutant of a mechanism is run against the mechanism tests; a mutant no test kills is a change
# of behaviour the tests do not notice. Runs in a scratch copy of the tracked files, so the work
# tree gets no mutants/ folder; prints the score and writes mutation-results.txt here.
# Slow: about an hour or more on 2 cores (docs/testing.md). Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git ls-files -co --exclude-standard | grep -v '^docs/validation/' | tar cf - -T - | tar xf - -C "$WORK"
cd "$WORK"
"$ROOT/.venv/bin/mutmut" run "$@" || true
"$ROOT/.venv/bin/mutmut" results --all true > "$ROOT/mutation-results.txt" 2>&1 || true
"$ROOT/.venv/bin/python" - "$ROOT/mutation-results.txt" <<'PY'
import collections, sys
counts = collections.Counter(
    line.rsplit(":", 1)[1].strip() for line in open(sys.argv[1]) if ":" in line and "__mutmut_" in line
)
killed, survived = counts.get("killed", 0), counts.get("survived", 0)
total = sum(counts.values())
print(f"mutation: {total} mutants; " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
if killed + survived:
    print(f"mutation score: {killed / (killed + survived):.1%} killed of killed + survived")
PY
