"""The idle lock: the vault closes, models are dropped, and an open form comes back after unlock."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtGui import QGuiApplication

from navigator_desktop.store import drafts
from tests.desktop.ui.conftest import unlock
from tests.desktop.ui.helpers import field, open_first_client, open_form, type_into, wait_idle


def test_idle_lock_keeps_an_open_contact_as_a_draft_and_restores_it_after_unlock(qtbot, app):
    assert app.idle.timeout_ms == 5 * 60_000, "five minutes unless configured"
    open_first_client(qtbot, app)
    app.client_actions.new_contact()
    form = open_form(qtbot, app, "contact")
    type_into(qtbot, field(form, "narrative"), "Half-written on the doorstep")
    form.editors["pathways"].tags["employment"].setChecked(True)
    QGuiApplication.clipboard().setText("copied from a note")
    app.clipboard._ours = True  # copied while Navigator had focus (offscreen has no focus window)

    app.idle.set_timeout(150)
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=10_000)
    wait_idle(qtbot, app)
    assert not app.forms.open_forms
    assert not shiboken6.isValid(form) or not form.isVisible()
    assert app.caseload_model.rowCount() == 0 and app.client_view.contacts.rowCount() == 0
    assert app.today_view.handover.rowCount() == 0 and app.client_view.record is None
    assert QGuiApplication.clipboard().text() == ""
    assert app.runner.call(lambda s: s.state.value) == "locked"

    app.idle.set_timeout(5 * 60_000)
    unlock(qtbot, app)
    restored = open_form(qtbot, app, "contact")
    assert field(restored, "narrative").toPlainText() == "Half-written on the doorstep"
    assert restored.editors["pathways"].tags["employment"].isChecked()
    assert "Restored" in restored.message.text()
    restored.cancel_button.click()
    wait_idle(qtbot, app)
    user = app.signed_in.who.user_id
    assert app.runner.call(lambda s: drafts.for_user(s.db, user)) == [], "cancelling discards the draft"


def test_the_lock_shortcut_locks_and_nothing_locks_while_already_locked(qtbot, app):
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=10_000)
    assert not app.idle.armed
    assert not app.window.lock_action.isEnabled()


def test_a_save_still_queued_when_the_app_locks_is_kept_once_and_leaves_no_draft(qtbot, app):
    """Save clicked while the database worker is busy (say, applying a sync page), then a lock:
    the contact is recorded once, and no draft comes back to tempt a second save."""
    import threading

    from navigator_desktop.store import contacts

    client_id = open_first_client(qtbot, app)
    before = len(app.runner.call(lambda s: contacts.timeline(s.db, client_id)))
    app.client_actions.new_contact()
    form = open_form(qtbot, app, "contact")
    type_into(qtbot, field(form, "narrative"), "Saved just before the lock")
    gate = threading.Event()
    app.runner.submit(lambda s: gate.wait(10), name="busy worker")
    form.save_button.click()
    app.window.lock_action.trigger()
    gate.set()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=10_000)
    wait_idle(qtbot, app)
    unlock(qtbot, app)
    wait_idle(qtbot, app)
    assert not app.forms.open_forms, "no draft is restored for a form that was saved"
    user = app.signed_in.who.user_id
    assert app.runner.call(lambda s: drafts.for_user(s.db, user)) == []
    after = app.runner.call(lambda s: contacts.timeline(s.db, client_id))
    assert len(after) == before + 1
    assert sum(c["narrative"] == "Saved just before the lock" for c in after) == 1


def test_locking_closes_any_dialog_left_open_over_the_records(qtbot, app):
    from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

    dialog = QDialog(app.window)
    QVBoxLayout(dialog).addWidget(QLabel("both values of a risk flag"))
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock", timeout=10_000)
    assert not dialog.isVisible()


@pytest.mark.parametrize(
    ("stored", "minutes"), [("inf", 30.0), ("nan", 5.0), ("0", 0.5), ("12", 12.0), ("x", 5.0)]
)
def test_the_idle_lock_preference_cannot_switch_the_lock_off(qtbot, stored, minutes):
    from PySide6.QtCore import QSettings

    from navigator_desktop.ui.flows.lock import idle_minutes_setting

    QSettings().setValue("lock/idle_minutes", stored)
    try:
        assert idle_minutes_setting() == minutes
    finally:
        QSettings().remove("lock/idle_minutes")


def test_a_closed_idle_lock_no_longer_sees_the_applications_events(qtbot):
    """Each app window's idle lock watches every event of the application; one left behind after
    quit would make every later event, and every window built, slower (the test suite slowed so)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QWidget

    from navigator_desktop.ui.flows.lock import IdleLock

    class Counting(IdleLock):
        seen = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.KeyPress:
                Counting.seen += 1
            return super().eventFilter(watched, event)

    widget = QWidget()
    qtbot.addWidget(widget)
    lock = Counting(60_000)
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QGuiApplication.sendEvent(widget, press)
    assert Counting.seen == 1
    lock.close()
    QGuiApplication.sendEvent(widget, press)
    assert Counting.seen == 1 and not lock.armed
