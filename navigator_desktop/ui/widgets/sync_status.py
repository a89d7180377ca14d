"""The always-visible sync indicator: online or offline, changes waiting, last successful sync,
conflicts to review (risk-flag conflicts stand out), and "Sync now"."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from navigator_core import timeutil
from navigator_desktop.sync.status import SyncStatus
from navigator_desktop.ui import theme

# Says what to do, not only what is wrong (ui/flows/enrolment.py adds the menu entry).
NOT_ENROLLED = "Not enrolled — Navigator ▸ Connect to your organisation…"


def _when(text: str | None) -> str:
    if not text:
        return "never"
    return timeutil.local(timeutil.parse(text)).strftime("%d %b %H:%M")


class SyncStatusWidget(QWidget):
    sync_requested = Signal()
    review_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.state = QLabel()
        self.state.setAccessibleName("Connection")
        self.waiting = QLabel()
        self.waiting.setAccessibleName("Changes waiting to sync")
        self.last = QLabel()
        self.last.setAccessibleName("Last successful sync")
        self.review = QPushButton()
        self.review.setAccessibleName("Conflicts to review")
        self.review.setFlat(True)
        self.review.clicked.connect(self.review_requested)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(self.sync_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.state, self.waiting, self.last, self.review, self.sync_button):
            layout.addWidget(widget)
        self.show_locked()

    def show_status(self, status: SyncStatus) -> None:
        if not status.enrolled:
            state = NOT_ENROLLED
        elif status.syncing:
            state = "Syncing…"
        else:
            state = "Online" if status.online else "Offline"
        self.state.setText(state)
        waiting = f"{status.waiting} change{'s' if status.waiting != 1 else ''} waiting"
        if status.refused:
            # Never silent: the record is still on this laptop, but the team cannot see it.
            waiting += f", {status.refused} refused by the central store (ask IT)"
        self.waiting.setText(waiting)
        self.last.setText(f"Last sync: {_when(status.last_sync_at)}")
        self.review.setVisible(status.conflicts > 0)
        label = f"{status.conflicts} conflict{'s' if status.conflicts != 1 else ''} to review"
        if status.risk_conflicts:
            label += f" ({status.risk_conflicts} on risk flags)"
            self.review.setStyleSheet(f"color: {theme.colour('error').name()}; font-weight: bold")
        else:
            self.review.setStyleSheet("")
        self.review.setText(label)
        self.sync_button.setEnabled(status.enrolled and not status.syncing)
        self.setToolTip(status.message)

    def show_locked(self, last: SyncStatus | None = None) -> None:
        """Locked: not syncing. What was true at the lock stays (enrolled or not, changes waiting,
        last sync); before the first unlock nothing is known, so nothing is claimed."""
        self.review.hide()
        self.sync_button.setEnabled(False)
        if last is None:
            self.state.setText("Locked")
            self.waiting.clear()
            self.last.clear()
            return
        self.show_status(replace(last, online=False, syncing=False))
        self.sync_button.setEnabled(False)
        self.review.hide()
        self.state.setText("Locked: not syncing" if last.enrolled else NOT_ENROLLED)

    def show_progress(self, phase: str, pushed: int, pulled: int) -> None:
        self.state.setText(f"Syncing… sent {pushed}, received {pulled}")
