"""A field's error goes as soon as the field is corrected: each edit re-checks the fields that
show an error (with the same checks as saving) and clears those now right. New errors are not
shown while typing: they wait for the save, so a half-typed value is not scolded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from navigator_core.fields import FieldError
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.widgets.typed_date import TypedDateEdit


class CheckedForm(Protocol):
    """What a form offers to be re-checked (RecordForm; a protocol, so this module does not import it)."""

    @property
    def editors(self) -> Mapping[str, FieldEditor]: ...
    @property
    def message(self) -> QLabel: ...
    def problems(self) -> list[FieldError]: ...


CHECK_FIELDS = "Please check the fields marked ⚠."  # what the form says while fields show errors


def changed(editor: FieldEditor) -> list[SignalInstance]:
    """The signals that say the field's value changed."""
    w: QWidget = editor.widget
    if isinstance(w, TypedDateEdit):
        return [w.changed]
    if isinstance(w, QLineEdit | QPlainTextEdit):
        return [w.textChanged]
    if isinstance(w, QComboBox):
        return [w.currentIndexChanged]
    if isinstance(w, QSpinBox):
        return [w.valueChanged]
    if isinstance(w, QCheckBox):
        return [w.toggled]
    return [check.toggled for check in getattr(editor, "tags", {}).values()]


def recheck(form: CheckedForm) -> None:
    shown = [name for name, e in form.editors.items() if not e.error.isHidden()]
    if not shown:
        return
    still = {p.field for p in form.problems()}
    for name in shown:
        if name not in still:
            form.editors[name].show_error(None)
    if all(e.error.isHidden() for e in form.editors.values()) and form.message.text() == CHECK_FIELDS:
        form.message.clear()


def watch(form: CheckedForm) -> None:
    for editor in form.editors.values():
        for signal in changed(editor):
            signal.connect(lambda *_: recheck(form))
