"""Locking: by hand (Ctrl+L) or after a few minutes without a key press or a click.

``LockFlow.lock``: open forms become encrypted drafts, then the vault locks. On ``locked`` every flow
clears itself (app.py connects each); this one drops who is signed in, closes any dialog left open,
clears the clipboard if it holds text copied from Navigator, and says on the unlock screen why.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from navigator_desktop.ui import text
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.flows.vault import VaultFlow
from navigator_desktop.ui.main_window import MainWindow
from navigator_desktop.ui.views.unlock import UnlockView

DEFAULT_IDLE_MINUTES = 5
MAX_IDLE_MINUTES = 30.0
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

    def close(self) -> None:
        """Stop watching the application's events (at quit): every event passes through each
        filter still installed, so one left behind by a closed window slows all the others."""
        self.disarm()
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

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


IDLE_KEY = "lock/idle_minutes"


def idle_minutes_setting(store: QSettings | None = None) -> float:
    """Minutes of inactivity before the lock (plain settings: a preference, not a secret; chosen
    in Settings, ui/flows/settings.py)."""
    value = (store if store is not None else QSettings()).value(IDLE_KEY, DEFAULT_IDLE_MINUTES)
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    if minutes != minutes:  # NaN
        return DEFAULT_IDLE_MINUTES
    # A preference may shorten the lock, or lengthen it a little, never switch it off.
    return min(MAX_IDLE_MINUTES, max(0.5, minutes))


class LockFlow(QObject):
    def __init__(
        self,
        vault: VaultFlow,
        forms: FormsFlow,
        signed_in: SignedIn,
        window: MainWindow,
        unlock_view: UnlockView,
        idle: IdleLock,
        clipboard: ClipboardGuard,
    ) -> None:
        super().__init__()
        self.vault, self.forms, self.signed_in, self.window = vault, forms, signed_in, window
        self.unlock_view, self.idle, self.clipboard = unlock_view, idle, clipboard
        self.note = ""  # said on the unlock screen after the lock
        vault.unlocked.connect(idle.arm)
        vault.idle_limit.connect(idle.impose_minutes)
        vault.locked.connect(self._locked)
        idle.idle.connect(lambda: self.lock(idle=True))

    def lock(self, idle: bool = False) -> None:
        """Keep open forms as drafts, then lock; the drafts are queued first, so they land first."""
        if self.window.current_screen() in ("unlock", "create"):
            return
        self.idle.disarm()
        kept = self.forms.stash()
        self.note = text.lock_note(round(self.idle.timeout_ms / 1000) if idle else None, kept)
        self.vault.lock()

    def _locked(self) -> None:
        """Drop who is signed in and everything shown, and the clipboard if it holds our text."""
        self.idle.disarm()
        self.signed_in.clear()
        self.window.set_client_open(None)
        self.clipboard.clear_if_ours()
        # A dialog left open (a conflict review opened by sync, say) would show records over the
        # unlock screen of an unattended laptop. Open forms were kept as drafts before this.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.unlock_view.message.setText(self.note)
