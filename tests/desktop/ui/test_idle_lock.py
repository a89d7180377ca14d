"""The idle lock: the vault closes, models are dropped, and an open form comes back after unlock."""

from __future__ import annotations

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
