"""Shows a new recovery key once, in groups a person can copy onto paper."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class RecoveryKeyDialog(QDialog):
    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        text = QLabel(
            "This key also opens your vault if you forget your passphrase. It is shown <b>only now</b>. "
            "Write it down and keep it somewhere safe and separate from the laptop, as your "
            "organisation's policy says. Anyone with it and the laptop can read the records."
        )
        text.setWordWrap(True)
        shown = QLabel(key)
        shown.setObjectName("recoveryKey")
        font: QFont = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 4)
        shown.setFont(font)
        shown.setAccessibleName("Recovery key")
        shown.setTextInteractionFlags(
            shown.textInteractionFlags() | shown.textInteractionFlags().TextSelectableByMouse
        )
        buttons = QDialogButtonBox()
        buttons.addButton("I have written it down", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(shown)
        layout.addWidget(buttons)
