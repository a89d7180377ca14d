"""The idle lock: after a few minutes without a key press or a click, lock the vault.

Locking (see app.py's wiring): open forms become encrypted drafts, the database closes, every model
is dropped, the clipboard is cleared if it holds text copied from Navigator, the unlock screen shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

DEFAULT_IDLE_MINUTES = 5
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Emits `idle` once after `timeout_ms` of no input while armed (armed only when unlocked)."""

    idle = Signal()

    def __init__(self, timeout_ms: int = DEFAULT_IDLE_MINUTES * 60_000, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout(self, timeout_ms: int) -> None:
        """A shorter time may be imposed (by the organisation); it applies from now."""
        self._timer.setInterval(timeout_ms)
        if self._timer.isActive():
            self._timer.start()

    def arm(self) -> None:
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False


class ClipboardGuard(QObject):
    """Remembers whether the clipboard's text was copied from Navigator, to clear it on lock."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._ours = False
        self.clipboard: QClipboard = QGuiApplication.clipboard()
        self.clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        # Copied while one of our windows had focus: Navigator's text.
        self._ours = QGuiApplication.focusWindow() is not None or self.clipboard.ownsClipboard()

    def clear_if_ours(self) -> bool:
        if self._ours or self.clipboard.ownsClipboard():
            self.clipboard.clear()
            self._ours = False
            return True
        return False
