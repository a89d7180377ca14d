"""A field's error goes as soon as the field is corrected: each edit re-checks the fields that
show an error (with the same checks as saving) and clears those now right. New errors are not
shown while typing: they wait for the save, so a half-typed value is not scolded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from navigator_desktop.ui.forms.fields import FieldEditor

if TYPE_CHECKING:
    from navigator_desktop.ui.forms.record_form import RecordForm


CHECK_FIELDS = "Please check the fields marked ⚠."  # what the form says while fields show errors


def changed(editor: FieldEditor) -> list[SignalInstance]:
    """The signals that say the field's value changed."""
    w: QWidget = editor.widget
    if isinstance(w, QLineEdit | QPlainTextEdit):
        return [w.textChanged]
    if isinstance(w, QComboBox):
        return [w.currentIndexChanged]
    if isinstance(w, QSpinBox):
        return [w.valueChanged]
    if isinstance(w, QCheckBox):
        return [w.toggled]
    if isinstance(w, QDateTimeEdit) and not isinstance(w, QDateEdit):
        return [w.dateTimeChanged]
    if isinstance(w, QDateEdit):
        return [w.dateChanged]
    return [check.toggled for check in getattr(editor, "tags", {}).values()]


def recheck(form: RecordForm) -> None:
    shown = [name for name, e in form.editors.items() if not e.error.isHidden()]
    if not shown:
        return
    still = {p.field for p in form.problems()}
    for name in shown:
        if name not in still:
            form.editors[name].show_error(None)
    if all(e.error.isHidden() for e in form.editors.values()) and form.message.text() == CHECK_FIELDS:
        form.message.clear()


def watch(form: RecordForm) -> None:
    for editor in form.editors.values():
        for signal in changed(editor):
            signal.connect(lambda *_: recheck(form))
