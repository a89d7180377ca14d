"""The unlock screen: one passphrase field, one button, and a clear sentence when it goes wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from navigator_desktop.ui.widgets.centred import centre


class UnlockView(QWidget):
    unlock_requested = Signal(str)

    def __init__(self, demo_passphrase: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unlockView")
        title = QLabel("<h1>Navigator</h1>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = QLabel("Your caseload is locked. Enter your passphrase to open it.")
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.returnPressed.connect(self._submit)
        self.button = QPushButton("&Unlock")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)

        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Unlock message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        box = QFrame()
        box.setObjectName("unlockBox")
        box.setFixedWidth(480)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(intro)
        if demo_passphrase:
            hint = QLabel(
                "<b>Demo mode</b>: every person in this vault is made up.<br>"
                f"The demo passphrase is <code>{demo_passphrase}</code>"
            )
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(hint)
        inner.addWidget(self.passphrase)
        inner.addWidget(self.button)
        inner.addWidget(self.message)

        centre(self, box)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._wait = 0

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        text = self.passphrase.text()
        if not text:
            self.show_error("Type your passphrase first.")
            return
        self.set_busy(True, "Unlocking…")
        self.unlock_requested.emit(text)

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.message.setText(message)

    def show_error(self, message: str, retry_after: float = 0.0) -> None:
        self.set_busy(False)
        self.message.setText(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if retry_after > 0:
            self._wait = int(retry_after + 0.999)
            self.button.setEnabled(False)
            self._countdown.start()
            self._tick_text(message)

    def _tick_text(self, base: str) -> None:
        self._base = base
        self.message.setText(f"{base}\nYou can try again in {self._wait} s.")

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self._countdown.stop()
            self.button.setEnabled(True)
            self.message.setText(self._base)
        else:
            self._tick_text(self._base)

    def reset(self) -> None:
        self.passphrase.clear()
        self.set_busy(False)
        self.passphrase.setFocus()
