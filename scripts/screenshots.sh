#!/usr/bin/env bash
# Makes docs/screenshots/*.png from demo data under a virtual display (installs Xvfb as root).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" xvfb xauth
cd "$ROOT"
exec xvfb-run -a -s "-screen 0 1400x900x24" "${NAVIGATOR_VENV:-$ROOT/.venv}/bin/python" scripts/screenshots.py
