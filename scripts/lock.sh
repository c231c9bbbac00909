#!/usr/bin/env bash
# Regenerate requirements.lock from pyproject.toml (pip-tools, from PyPI), with the Python of the
# project's venv. The lock pins every dependency of the project and its test extras; make setup
# installs from it. Run after changing a dependency in pyproject.toml, then run make test.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${REFORM_VENV:-.venv}
TOOLS=$(mktemp -d)
trap 'rm -rf "$TOOLS"' EXIT
"$VENV/bin/python" -m venv "$TOOLS"
"$TOOLS/bin/pip" install -q pip-tools
"$TOOLS/bin/pip-compile" -q --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
  --allow-unsafe -o requirements.lock pyproject.toml
# the project itself is not a dependency (make setup installs it, editable, with --no-deps)
"$VENV/bin/python" - <<'PY'
import re
from pathlib import Path

lock = Path("requirements.lock")
text = re.sub(r"reform-dynamics @ file://\S+\n(    #.*\n)*", "", lock.read_text())
text = re.sub(
    r"#    (pip-compile .*)\n",
    r"#    make lock  (\1, the\n#    project itself removed: make setup installs it with --no-deps)\n",
    text,
    count=1,
)
lock.write_text(text)
PY
echo "lock: wrote requirements.lock ($(grep -c '==' requirements.lock) pins)"
