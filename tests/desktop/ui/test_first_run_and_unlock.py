"""The vault screens driven through real widgets: first run, unlock, wrong passphrase, lock, demo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from navigator_core.demo import Scale
from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.ui.dialogs.recovery_key import RecoveryKeyDialog
from navigator_desktop.vault import KdfParams

GOOD = "kettle harbour lantern morning"


@pytest.fixture
def navigator(qtbot, tmp_path, monkeypatch):
    app = Navigator(tmp_path / "data", kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    yield app
    app.shutdown()


def current(app: Navigator) -> str:
    return next(
        name for name, widget in app.window.screens.items() if widget is app.window.stack.currentWidget()
    )


def wait_idle(qtbot, app: Navigator) -> None:
    qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=20_000)


def test_first_run_creates_the_vault_and_shows_the_caseload(qtbot, navigator, monkeypatch):
    shown = []
    monkeypatch.setattr(
        RecoveryKeyDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Accepted
    )
    navigator.start()
    qtbot.waitUntil(lambda: current(navigator) == "create")
    view = navigator.create_view
    qtbot.keyClicks(view.first, "password")
    qtbot.keyClicks(view.second, "password")
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    assert "shorter than 12" in view.message.text() and "most often" in view.message.text()

    view.first.clear()
    view.second.clear()
    qtbot.keyClicks(view.first, GOOD)
    qtbot.keyClicks(view.second, GOOD + "x")
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    assert "different" in view.message.text()

    view.second.clear()
    qtbot.keyClicks(view.second, GOOD)
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: current(navigator) == "caseload", timeout=20_000)
    assert len(shown) == 1, "the recovery key is shown once"
    assert "-" in shown[0].findChild(type(view.message), "recoveryKey").text()


def test_wrong_passphrase_says_so_and_the_right_one_opens(qtbot, tmp_path):
    Navigator(tmp_path / "d", kdf=KdfParams.for_tests()).runner.call(lambda s: s.create(GOOD, False))
    app = Navigator(tmp_path / "d", kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    try:
        app.start()
        qtbot.waitUntil(lambda: current(app) == "unlock")
        qtbot.keyClicks(app.unlock_view.passphrase, "not the passphrase at all")
        qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "passphrase" in app.unlock_view.message.text().lower(), timeout=20_000)
        assert "Traceback" not in app.unlock_view.message.text()
        assert current(app) == "unlock"
        app.unlock_view.passphrase.clear()
        qtbot.keyClicks(app.unlock_view.passphrase, GOOD)
        qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: current(app) == "caseload", timeout=20_000)
        app.window.lock_action.trigger()
        qtbot.waitUntil(lambda: current(app) == "unlock", timeout=20_000)
        assert app.caseload_model.rowCount() == 0, "locking drops the caseload from memory"
    finally:
        app.shutdown()


def test_demo_mode_makes_a_vault_shows_its_passphrase_and_opens_the_caseload(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEFAULT_SCALE", Scale.small())
    app = Navigator(tmp_path / "demo", demo_mode=True, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    try:
        app.start()
        qtbot.waitUntil(lambda: app.unlock_view.button.isEnabled(), timeout=60_000)
        hint = app.unlock_view.findChild(type(app.unlock_view.message), "demoHint")
        assert demo.DEMO_PASSPHRASE in hint.text()
        qtbot.keyClicks(app.unlock_view.passphrase, demo.DEMO_PASSPHRASE)
        qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: app.caseload_model.rowCount() > 0, timeout=20_000)
        assert "demo" in app.window.windowTitle().lower()
    finally:
        app.shutdown()


def test_the_unlock_screen_never_shows_a_passphrase_outside_demo_mode(qtbot, navigator):
    assert navigator.unlock_view.findChild(type(navigator.unlock_view.message), "demoHint") is None
