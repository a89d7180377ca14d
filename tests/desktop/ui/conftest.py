"""A small demo vault (made once per run, copied per test) and an app unlocked on it."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from navigator_core.demo import Scale
from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.vault import KdfParams


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    where = tmp_path_factory.mktemp("demo-template") / "data"
    demo.ensure_demo_vault(Session(where, KdfParams.for_tests()), Scale.small())
    return where


def wait_idle(qtbot, app: Navigator) -> None:
    qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=20_000)


def unlock(qtbot, app: Navigator) -> None:
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
    qtbot.keyClicks(app.unlock_view.passphrase, demo.DEMO_PASSPHRASE)
    qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_screen() == "today", timeout=20_000)
    wait_idle(qtbot, app)


@pytest.fixture
def app(qtbot, tmp_path, demo_template):
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    navigator = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(navigator.window)
    navigator.start()
    unlock(qtbot, navigator)
    yield navigator
    navigator.shutdown()
