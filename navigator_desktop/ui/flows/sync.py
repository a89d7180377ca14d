"""The sync worker, its status indicator and the conflict review, following unlock and lock.

Everything that touches the store goes through the TaskRunner; widgets only react to signals.
app.py puts ``widget`` in the window's status bar.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from navigator_desktop.session import Session
from navigator_desktop.store import conflicts, directory
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.sync.engine import SyncReport
from navigator_desktop.sync.status import SyncStatus, read_status
from navigator_desktop.sync_worker import SyncWorker
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus
from navigator_desktop.ui.dialogs.conflict import ConflictDialog
from navigator_desktop.ui.flows.vault import VaultFlow
from navigator_desktop.ui.retention_hook import announce_purged
from navigator_desktop.ui.widgets.sync_status import SyncStatusWidget

log = logging.getLogger("navigator.ui.sync")


class SyncFlow(QObject):
    def __init__(
        self,
        runner: TaskRunner[Session],
        bus: ChangeBus,
        vault: VaultFlow,
        parent: QWidget,
        worker: SyncWorker | None = None,
    ) -> None:
        super().__init__()
        self.runner, self.vault, self.parent_widget = runner, vault, parent
        self.worker = worker or SyncWorker(runner)
        self.widget = SyncStatusWidget()
        self._reviewing = False
        self._unlocked = False
        self._refreshing = False
        self.last: SyncStatus | None = None  # the last status read while unlocked: the lock screen keeps it
        self._names: dict[str, str] = {}  # user id -> display name, for "by whom" in the dialog
        vault.unlocked.connect(self._on_unlocked)
        vault.locked.connect(self._on_locked)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.worker.stop)
        self.widget.sync_requested.connect(self.worker.sync_now)
        self.widget.review_requested.connect(self.review)
        self.worker.status_changed.connect(self._show_status)
        self.worker.progress.connect(self.widget.show_progress)
        self.worker.failed.connect(lambda message: self.widget.setToolTip(message))
        self.worker.finished.connect(lambda _report: self.refresh())
        self.worker.finished.connect(lambda report: announce_purged(bus, report))  # retention
        # What the pull changed goes on the change bus as a local write's does: every screen
        # refreshes what concerns it (an open client's risk banner, Today, Caseload, Reports).
        self.worker.finished.connect(lambda report: self._publish_pulled(bus, report))
        self.worker.risk_conflicts_found.connect(lambda _n: self.review())
        self.worker.revoked.connect(self._on_revoked)
        # Every local write is published on the app's change bus: that is when "changes waiting"
        # moves. (Refreshing on every idle runner would make status jobs trigger each other.)
        bus.changed.connect(lambda _changes: self.refresh())

    def _publish_pulled(self, bus: ChangeBus, report: SyncReport | None) -> None:
        changes = report.changes if report is not None else []
        if self._unlocked and changes:
            bus.publish(WriteResult("", list(changes)))

    def _on_unlocked(self) -> None:
        self._unlocked = True
        self.worker.start()
        self.refresh()

    def _on_locked(self) -> None:
        self._unlocked = False
        self.worker.stop()
        self.widget.show_locked(self.last)

    def reach(self) -> str:
        """Who can see what this laptop writes now: "online", "offline" or "unenrolled"."""
        if self.last is not None and not self.last.enrolled:
            return "unenrolled"
        return "online" if self.worker.online else "offline"

    def _show_status(self, status: SyncStatus) -> None:
        if self._unlocked:  # a status sent just before a lock arrives after it: not shown
            self.last = status
            self.widget.show_status(status)

    def refresh(self) -> None:
        """Changes waiting and conflicts, re-read after any store work (cheap counts)."""
        if not self._unlocked or self._reviewing or self._refreshing:
            return
        self._refreshing = True

        def shown(status: SyncStatus) -> None:
            self._refreshing = False
            online, syncing = self.worker.online, self.worker.syncing
            if self._unlocked:
                self.last = replace(status, online=online, syncing=syncing)
                self.widget.show_status(self.last)

        def failed(_error: BaseException) -> None:
            self._refreshing = False

        self.runner.submit(read_status, shown, failed, name="sync-status")

    def review(self) -> None:
        """Show the open conflicts one at a time, risk flags first, until the person stops."""
        if self._reviewing or not self._unlocked:
            return
        self._reviewing = True

        def found(answer: tuple[list[conflicts.Conflict], dict[str, str]]) -> None:
            self._names = answer[1]
            self._show_next(answer[0])

        self.runner.submit(
            lambda s: (conflicts.open_conflicts(s.db), directory.display_names(s.db)),
            found,
            self._done,
            name="conflicts",
        )

    def _show_next(self, found: list[conflicts.Conflict]) -> None:
        if not found:
            self._done()
            return
        conflict = found[0]
        dialog = ConflictDialog(conflict, self._names, parent=self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            self._done()
            return
        choice, reason = dialog.choice, dialog.reason

        def resolve(session: Any) -> list[conflicts.Conflict]:
            conflicts.resolve(session.db, session.actor, conflict.id, choice, reason)
            return conflicts.open_conflicts(session.db)

        self.runner.submit(resolve, self._show_next, self._done, name="resolve-conflict")

    def _done(self, _error: object = None) -> None:
        self._reviewing = False
        self.refresh()

    def _on_revoked(self, message: str) -> None:
        self._unlocked = False
        self.worker.stop()
        # The vault files are gone; take every record off the screen before saying so.
        self.vault.locked.emit()
        QMessageBox.warning(self.parent_widget, "This laptop's access was withdrawn", message)
        self.vault.start()
