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
    screen=1400x900
    # Settings shows the largest text size on the smallest laptop screen the app must fit.
    [ "$script" = scripts/screenshots_settings.py ] && screen=1366x768
    xvfb-run -a -s "-screen 0 ${screen}x24" "$PY" "$script"
done
