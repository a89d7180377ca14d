"""Buttons made the same way everywhere: a push button with an object name (for the style sheet and
for tests to find it by), and a dialog's Cancel with its one accepting button."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def named_button(label: str, name: str) -> QPushButton:
    button = QPushButton(label)
    button.setObjectName(name)
    return button


def accept_or_cancel(dialog: QDialog, action: str) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel and one accepting button labelled `action`, wired to the dialog's reject and accept."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    accepting = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, accepting
