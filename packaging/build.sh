#!/usr/bin/env bash
# Builds the Navigator desktop bundle for this platform into dist/navigator-desktop/ (one folder).
#
#   bash packaging/build.sh            # build (reuses PyInstaller's cache in build/ when present)
#   bash packaging/build.sh --clean    # build from nothing, as a fresh clone would
#
# Uses the project's virtual environment (scripts/setup.sh makes it) and installs PyInstaller
# into it when missing: PyInstaller is a build tool, not an app dependency, so it is not in
# pyproject.toml. On Linux it then copies the desktop-integration files (.desktop entry, AppStream
# metadata, icons) into dist/navigator-desktop/share/ in the layout of /usr/share, for installing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${NAVIGATOR_VENV:-$ROOT/.venv}"
PYINSTALLER_VERSION="${PYINSTALLER_VERSION:-6.22.3}"  # the version this spec was tested with

clean=()
if [ "${1:-}" = "--clean" ]; then clean=(--clean); fi

[ -x "$VENV/bin/python" ] || bash scripts/setup.sh
if ! "$VENV/bin/python" -c "import PyInstaller" 2>/dev/null; then
  echo "build: installing pyinstaller==$PYINSTALLER_VERSION into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller==$PYINSTALLER_VERSION" 2>&1 \
    | grep -v "is ignored" || true
fi

"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN "${clean[@]}" \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/navigator-desktop.spec

case "$(uname -s)" in
  Linux)
    BUNDLE="$ROOT/dist/navigator-desktop"
    ID=uk.nhs.navigator
    SHARE="$BUNDLE/share"
    rm -rf "$SHARE"
    install -Dm644 "resources/$ID.desktop" "$SHARE/applications/$ID.desktop"
    install -Dm644 "resources/$ID.metainfo.xml" "$SHARE/metainfo/$ID.metainfo.xml"
    (cd resources/icons && find hicolor -type f -name "$ID.*" -exec install -Dm644 {} "$SHARE/icons/{}" \;)
    echo "build: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
    ;;
  *)
    echo "build: $ROOT/dist/navigator-desktop"
    ;;
esac
