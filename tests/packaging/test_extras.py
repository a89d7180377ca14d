"""Each side installs and runs without the other's stack: `navigator[server]` brings no Qt,
SQLCipher or Faker, `navigator[desktop]` no server stack, and each side's code imports none of
what its extra leaves out."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESKTOP_ONLY = {"pyside6-essentials", "sqlcipher3", "faker", "truststore"}
SERVER_ONLY = {"fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "pydantic-settings", "argon2-cffi"}
# Import names of what a side must do without.
NOT_ON_SERVER = ("PySide6", "shiboken6", "sqlcipher3", "faker")
NOT_ON_DESKTOP = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "pydantic_settings", "argon2")


def _extras() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs: list[str]) -> set[str]:
        return {s.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower() for s in specs}

    found = {k: names(v) for k, v in project["optional-dependencies"].items()}
    found[""] = names(project["dependencies"])
    return found


def test_each_extra_carries_only_its_side() -> None:
    extras = _extras()
    assert not (extras[""] | extras["server"]) & DESKTOP_ONLY
    assert not (extras[""] | extras["desktop"]) & SERVER_ONLY
    assert "navigator" in extras["dev"]  # dev is both sides, for working on the repo


def _imports_without(modules: str, blocked: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys, importlib.abc\n"
        f"BLOCKED = {blocked!r}\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in BLOCKED:\n"
        "            raise ImportError(f'{name} is not installed on this side')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules.split()!r}:\n"
        "    __import__(m)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("modules", "blocked"),
    [
        ("navigator_server.app navigator_server.cli navigator_server.migrate", NOT_ON_SERVER),
        ("navigator_desktop.app navigator_desktop.__main__", NOT_ON_DESKTOP),
    ],
    ids=["server without Qt, SQLCipher, Faker", "desktop without the server stack"],
)
def test_a_side_imports_nothing_its_extra_leaves_out(modules: str, blocked: tuple[str, ...]) -> None:
    done = _imports_without(modules, blocked)
    assert done.returncode == 0, done.stderr[-2000:]


def test_seed_demo_without_faker_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'faker':\n"
        "            raise ModuleNotFoundError(\"No module named 'faker'\", name='faker')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from navigator_server import cli\n"
        f"sys.exit(cli.main(['--data-dir', {str(tmp_path)!r}, 'seed-demo']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        input="demo password\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "navigator[server,demo]" in done.stderr, done.stderr[-2000:]
