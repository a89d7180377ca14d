"""A form dialog built from field specs: keyboard first, errors shown at the field, kept as a draft.

Forms never write: they emit ``submitted`` with their values and the flow that opened them does
the work through the task runner, then closes the form or hands back the errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from navigator_core.fields import FieldError, KindSpec
from navigator_desktop.ui import theme
from navigator_desktop.ui.forms import live_errors
from navigator_desktop.ui.forms.fields import FieldEditor

Section = tuple[str | None, Sequence[FieldEditor]]


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class RecordForm(QDialog):
    submitted = Signal(dict)  # the values, ready for the store
    cancelled = Signal()

    def __init__(
        self,
        name: str,
        title: str,
        sections: Sequence[Section],
        *,
        kind: KindSpec | None = None,
        fixed: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        intro: str = "",
        save_text: str = "&Save",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.name = name  # which form: the drafts registry uses it to rebuild this form
        self.kind = kind
        self.fixed = dict(fixed or {})  # values the record needs that the form does not show
        self.context = dict(context or {})
        self.setWindowTitle(title)
        self.setObjectName(f"form_{name}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.editors: dict[str, FieldEditor] = {}

        body = QWidget()
        inner = QVBoxLayout(body)
        heading = QLabel(f"<h2>{title}</h2>")
        inner.addWidget(heading)
        if intro:
            about = QLabel(intro)
            about.setWordWrap(True)
            about.setObjectName("formIntro")
            inner.addWidget(about)
        for section_title, editors in sections:
            box: QWidget = QGroupBox(section_title) if section_title else QWidget()
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for editor in editors:
                self.editors[editor.spec.name] = editor
                # The cell takes the whole width, so an error under a short input has room to wrap.
                cell = QWidget()
                cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                stack = QVBoxLayout(cell)
                stack.setContentsMargins(0, 0, 0, 0)
                stack.setSpacing(2)
                line = QHBoxLayout()
                line.addWidget(editor.widget)
                if editor.widget.sizePolicy().horizontalPolicy() != QSizePolicy.Policy.Expanding:
                    line.addStretch(1)
                stack.addLayout(line)
                stack.addWidget(editor.error)
                if editor.spec.type.value == "bool":
                    form.addRow("", cell)
                else:
                    caption = QLabel(editor.title)
                    caption.setBuddy(editor.focus_widget())
                    form.addRow(caption, cell)
            inner.addWidget(box)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Form message")
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(save_text)
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, self.submit)

        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.message)
        outer.addWidget(self.buttons)
        self.resize(720, 640)
        live_errors.watch(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.focusWidget() is None and self.editors:
            next(iter(self.editors.values())).focus_widget().setFocus()

    # --- values ---------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds, field by field (blank fields as None), for a draft."""
        return {name: editor.value() for name, editor in self.editors.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name in self.editors:
                self.editors[name].set_value(value)

    def record_values(self) -> dict[str, Any]:
        """The values to write: the fixed ones and every field filled in, for fields of the kind."""
        filled = {k: v for k, v in self.values().items() if not _blank(v)}
        if self.kind is not None:
            filled = {k: v for k, v in filled.items() if k in self.kind.by_name}
        return {**self.fixed, **filled}

    def draft(self) -> dict[str, Any]:
        return {"form": self.name, "context": self.context, "values": self.values()}

    # --- checking and saving --------------------------------------------------------------

    def problems(self) -> list[FieldError]:
        """Errors the form can see without the store: required fields, and the kind's checks."""
        found = [
            FieldError(name, f"{e.spec.title} is required.")
            for name, e in self.editors.items()
            if e.spec.required and _blank(e.value()) and (self.kind is None or name not in self.kind.by_name)
        ]
        if self.kind is not None:
            found += self.kind.errors(self.record_values())
        # Last, so a typed date's own words win over the kind's "must be a date".
        found += [FieldError(name, said) for name, e in self.editors.items() if (said := e.typed_problem())]
        return found

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        problems = self.problems()
        if problems:
            self.show_errors(problems)
            return
        self.show_errors([])
        self.set_busy(True, "Saving…")
        self.submitted.emit(self.record_values())

    def show_errors(self, errors: list[FieldError]) -> None:
        """Each error beside its field; errors about fields the form does not show go in the message."""
        by_field = {e.field: e.message for e in errors}
        for name, editor in self.editors.items():
            editor.show_error(by_field.pop(name, None))
        self.set_busy(False)
        if by_field:
            self.show_message(" ".join(by_field.values()), error=True)
        elif errors:
            self.show_message(live_errors.CHECK_FIELDS, error=True)
        else:
            self.message.clear()
        first = next((self.editors[e.field] for e in errors if e.field in self.editors), None)
        if first is not None:
            first.focus_widget().setFocus()

    def show_message(self, message: str, *, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {theme.colour('error').name()};" if error else "")

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.save_button.setEnabled(not busy)
        if message or not busy:
            self.show_message(message)

    def reject(self) -> None:
        super().reject()
        self.cancelled.emit()
