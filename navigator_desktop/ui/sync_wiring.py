"""Connects the sync worker, the status indicator and the conflict review to a running app.

app.py calls ``install_sync(navigator)`` once, after building the Navigator. Everything that
touches the store goes through the navigator's TaskRunner; widgets only react to signals.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QMessageBox

from navigator_desktop.store import conflicts, directory
from navigator_desktop.sync.status import SyncStatus, read_status
from navigator_desktop.sync_worker import SyncWorker
from navigator_desktop.ui.dialogs.conflict import ConflictDialog
from navigator_desktop.ui.retention_hook import announce_purged
from navigator_desktop.ui.widgets.sync_status import SyncStatusWidget

log = logging.getLogger("navigator.ui.sync")


class SyncWiring(QObject):
    def __init__(self, navigator: Any, worker: SyncWorker | None = None) -> None:
        super().__init__()
        self.navigator = navigator
        self.runner = navigator.runner
        self.worker = worker or SyncWorker(self.runner)
        self.widget = SyncStatusWidget()
        self._reviewing = False
        self._unlocked = False
        self._refreshing = False
        self._names: dict[str, str] = {}  # user id -> display name, for "by whom" in the dialog
        navigator.window.statusBar().addPermanentWidget(self.widget)
        flow = navigator.vault_flow
        flow.unlocked.connect(self._on_unlocked)
        flow.locked.connect(self._on_locked)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.worker.stop)
        self.widget.sync_requested.connect(self.worker.sync_now)
        self.widget.review_requested.connect(self.review)
        self.worker.status_changed.connect(self._show_status)
        self.worker.progress.connect(self.widget.show_progress)
        self.worker.failed.connect(lambda message: self.widget.setToolTip(message))
        self.worker.finished.connect(lambda _report: self.refresh())
        self.worker.finished.connect(lambda report: announce_purged(navigator.bus, report))  # retention
        self.worker.risk_conflicts_found.connect(lambda _n: self.review())
        self.worker.revoked.connect(self._on_revoked)
        # Every local write is published on the app's change bus: that is when "changes waiting"
        # moves. (Refreshing on every idle runner would make status jobs trigger each other.)
        navigator.bus.changed.connect(lambda _changes: self.refresh())

    def _on_unlocked(self) -> None:
        self._unlocked = True
        self.worker.start()
        self.refresh()

    def _on_locked(self) -> None:
        self._unlocked = False
        self.worker.stop()
        self.widget.show_status(SyncStatus())

    def _show_status(self, status: SyncStatus) -> None:
        if self._unlocked:  # a status sent just before a lock arrives after it: not shown
            self.widget.show_status(status)

    def refresh(self) -> None:
        """Changes waiting and conflicts, re-read after any store work (cheap counts)."""
        if not self._unlocked or self._reviewing or self._refreshing:
            return
        self._refreshing = True

        def shown(status: SyncStatus) -> None:
            self._refreshing = False
            online, syncing = self.worker.online, self.worker.syncing
            self.widget.show_status(replace(status, online=online, syncing=syncing))

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
        dialog = ConflictDialog(conflict, self._names, parent=self.navigator.window)
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
        self.navigator.vault_flow.locked.emit()
        QMessageBox.warning(self.navigator.window, "This laptop's access was withdrawn", message)
        self.navigator.vault_flow.start()


def install_sync(navigator: Any) -> SyncWiring:
    """Create the sync worker and indicator and connect them to `navigator` (see app.py)."""
    wiring = SyncWiring(navigator)
    navigator.sync = wiring
    return wiring
