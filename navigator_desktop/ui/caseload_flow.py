"""Keeps the caseload model filled from the store, through the database worker."""

from __future__ import annotations

from PySide6.QtCore import QObject

from navigator_desktop.session import Session
from navigator_desktop.store import clients
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.models.caseload import CaseloadModel


class CaseloadFlow(QObject):
    def __init__(self, runner: TaskRunner[Session], model: CaseloadModel):
        super().__init__()
        self.runner = runner
        self.model = model

    def refresh(self) -> None:
        self.runner.submit(_my_caseload, self.model.set_rows, name="caseload")

    def clear(self) -> None:
        self.model.set_rows([])


def _my_caseload(session: Session) -> list[clients.CaseloadRow]:
    """The signed-in worker's own clients (key-worked or co-worked); everyone's before sign-in."""
    worker = session.actor.user_id if session.actor else None
    return clients.caseload(session.db, worker_id=worker)
