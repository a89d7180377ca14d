"""Keeps the caseload model filled from the store, through the database worker, and runs the search."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from navigator_desktop.session import Session
from navigator_desktop.store import clients, search, views
from navigator_desktop.store.changes import ANY_CLIENT, Action, Change
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus
from navigator_desktop.ui.models.caseload import CaseloadModel
from navigator_desktop.ui.views.caseload import CaseloadView, hit_row

# Kinds whose change moves a figure on a caseload row (risk, last contact, next visit, review due).
ROW_KINDS = {"client", "risk_flag", "contact", "visit", "support_goal", "entered_in_error"}
SEARCH_LIMIT = 50


class CaseloadFlow(QObject):
    def __init__(
        self,
        runner: TaskRunner[Session],
        model: CaseloadModel,
        view: CaseloadView | None = None,
        bus: ChangeBus | None = None,
    ):
        super().__init__()
        self.runner = runner
        self.model = model
        self.view = view
        if view is not None:
            view.search_requested.connect(self.search)
        if bus is not None:
            bus.changed.connect(self._changed)

    def refresh(self) -> None:
        self.runner.submit(_my_caseload, self.model.set_rows, name="caseload")

    def clear(self) -> None:
        self.model.set_rows([])
        if self.view is not None:
            self.view.clear()

    def search(self, typed: str) -> None:
        if not typed or self.view is None:
            return
        view = self.view
        self.runner.submit(
            lambda s: _search(s, typed), lambda rows: view.show_hits(typed, rows), name="search"
        )

    def _changed(self, changes: list[Change]) -> None:
        relevant = [c for c in changes if c.kind in ROW_KINDS and c.client_id]
        touched = {c.client_id for c in relevant}
        # A new client (made here, or pulled: it may be new), or many (a summary, about any
        # client, is many): the list is read again.
        if (
            len(touched) > MANY
            or ANY_CLIENT in touched
            or any(c.kind == "client" and c.action in (Action.CREATE, Action.LOADED) for c in relevant)
        ):
            self.refresh()
            return
        for client_id in {c.client_id for c in relevant if c.client_id}:
            self.runner.submit(_row_of(client_id), self._update_row, name="caseload row")

    def _update_row(self, row: clients.CaseloadRow | None) -> None:
        if row is not None:
            self.model.update_row(row)


MANY = 20  # more clients changed than this: one read of the list, not one per row


def _row_of(client_id: str) -> Callable[[Session], clients.CaseloadRow | None]:
    return lambda s: clients.caseload_row(s.db, client_id)


def _my_caseload(session: Session) -> list[clients.CaseloadRow]:
    """The signed-in worker's own clients (key-worked or co-worked); everyone's before sign-in."""
    worker = session.actor.user_id if session.actor else None
    return clients.caseload(session.db, worker_id=worker)


def _search(session: Session, typed: str) -> list[dict[str, object]]:
    hits = search.search(session.db, typed, limit=SEARCH_LIMIT)
    names = views.client_names(session.db, [h.client_id for h in hits if h.client_id])
    return [hit_row(h, names) for h in hits]
