"""The unlock screen: one passphrase field, one button, and a clear sentence when it goes wrong.

A forgotten passphrase has a way forward here too ("Use recovery key…"), and when the
organisation's wipe has happened the screen says so and offers nothing to type into.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from navigator_desktop.ui.widgets.centred import centre
from navigator_desktop.vault.errors import VaultWiped

LOCKED_INTRO = "Your caseload is locked. Enter your passphrase to open it."


class UnlockView(QWidget):
    unlock_requested = Signal(str)
    recovery_requested = Signal()

    def __init__(self, demo_passphrase: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unlockView")
        title = QLabel("<h1>Navigator</h1>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = intro = QLabel(LOCKED_INTRO)
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
        self.recovery_button = QPushButton("Forgotten it? Use &recovery key…")
        self.recovery_button.setObjectName("recoveryLink")
        self.recovery_button.setFlat(True)
        self.recovery_button.setAutoDefault(False)
        self.recovery_button.clicked.connect(self.recovery_requested)

        self.visit_note = QLabel()
        self.visit_note.setObjectName("lockVisitNote")
        self.visit_note.setWordWrap(True)
        self.visit_note.setAccessibleName("Visit in progress")
        self.visit_note.hide()

        self.watch_note = QLabel()  # a locked on-call laptop's watch: counts only (flows/watch.py)
        self.watch_note.setObjectName("lockWatchNote")
        self.watch_note.setWordWrap(True)
        self.watch_note.setAccessibleName("On-call watch")
        self.watch_note.hide()

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
        inner.addWidget(self.visit_note)
        inner.addWidget(self.watch_note)
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
        inner.addWidget(self.recovery_button)
        inner.addWidget(self.message)

        centre(self, box)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._wait = 0
        self.wiped = False

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        text = self.passphrase.text()
        if not text:
            self.show_error("Type your passphrase first.")
            return
        self.set_busy(True, "Unlocking…")
        self.unlock_requested.emit(text)

    def show_visit(self, note: str) -> None:
        """A visit in progress, without client or place ("Visit in progress, due out at 20:34")."""
        self.visit_note.setVisible(bool(note))
        if note:
            self.visit_note.setText(
                f"<b>{escape(note)}</b><br>To extend the visit or check out, unlock first."
            )

    def show_watch(self, note: str) -> None:
        """The on-call watch's counts, or that it ended ("" hides it): never a client detail."""
        self.watch_note.setVisible(bool(note))
        self.watch_note.setText(f"<b>{escape(note)}</b>" if note else "")

    def show_alarm(self, title: str, body: str) -> None:
        """A warning given while locked (it is also a system notification, where there is a tray)."""
        self.message.setText(f"⚠ {title}. {body}")

    def set_busy(self, busy: bool, message: str = "") -> None:
        usable = not busy and not self.wiped
        self.button.setEnabled(usable)
        self.passphrase.setEnabled(usable)
        self.recovery_button.setEnabled(usable)
        self.message.setText(message)

    def show_wiped(self, message: str) -> None:
        """The organisation's wipe happened: nothing here can be unlocked any more."""
        self.wiped = True
        self._countdown.stop()
        self.passphrase.clear()
        for widget in (self.passphrase, self.button, self.recovery_button):
            widget.setEnabled(False)
            widget.hide()
        self.intro.setText(f"<b>{VaultWiped.title}</b>")
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
        self.wiped = False
        self.intro.setText(LOCKED_INTRO)
        for widget in (self.passphrase, self.button, self.recovery_button):
            widget.show()
        self.set_busy(False)
        self.passphrase.setFocus()
