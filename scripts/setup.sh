#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 found on this machine and install the project with its test
# extras from PyPI, at the versions pinned in requirements.lock (REFORM_UNLOCKED=1: the newest
# versions pyproject.toml allows instead). Safe to rerun: it reinstalls only when pyproject.toml or
# the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${REFORM_VENV:-.venv}
STAMP="$VENV/.installed-$(cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)${REFORM_UNLOCKED:+-unlocked}"
[ -f "$STAMP" ] && exit 0

find_python() {
  local c v
  for c in python3.13 python3.12 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(ls "$(pyenv root)/versions" 2>/dev/null | grep -E '^3\.(1[2-9])(\.|$)' | sort -V -r); do
      c="$(pyenv root)/versions/$v/bin/python3"
      if [ -x "$c" ] && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo "$c"; return 0; fi
    done
  fi
  return 1
}

PY=$(find_python) || { echo "setup: no Python >= 3.12 found (install python3.12 or use pyenv)" >&2; exit 1; }
echo "setup: using $PY ($("$PY" --version 2>&1)) -> $VENV"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
if [ -n "${REFORM_UNLOCKED:-}" ]; then
  "$VENV/bin/python" -m pip install -q -e ".[test]"
else
  "$VENV/bin/python" -m pip install -q -r requirements.lock
  "$VENV/bin/python" -m pip install -q --no-deps -e .
fi
rm -f "$VENV"/.installed-*
bash scripts/install_frontend.sh "$VENV"
touch "$STAMP"
echo "setup: done"
