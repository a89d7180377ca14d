#!/usr/bin/env bash
# Makes docs/screenshots/*.png from demo data under a virtual display (installs Xvfb as root):
# scripts/screenshots.py takes the main screens, and each scripts/screenshots_<area>.py one area's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" xvfb xauth poppler-utils
cd "$ROOT"
PY="${NAVIGATOR_VENV:-$ROOT/.venv}/bin/python"
for script in scripts/screenshots.py scripts/screenshots_*.py; do
    [ -e "$script" ] || continue
    echo "== $script"
    xvfb-run -a -s "-screen 0 1400x900x24" "$PY" "$script"
done
