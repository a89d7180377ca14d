#!/usr/bin/env bash
# Prepares a machine to run Navigator: Qt's system libraries and fonts (via apt when run as root),
# the virtual environment, and the project installed into it. Safe to run again: it does only
# what is missing. Sourced by demo.sh and test.sh; not a step a user runs by hand.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${NAVIGATOR_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# Qt wheels need these shared libraries; without a font package every label renders as boxes.
SYSTEM_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core)
# Tools the test suite and the screenshot script use: a throwaway PostgreSQL when none runs,
# a virtual display for real windows, and PDF/PNG tools.
EXTRA_PACKAGES=("$@")

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}" "${EXTRA_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing; ask your administrator to install them:" >&2
    echo "  ${missing[*]}" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating the virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# Reinstall only when the declared dependencies or their locks change. Everything comes from the
# lock files, each package pinned with its hashes (--require-hashes: pip refuses anything else);
# the project itself then goes in with --no-deps. Refresh the locks with scripts/lock.sh.
stamp="$VENV/.navigator-installed"
want="$(cat "$ROOT/pyproject.toml" "$ROOT"/requirements/*.lock | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Navigator and its dependencies into $VENV"
  install() { # a failing pip stops the script (pipefail); its notes about absent index folders do not show
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@" 2>&1 | { grep -v "is ignored" || true; }
  }
  install --require-hashes -r "$ROOT/requirements/build.lock"
  install --require-hashes -r "$ROOT/requirements/dev.lock"
  install --no-deps --no-build-isolation -e "$ROOT"
  "$VENV/bin/python" -c "import PySide6, sqlcipher3, navigator_desktop" # fail here, loudly, if the install did not work
  echo "$want" > "$stamp"
fi
