#!/usr/bin/env bash
# Runs the whole test suite the way CI does: set-up, lint (ruff), types (mypy), then pytest with
# a real PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh desktop-file-utils appstream
VENV="${NAVIGATOR_VENV:-$ROOT/.venv}"
NAVIGATOR_TEST_POSTGRES_URL="$(bash scripts/ensure_postgres.sh)"
export NAVIGATOR_TEST_POSTGRES_URL
echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== mypy"
"$VENV/bin/mypy"
echo "== pytest"
export QT_QPA_PLATFORM=offscreen
exec "$VENV/bin/pytest" "$@"
