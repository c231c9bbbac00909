#!/usr/bin/env bash
# Install the dashboard's front end (the files Solara would fetch from a CDN at run time) from the
# npm registry into the folder Solara's CDN proxy reads first: <venv>/share/solara/cdn/. With them
# `reform-class` works with no internet access. Idempotent: does nothing (in ~1 s) when done.
# Usage: scripts/install_frontend.sh [VENV]   (default: .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-${REFORM_VENV:-.venv}}
if ! command -v npm >/dev/null 2>&1; then
  echo "install_frontend: npm not found; installing Debian's npm" >&2
  apt-get update -qq && apt-get install -y -qq npm >/dev/null
fi
"$VENV/bin/python" -m simulation.dashboard.assets
