"""Forgotten and changed passphrases in the app, the organisation's wipe on the unlock screen,
and the organisation's shorter idle lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.store import settings
from navigator_desktop.sync import server_policy
from navigator_desktop.ui.flows.lock import IdleLock
from navigator_desktop.vault import KdfParams, Vault, close, errors
from tests.desktop.ui.conftest import wait_idle
from tests.desktop.vault.vault_helpers import snapshot

OLD = "kettle orbit marble seven"
NEW = "lantern cobble heron ninety"


def fill(qtbot, dialog, proof: str, first: str, second: str) -> None:
    for widget, text in ((dialog.proof, proof), (dialog.first, first), (dialog.second, second)):
        widget.clear()
        qtbot.keyClicks(widget, text)
    dialog.ok.click()


def opens_with(data: Path, passphrase: str) -> bool:
    try:
        close(Vault(data, kdf=KdfParams.for_tests()).unlock(passphrase))
    except errors.WrongPassphrase:
        return False
    return True


@pytest.fixture
def locked_app(qtbot, tmp_path) -> Iterator[tuple[Navigator, Path, str | None]]:
    """An app at the unlock screen of a vault with a recovery key."""
    data = tmp_path / "d"
    _, key = Vault.create(data, OLD, kdf=KdfParams.for_tests(), recovery_key=True)
    app = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
    yield app, data, key
    app.shutdown()


# -- change passphrase (menu) -------------------------------------------------------------------------


def test_change_passphrase_from_the_menu(qtbot, app) -> None:
    assert app.window.change_passphrase_action.isEnabled()
    app.window.change_passphrase_action.trigger()
    dialog = app.vault_flow.dialog
    assert dialog is not None and dialog.isVisible()
    fill(qtbot, dialog, demo.DEMO_PASSPHRASE, NEW, NEW)
    qtbot.waitUntil(lambda: app.vault_flow.dialog is None, timeout=20_000)
    assert "Passphrase changed" in app.window.status.text()
    data = app.runner.call(lambda s: s.data_dir)
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=20_000)
    assert opens_with(data, NEW)
    assert not opens_with(data, demo.DEMO_PASSPHRASE)


def test_change_passphrase_refuses_a_weak_or_mistyped_one_before_asking_the_vault(qtbot, app) -> None:
    data = app.runner.call(lambda s: s.data_dir)
    app.window.change_passphrase_action.trigger()
    dialog = app.vault_flow.dialog
    fill(qtbot, dialog, demo.DEMO_PASSPHRASE, "password", "password")
    assert "can't be used" in dialog.message.text()
    fill(qtbot, dialog, demo.DEMO_PASSPHRASE, NEW, NEW + "x")
    assert "different" in dialog.message.text()
    assert dialog.ok.isEnabled() and app.runner.pending == 0
    fill(qtbot, dialog, "not my passphrase at all", NEW, NEW)
    qtbot.waitUntil(lambda: "did not unlock" in dialog.message.text(), timeout=20_000)
    assert dialog.isVisible() and dialog.ok.isEnabled()
    dialog.cancel.click()
    qtbot.waitUntil(lambda: app.vault_flow.dialog is None)
    wait_idle(qtbot, app)
    assert opens_with(data, demo.DEMO_PASSPHRASE)


def test_change_passphrase_is_not_offered_while_locked(qtbot, locked_app) -> None:
    app, _, _ = locked_app
    assert not app.window.change_passphrase_action.isEnabled()


# -- recovery key (unlock screen) -------------------------------------------------------------------


def test_recovery_key_sets_a_new_passphrase_and_unlocks(qtbot, locked_app) -> None:
    app, data, key = locked_app
    assert key is not None
    db_before = snapshot(data)["navigator.db"]
    app.unlock_view.recovery_button.click()
    qtbot.waitUntil(lambda: app.vault_flow.dialog is not None, timeout=20_000)
    dialog = app.vault_flow.dialog
    fill(qtbot, dialog, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", NEW, NEW)
    qtbot.waitUntil(lambda: "recovery key did not unlock" in dialog.message.text(), timeout=20_000)
    assert snapshot(data)["navigator.db"] == db_before
    fill(qtbot, dialog, key.lower(), NEW, NEW)
    qtbot.waitUntil(lambda: app.window.current_screen() == "caseload", timeout=20_000)
    assert app.vault_flow.dialog is None
    assert "new passphrase is set" in app.window.status.text()
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=20_000)
    assert opens_with(data, NEW) and not opens_with(data, OLD)


def test_recovery_without_a_recovery_key_says_so(qtbot, tmp_path) -> None:
    data = tmp_path / "d"
    Vault.create(data, OLD, kdf=KdfParams.for_tests())
    app = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    try:
        app.start()
        qtbot.waitUntil(lambda: app.unlock_view.recovery_button.isEnabled())
        app.unlock_view.recovery_button.click()
        qtbot.waitUntil(lambda: "No recovery key" in app.unlock_view.message.text(), timeout=20_000)
        assert app.vault_flow.dialog is None
        assert app.unlock_view.button.isEnabled()
    finally:
        app.shutdown()


# -- the organisation's wipe ---------------------------------------------------------------------------


def test_reaching_the_wipe_limit_says_what_happened_and_what_to_do(qtbot, locked_app) -> None:
    app, data, _ = locked_app
    Vault(data, kdf=KdfParams.for_tests()).set_wipe_after(2)
    for attempt in range(2):
        app.unlock_view.passphrase.clear()
        qtbot.keyClicks(app.unlock_view.passphrase, "not my passphrase at all")
        qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
        if attempt == 0:
            qtbot.waitUntil(lambda: "did not unlock" in app.unlock_view.message.text(), timeout=20_000)
            assert (data / "navigator.db").exists()  # one below the limit: nothing removed
    qtbot.waitUntil(lambda: app.unlock_view.wiped, timeout=20_000)
    text = app.unlock_view.message.text()
    assert "removed the data" in text and "IT service desk" in text
    assert not app.unlock_view.passphrase.isEnabled() and not app.unlock_view.button.isEnabled()
    assert not (data / "navigator.db").exists()


def test_a_wiped_laptop_says_so_at_start(qtbot, tmp_path) -> None:
    data = tmp_path / "d"
    vault, _ = Vault.create(data, OLD, kdf=KdfParams.for_tests())
    vault.set_wipe_after(1)
    with pytest.raises(errors.VaultWiped):
        vault.unlock("not my passphrase at all")
    app = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    try:
        app.start()
        qtbot.waitUntil(lambda: app.unlock_view.wiped, timeout=20_000)
        assert app.window.current_screen() == "unlock"
        assert "IT service desk" in app.unlock_view.message.text()
        assert not app.unlock_view.recovery_button.isEnabled()
    finally:
        app.shutdown()


# -- the organisation's idle lock ----------------------------------------------------------------------


def test_the_organisations_shorter_idle_lock_applies_after_unlock_and_sync(qtbot, app) -> None:
    assert app.idle.timeout_ms == 5 * 60_000
    app.runner.call(lambda s: server_policy.save(s, {"idle_lock_minutes": 2, "wipe_after_failures": 7}))
    app.sync.worker.finished.emit(None)  # what a finished sync announces
    qtbot.waitUntil(lambda: app.idle.timeout_ms == 2 * 60_000, timeout=20_000)
    assert app.idle.armed
    assert app.runner.call(lambda s: s.vault.wipe_limit()) == 7
    # A longer one never lengthens the laptop's own setting; none at all restores it.
    app.runner.call(lambda s: server_policy.save(s, {"idle_lock_minutes": 60}))
    app.vault_flow.read_idle_limit()
    qtbot.waitUntil(lambda: app.idle.timeout_ms == 5 * 60_000, timeout=20_000)
    app.runner.call(lambda s: server_policy.save(s, {"idle_lock_minutes": 1}))
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=20_000)
    app.idle.impose_minutes(None)
    qtbot.keyClicks(app.unlock_view.passphrase, demo.DEMO_PASSPHRASE)
    qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.idle.timeout_ms == 60_000, timeout=20_000)  # read again at unlock


def test_idle_lock_takes_the_shorter_of_its_own_and_the_imposed_time(qtbot) -> None:
    lock = IdleLock(5 * 60_000)
    lock.impose_minutes(2)
    assert lock.timeout_ms == 2 * 60_000
    lock.set_timeout(60_000)  # the person's own, shorter still
    assert lock.timeout_ms == 60_000
    lock.set_timeout(10 * 60_000)
    assert lock.timeout_ms == 2 * 60_000
    lock.impose_minutes(None)
    assert lock.timeout_ms == 10 * 60_000


def test_a_policy_missing_from_an_older_store_leaves_what_the_laptop_knew(qtbot, app) -> None:
    app.runner.call(lambda s: server_policy.save(s, {"idle_lock_minutes": 3, "wipe_after_failures": 4}))
    app.runner.call(lambda s: server_policy.save(s, {"retention_days": 30}))
    assert app.runner.call(lambda s: server_policy.idle_lock_minutes(s.db)) == 3
    assert app.runner.call(lambda s: s.vault.wipe_limit()) == 4
    app.runner.call(lambda s: server_policy.save(s, {"idle_lock_minutes": None, "wipe_after_failures": 0}))
    assert app.runner.call(lambda s: settings.get(s.db, settings.SERVER_IDLE_LOCK_MINUTES)) is None
    assert app.runner.call(lambda s: s.vault.wipe_limit()) is None
