"""Driving the app the way a person does: keys, clicks, and waiting for the worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from navigator_desktop.app import Navigator
from navigator_desktop.ui.forms.record_form import RecordForm


def wait_idle(qtbot, app: Navigator) -> None:
    qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=20_000)


def shortcut(qtbot, app: Navigator, keys: str) -> None:
    """Trigger the window action bound to `keys` (offscreen windows get no real key focus)."""
    for action in app.window.findChildren(type(app.window.lock_action)):
        if action.shortcut().toString() == keys and action.isEnabled():
            action.trigger()
            return
    raise AssertionError(f"no enabled action for {keys}")


def open_form(qtbot, app: Navigator, name: str) -> RecordForm:
    qtbot.waitUntil(lambda: any(f.name == name for f in app.forms.open_forms.values()))
    return next(f for f in app.forms.open_forms.values() if f.name == name)


def field(form: RecordForm, name: str) -> QWidget:
    return form.editors[name].widget


def type_into(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    assert widget.hasFocus() or not widget.isActiveWindow()
    qtbot.keyClicks(widget, text)


def save(qtbot, app: Navigator, form: RecordForm) -> None:
    """Ctrl+Enter in whichever field has the focus, as a person saves a form."""
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClick(form.focusWidget() or form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, app)


def open_first_client(qtbot, app: Navigator) -> str:
    app.window.nav["caseload"].trigger()
    table = app.caseload_view.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    wait_idle(qtbot, app)
    return app.client_view.record.client["id"]


def save_report_table(qtbot, app: Navigator, monkeypatch, key: str, target) -> list[str]:
    """Press a Reports table's "Save as CSV…" and choose `target` in the save dialog; the names
    the dialog proposed."""
    view = app.reports.view
    asked: list[str] = []
    monkeypatch.setattr(view, "ask_save_path", lambda suggested: asked.append(suggested) or str(target))
    view.findChild(QPushButton, f"export_{key}").click()
    qtbot.waitUntil(target.exists, timeout=20_000)
    wait_idle(qtbot, app)
    return asked
