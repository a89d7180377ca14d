"""A push button with an object name, for the style sheet and for tests to find it by."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton


def named_button(label: str, name: str) -> QPushButton:
    button = QPushButton(label)
    button.setObjectName(name)
    return button
