"""Opens a client's record (auditing the view) and keeps it fresh while it is on screen."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import audit, freshness, plans, views
from navigator_desktop.store.changes import Action, Change
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.changes import ChangeBus
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.views.client import ClientView

log = logging.getLogger("navigator.ui.client")


class ClientFlow(QObject):
    shown = Signal(str)  # the client id now on screen
    failed = Signal(str)

    def __init__(self, runner: TaskRunner[Session], signed_in: SignedIn, view: ClientView, bus: ChangeBus):
        super().__init__()
        self.runner = runner
        self.signed_in = signed_in
        self.view = view
        self.client_id: str | None = None
        bus.changed.connect(self._changed)

    def open(self, client_id: str) -> None:
        """Show a client's record; opening it is audited (a refresh after a change is not)."""
        if client_id != self.client_id:
            self.view.show_sync_note("")
        self.client_id = client_id
        me = self.signed_in.who
        self.view.set_names(self.signed_in.names)
        self.runner.submit(lambda s: _open(s, client_id, me), self._loaded, self._failed, name="open client")

    def refresh(self) -> None:
        if self.client_id is None:
            return
        client_id, me = self.client_id, self.signed_in.who
        self.runner.submit(lambda s: _read(s, client_id, me), self._loaded, name="client")

    def _loaded(self, found: Loaded) -> None:
        record, plan, source = found
        if record is None or record.client["id"] != self.client_id:
            return
        self.view.source = source
        self.view.show_record(record)
        if plan is not None:
            self.view.show_plan(plan)
        self.shown.emit(record.client["id"])

    def _failed(self, error: BaseException) -> None:
        log.error("could not open a client", exc_info=error)
        self.failed.emit("This record could not be opened. The details are in the log.")

    def _changed(self, changes: list[Change]) -> None:
        # Only a change naming this client says its risk changed: a large sync's summary (about
        # any client) may not be about it, though the record is refreshed below either way.
        if self.client_id and any(
            c.kind == "risk_flag" and c.client_id == self.client_id and c.action is Action.LOADED
            for c in changes
        ):
            self.view.show_sync_note(f"Risk changed by sync at {text.clock(timeutil.now_text())}")
        # Audit events are left out: opening the record writes one, and must not reopen it.
        if self.client_id and any(
            (c.about(self.client_id) and c.kind != "audit_event") or c.kind == "acknowledgement"
            for c in changes
        ):
            self.refresh()

    def clear(self) -> None:
        self.client_id = None
        self.view.clear()


Loaded = tuple[views.ClientRecord | None, plans.Plan | None, freshness.Source]


def _read(session: Session, client_id: str, me: views.Who | None) -> Loaded:
    """The record, its support plan and where this laptop's copy came from, read in one job."""
    record = views.client_record(session.db, client_id, me)
    plan = plans.plan_for_client(session.db, client_id) if record is not None else None
    return record, plan, freshness.read(session.db)


def _open(session: Session, client_id: str, me: views.Who | None) -> Loaded:
    if session.actor is not None:
        audit.record_view(session.db, session.actor, client_id)
    return _read(session, client_id, me)
