"""The app's voice outside its window: a tray icon with the app's state, and system notifications.

The tray icon exists only where the desktop has a tray (``isSystemTrayAvailable``); without one the
app still asks for the taskbar's attention (``QApplication.alert``) and keeps the last message for
the screens to show (the lock screen says it). Nothing said here names a client or a place: a
notification shows on a locked laptop and over other people's shoulders.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from navigator_desktop import branding

SHOW_FOR_MS = 30_000
TEST_TITLE, TEST_BODY = "Navigator", "This is a test notification. Visit warnings will look like this."


class Notifier(QObject):
    notified = Signal(str, str)  # title, body

    def __init__(self, window: QWidget, tray_available: bool | None = None):
        super().__init__()
        self.window = window
        available = QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = QSystemTrayIcon(branding.app_icon(), self)
            self.tray.activated.connect(lambda _reason: self._raise())
            self.tray.show()
        self.state = ""
        self.enabled = True  # system notifications (Settings); the taskbar's attention is always asked
        self.last: tuple[str, str] | None = None
        self.set_state("Locked")

    def set_state(self, state: str) -> None:
        """What the tray icon's tooltip says ("Locked", "Visit in progress, due out at 20:34")."""
        self.state = state
        if self.tray is not None:
            self.tray.setToolTip(f"Navigator — {state}")

    def notify(self, title: str, body: str) -> None:
        """A system notification (when there is a tray) and the taskbar's attention (always)."""
        self.last = (title, body)
        if self.tray is not None and self.enabled:
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Warning, SHOW_FOR_MS)
        QApplication.alert(self.window, 0)
        self.notified.emit(title, body)

    def test(self) -> bool:
        """A test notification, asked for in Settings; True when the desktop showed it as a
        system notification, False when it has no tray (the taskbar's attention only)."""
        QApplication.alert(self.window, 0)
        if self.tray is None:
            return False
        self.tray.showMessage(TEST_TITLE, TEST_BODY, QSystemTrayIcon.MessageIcon.Information, 10_000)
        return True

    def _raise(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
