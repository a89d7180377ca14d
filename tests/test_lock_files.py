"""The lock files in requirements/ cannot drift from pyproject.toml: each side's lock pins every
dependency that side declares, at a version the declaration allows, with hashes; the server's
lock carries no Qt, SQCipher or Faker and the desktop's no server stack; and scripts/setup.sh
installs from the locks with --require-hashes. (Refresh them with scripts/lock.sh.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)")


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """Each package the lock pins: its version and how many hashes go with it."""
    found: dict[str, tuple[str, int]] = {}
    name = ""
    for line in (LOCKS / f"{lock}.lock").read_text().splitlines():
        match = _PIN.match(line)
        if match:
            name = canonicalize_name(match[1])
            found[name] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"{lock}.lock: not a pinned requirement: {line}")
    return found


def declared(*extras: str) -> list[Requirement]:
    """The project's own dependencies and those of these extras (not the extras naming the
    project itself, such as dev's navigator[desktop,server,demo])."""
    project = PYPROJECT["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return [r for r in wanted if canonicalize_name(r.name) != "navigator"]


def pending() -> list[Requirement]:
    lines = (LOCKS / "pending.in").read_text().splitlines()
    return [Requirement(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]


SIDES = {
    "server": declared("server"),
    "server-demo": declared("server", "demo"),
    "desktop": declared("desktop") + pending(),
    "dev": declared("desktop", "server", "demo", "dev") + pending(),
    "build": [Requirement(r) for r in PYPROJECT["build-system"]["requires"]] + [Requirement("pip")],
}


@pytest.mark.parametrize("lock", sorted(SIDES))
def test_each_lock_pins_every_declared_dependency_at_an_allowed_version_with_hashes(lock: str) -> None:
    locked = pins(lock)
    assert locked, lock
    for requirement in SIDES[lock]:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is declared but not in {lock}.lock: run scripts/lock.sh"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)
        for extra in requirement.extras:  # psycopg[binary]: the extra's own package is locked too
            if name == "psycopg":
                assert f"psycopg-{extra}" in locked, (requirement, lock)
    unhashed = [name for name, (_, hashes) in locked.items() if hashes == 0]
    assert not unhashed, f"{lock}.lock has packages without hashes: {unhashed}"


def test_each_side_carries_only_its_own_stack() -> None:
    server, desktop = set(pins("server")), set(pins("desktop"))
    assert set(pins("server-demo")) - server == {"faker"}
    assert not server & {"pyside6-essentials", "sqlcipher3", "faker", "zxcvbn"}
    assert not desktop & {"fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "starlette"}
    # The dev lock is what the tests run with: both sides together agree on every shared version.
    dev = pins("dev")
    for side in ("server", "server-demo", "desktop"):
        for name, (version, _) in pins(side).items():
            assert name in dev and dev[name][0] == version, (side, name, version, dev.get(name))


def test_setup_installs_only_from_the_locks_with_hashes() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    installs = [line.strip() for line in setup.splitlines() if line.strip().startswith("install ")]
    assert installs == [
        'install --require-hashes -r "$ROOT/requirements/build.lock"',
        'install --require-hashes -r "$ROOT/requirements/dev.lock"',
        'install --no-deps --no-build-isolation -e "$ROOT"',
    ]
    assert "requirements/*.lock" in setup  # a changed lock installs again
