"""Fills the manager's access audit screen from the central store, off the GUI thread.

The server address and token come from the vault through the TaskRunner; the HTTP runs on a
NetworkJob thread. Nothing fetched is stored: the screen is emptied when the app locks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from navigator_desktop.session import Session
from navigator_desktop.sync import access_audit, break_glass
from navigator_desktop.sync.access_audit import AccessAudit, AccessAuditError
from navigator_desktop.sync.break_glass import ServerConfig
from navigator_desktop.tasks import NetworkJob, TaskRunner
from navigator_desktop.ui.views.access_audit import AccessAuditView

Fetcher = Callable[[ServerConfig, str | None, str, str], AccessAudit]


def _fetch(config: ServerConfig, client_id: str | None, since: str, until: str) -> AccessAudit:
    return access_audit.fetch(config, client_id=client_id, since=since, until=until)


class AccessAuditFlow(QObject):
    def __init__(self, runner: TaskRunner[Session], view: AccessAuditView, fetcher: Fetcher | None = None):
        super().__init__()
        self.runner = runner
        self.view = view
        self.fetcher = fetcher or _fetch
        self.job: NetworkJob | None = None
        # The menu entry (app.py puts it in the Navigator menu). A non-manager who opens the screen
        # is told plainly that only a team manager may read it (the store refuses them).
        self.action = QAction("&Access audit…")
        self.action.setToolTip("Who viewed which client, when, from which laptop and why (managers)")
        self.action.triggered.connect(self.open)
        # Bumped by close (lock): a fetch in flight from before is stale and fills nothing.
        self.generation = 0
        view.refresh_requested.connect(self._refresh)

    def open(self) -> None:
        self.view.show()
        self.view.request_refresh()

    def _refresh(self, client_id: str | None, since: str, until: str) -> None:
        generation = self.generation

        def done(audit: AccessAudit) -> None:
            self._show(audit, generation)

        def failed(error: BaseException) -> None:
            self._fail(error, generation)

        def start(config: ServerConfig) -> None:
            if generation != self.generation:
                return  # locked while the config was read
            self.job = NetworkJob(lambda: self.fetcher(config, client_id, since, until), done, failed).start()

        self.runner.submit(break_glass.read_config, start, failed, name="access audit config")

    def _show(self, audit: AccessAudit, generation: int) -> None:
        if generation != self.generation:
            return  # the app locked while this was in flight: the hidden view stays empty
        self.view.show_audit(audit)

    def _fail(self, error: BaseException, generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return
        message = (
            str(error) if isinstance(error, AccessAuditError) else "The access audit could not be fetched."
        )
        self.view.show_error(message)

    def close(self) -> None:
        self.generation += 1
        self.view.close()
        self.view.clear()
