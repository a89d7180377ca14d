"""Builds the Linux bundle with the documented command and runs it the way a laptop would.

`bash packaging/build.sh` builds once per test session into dist/navigator-desktop/ (a cold build
takes about 20 s, a warm one less: PyInstaller keeps its cache in build/pyinstaller/), then the
frozen app starts offscreen to its first-run screen and to the unlock screen of a demo vault it
creates, and navigator-bundle-check loads the data files, SQLCipher, cryptography and the Qt
platform plugins inside the bundle.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from navigator_core import __version__

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "navigator-desktop"
APP = BUNDLE / "navigator-desktop"
CHECK = BUNDLE / "navigator-bundle-check"
BUILD_TIMEOUT_S = 900
# The bundle is ~160 MB (Qt and its ICU data are most of it). A jump past this means something
# unwanted (the server stack, QtWebEngine, every Faker locale) has come in.
SIZE_CEILING_MB = 200

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only the Linux bundle is built here"),
]


@dataclass(frozen=True)
class Built:
    seconds: float
    output: str


@pytest.fixture(scope="session")
def bundle() -> Iterator[Built]:
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    yield Built(time.monotonic() - started, result.stdout)


def bundle_env(**extra: str) -> dict[str, str]:
    """The environment of a desktop session: nothing from the test's venv or Qt set-up leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def run(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=120,
        env=bundle_env(**env),
        check=False,
    )


def test_self_test_starts_to_the_first_run_window(bundle: Built, tmp_path: Path) -> None:
    result = run(APP, "--self-test", "--data-dir", tmp_path / "vault")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "navigator-desktop: create window shown" in result.stdout.splitlines(), (
        result.stdout + result.stderr
    )


def test_demo_vault_is_created_and_opens_to_the_unlock_window(bundle: Built, tmp_path: Path) -> None:
    """Creating the demo vault inside the bundle runs Argon2id, SQLCipher, every migration and Faker."""
    data = tmp_path / "demo"
    result = run(APP, "--demo", "--self-test", "--data-dir", data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "navigator-desktop: unlock window shown" in result.stdout.splitlines(), (
        result.stdout + result.stderr
    )
    assert any(data.iterdir())


def test_version_is_the_package_version(bundle: Built) -> None:
    result = run(APP, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"navigator-desktop {__version__}"


def test_bundle_check_passes(bundle: Built) -> None:
    result = run(CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "navigator-bundle-check: all checks passed" in result.stdout
    for check in ("migrations", "passphrases", "sqlcipher", "cryptography", "qt-plugins", "tls", "no-server"):
        assert re.search(rf"^ok +{check}:", result.stdout, re.MULTILINE), result.stdout


def test_demo_data_in_the_bundle_is_the_same_as_from_source(bundle: Built) -> None:
    """The spec leaves most Faker locales out; the demo pools drawn inside must not change."""
    spec = importlib.util.spec_from_file_location("bundle_check", ROOT / "packaging" / "bundle_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = run(CHECK)
    assert f"ok   demo-data: demo pools digest {module.demo_pools_digest()}" in result.stdout, result.stdout


def test_what_the_desktop_does_not_need_is_left_out(bundle: Built) -> None:
    internal = BUNDLE / "_internal"
    server_and_tests = (
        "navigator_server",
        "fastapi",
        "uvicorn",
        "sqlalchemy",
        "psycopg",
        "alembic",
        "pydantic",
    )
    for name in (*server_and_tests, "psycopg_binary", "tests", "pytest", "hypothesis"):
        assert not (internal / name).exists(), name
    qt_libs = {p.name for p in (internal / "PySide6" / "Qt" / "lib").iterdir()}
    unwanted = {lib for lib in qt_libs if re.match(r"libQt6(WebEngine|Qml|Quick|Pdf|Multimedia|3D)", lib)}
    assert not unwanted
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert {"libqxcb.so", "libqoffscreen.so", "libqwayland.so"} <= platforms


def test_desktop_integration_files_are_in_the_bundle(bundle: Built) -> None:
    share = BUNDLE / "share"
    assert (share / "applications" / "uk.nhs.navigator.desktop").is_file()
    assert (share / "metainfo" / "uk.nhs.navigator.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "uk.nhs.navigator.png").is_file()


def test_bundle_size(bundle: Built) -> None:
    size = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle: {size / 1e6:.0f} MB, built in {bundle.seconds:.0f} s")
    assert size < SIZE_CEILING_MB * 1e6, f"the bundle is {size / 1e6:.0f} MB"
