#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the dashboard's browser tests (Playwright drives it
# with executable_path=$(which chromium); Playwright's own browser download needs the internet).
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
echo "browser_setup: installing Debian's chromium" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium
