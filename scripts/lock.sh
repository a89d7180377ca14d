#!/usr/bin/env bash
# Refreshes the lock files in requirements/ from pyproject.toml: every package pinned with the
# sha256 of each of its published files, so an install (scripts/setup.sh, deploy/README.md) takes
# nothing it was not given. Run after changing a dependency, commit the result, and run the tests.
# Needs pip-tools (`pip install pip-tools` into the venv). Resolved with the venv's Python (3.11).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
compiler="${NAVIGATOR_VENV:-$ROOT/.venv}/bin/pip-compile"
# pip and the build backend have a lock of their own (requirements/build.in), installed first: the
# project itself installs with --no-deps and no build isolation, from what the locks brought. Where this machine's pip finds packages is not
# written into the files (--no-emit-*): they say what to install, not from where.
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url
  --no-emit-find-links --no-emit-trusted-host --resolver=backtracking)
lock() {
  local name="$1"
  shift
  "$compiler" "${common[@]}" "$@" --output-file "requirements/$name.lock" "${INPUTS[@]}"
}
INPUTS=(requirements/build.in)
lock build
INPUTS=(pyproject.toml)
lock server --extra server
lock server-demo --extra server --extra demo  # a trial store that runs seed-demo
INPUTS=(pyproject.toml requirements/pending.in)
lock desktop --extra desktop
lock dev --extra desktop --extra server --extra demo --extra dev
# The dev extra names the project's own extras (navigator[desktop,server,demo]), which pip-compile
# writes as the project itself from this folder: not a dependency, and it has no hash. Dropped.
awk '/^# WARNING: pip install will require/ { skip = 1 }
  skip == 1 && /^navigator @ / { skip = 2; next }
  skip == 2 && /^    #/ { next }
  skip == 2 { skip = 0 }
  !skip { print }' requirements/dev.lock >requirements/dev.lock.new
mv requirements/dev.lock.new requirements/dev.lock
