"""One editor per field type, built from the field's spec: a widget, its value, and its error at the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from navigator_core import timeutil
from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_desktop.ui import text, theme
from navigator_desktop.ui.widgets.typed_date import TypedDateEdit

LONG_TEXT = 2_000  # fields allowed more than this many characters get a multi-line box


class FieldEditor:
    """A field's input widget and the label under it that says what is wrong with it."""

    def __init__(
        self,
        spec: FieldSpec,
        choices: list[tuple[str, str]] | None = None,
        label: str | None = None,
    ):
        self.spec = spec
        self.title = label or spec.title + (" *" if spec.required else "")
        self.widget = self._build(choices)
        self.widget.setObjectName(f"field_{spec.name}")
        self.widget.setAccessibleName(spec.title)
        self.error = QLabel()
        self.error.setObjectName(f"error_{spec.name}")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"Problem with {spec.title}")
        self.error.hide()

    def _build(self, choices: list[tuple[str, str]] | None) -> QWidget:
        spec = self.spec
        if choices is not None or spec.type is T.ENUM:
            combo = QComboBox()
            if not spec.required:
                combo.addItem("—", None)
            for shown, value in (
                choices if choices is not None else [(text.label(c), c) for c in spec.choices]
            ):
                combo.addItem(shown, value)
            return combo
        if spec.type is T.INT:
            spin = QSpinBox()
            spin.setRange(0, 24 * 60)
            return spin
        if spec.type is T.BOOL:
            return QCheckBox(spec.title)
        if spec.type in (T.DATE, T.DATETIME):
            return TypedDateEdit(with_time=spec.type is T.DATETIME)
        if spec.type is T.TAGS:
            box = QWidget()
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 0, 0, 0)
            self.tags: dict[str, QCheckBox] = {}
            for i, choice in enumerate(spec.choices):
                check = QCheckBox(text.label(choice))
                check.setObjectName(f"tag_{choice}")
                self.tags[choice] = check
                grid.addWidget(check, i // 3, i % 3)
            return box
        if spec.type is T.TEXT and spec.max_length > LONG_TEXT:
            area = QPlainTextEdit()
            area.setTabChangesFocus(True)
            area.setMinimumHeight(70)
            return area
        line = QLineEdit()
        if spec.type is T.LIST:
            line.setPlaceholderText("Separate names with commas")
        return line

    def focus_widget(self) -> QWidget:
        if self.spec.type is T.TAGS:
            return next(iter(self.tags.values()))
        return self.widget

    def value(self) -> Any:
        w, kind = self.widget, self.spec.type
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, TypedDateEdit):
            return _stored(w)
        if kind is T.TAGS:
            return [c for c, check in self.tags.items() if check.isChecked()]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip() or None
        assert isinstance(w, QLineEdit)
        if kind is T.LIST:
            return [p.strip() for p in w.text().split(",") if p.strip()]
        return w.text().strip() or None

    def set_value(self, value: Any) -> None:
        w, kind = self.widget, self.spec.type
        if isinstance(w, QComboBox):
            found = w.findData(value)
            w.setCurrentIndex(max(found, 0))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, TypedDateEdit):
            w.set_value(_typed(value, w.with_time))
        elif kind is T.TAGS:
            for choice, check in self.tags.items():
                check.setChecked(choice in (value or []))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QLineEdit):
            w.setText(", ".join(value) if isinstance(value, list) else (value or ""))

    def typed_problem(self) -> str | None:
        """Why a typed date or time cannot be read (None for other fields, and when it can)."""
        return self.widget.problem() if isinstance(self.widget, TypedDateEdit) else None

    def show_error(self, message: str | None) -> None:
        if message:
            self.error.setText(f"⚠ {message}")
            self.error.setStyleSheet(f"color: {theme.colour('error').name()};")
            self.error.show()
        else:
            self.error.clear()
            self.error.hide()


def _stored(w: TypedDateEdit) -> str | None:
    """The box's value as the records keep it: ``2026-12-05``, or a UTC instant. Text that cannot
    be read is given back as typed, so the field's checks refuse it rather than save nothing."""
    found = w.reading()
    if found is None:
        return w.text().strip() or None
    if isinstance(found, datetime):
        return timeutil.to_text(found.replace(tzinfo=timeutil.LONDON))
    return found.isoformat()


def _typed(value: str | None, with_time: bool) -> date | datetime | None:
    """A stored value as the box shows it: a day, or a London wall-clock time."""
    if not value:
        return None
    if with_time:
        return timeutil.local(timeutil.parse(value)).replace(tzinfo=None)
    return timeutil.parse_date(value)
