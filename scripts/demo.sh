#!/usr/bin/env bash
# Starts Navigator on a demo caseload (synthetic people only). The demo vault lives in
# $NAVIGATOR_DEMO_DIR (default: ~/.local/share/navigator-demo); its passphrase is shown on the
# unlock screen, in demo mode only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
DATA_DIR="${NAVIGATOR_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/navigator-demo}"
exec "${NAVIGATOR_VENV:-$ROOT/.venv}/bin/navigator-desktop" --demo --data-dir "$DATA_DIR" "$@"
