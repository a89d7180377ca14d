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
        self._own_ms = timeout_ms  # this laptop's setting
        self._imposed_ms: int | None = None  # the organisation's, from the central store
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout(self, timeout_ms: int) -> None:
        """This laptop's own idle time; an organisation's shorter one still wins. Applies from now."""
        self._own_ms = timeout_ms
        self._apply()
        if self._timer.isActive():
            self._timer.start()

    def impose_minutes(self, minutes: float | None) -> None:
        """The organisation's longest idle time (None: none imposed). The lock uses the shorter of
        it and the laptop's own setting; it applies from now."""
        self._imposed_ms = None if minutes is None or minutes <= 0 else int(minutes * 60_000)
        self._apply()

    def _apply(self) -> None:
        # Only when the time changes: setting the interval restarts the countdown, and a sync
        # every few minutes must not keep an unattended laptop unlocked.
        limits = [self._own_ms] + ([self._imposed_ms] if self._imposed_ms is not None else [])
        if min(limits) == self._timer.interval():
            return
        self._timer.setInterval(min(limits))
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
