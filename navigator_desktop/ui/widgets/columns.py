"""A part of a bigger layout: a widget holding a column with no margins of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget


def bare_column() -> tuple[QWidget, QVBoxLayout]:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    return box, column
