"""Engagements (liaison and diversion): keeps the Engagements screen filled (my own, or the team's
for a manager) and refreshed when an engagement, a referral or a client changes (written here or
pulled by sync); opens the engagement form, and the new-client form made from an engagement."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from navigator_desktop.session import Session
from navigator_desktop.store import engagements
from navigator_desktop.store.changes import Change
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.forms.engagements import client_prefill
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.ui.views.engagements import EngagementsView

# What the list shows: the engagements, their referral counts, the clients they became.
KINDS = {"engagement", "referral", "client"}


class EngagementsFlow(QObject):
    screen_wanted = Signal(str)

    def __init__(
        self,
        runner: TaskRunner[Session],
        signed_in: SignedIn,
        view: EngagementsView,
        forms: FormsFlow,
        bus: ChangeBus,
        parent: QWidget,
    ):
        super().__init__(parent)
        self.runner, self.signed_in, self.view, self.forms = runner, signed_in, view, forms
        # Menu entries (app.py puts them in the Navigator menu); usable while unlocked.
        self.record_action = QAction("Record an e&ngagement…", parent)
        self.record_action.setShortcut(QKeySequence("Ctrl+E"))
        self.record_action.setToolTip("Someone met in custody, at court or in the community")
        self.record_action.triggered.connect(lambda: self.record())
        self.show_action = QAction("&Engagements", parent)
        self.show_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.show_action.triggered.connect(lambda: self.screen_wanted.emit("engagements"))
        self.set_enabled(False)
        view.record_requested.connect(self.record)
        view.make_client_requested.connect(self.make_client)
        bus.changed.connect(self._changed)

    def set_enabled(self, unlocked: bool) -> None:
        for action in (self.record_action, self.show_action):
            action.setEnabled(unlocked)

    def record(self) -> RecordForm:
        return self.forms.open("engagement", {}, "engagement:new")

    def make_client(self, engagement: dict[str, Any]) -> RecordForm:
        context = {"engagement": engagement, "prefill": client_prefill(engagement)}
        return self.forms.open("client", context, f"client:from:{engagement['id']}")

    def refresh(self) -> None:
        """Read the list again, on the database worker (locked: nothing to show)."""
        me = self.signed_in.who
        if me is not None:
            job = lambda s: engagements.listed_for(s.db, me.user_id)  # noqa: E731
            self.runner.submit(job, lambda found: self._show(*found), name="engagements")
        else:
            self.view.clear()

    def _show(self, team: bool, rows: list[dict[str, Any]]) -> None:
        if self.signed_in.who is not None:
            self.view.show_engagements(team, rows, self.signed_in.names)

    def _changed(self, changes: list[Change]) -> None:
        if self.signed_in.who is not None and concerns(changes, kinds=KINDS):
            self.refresh()

    def clear(self) -> None:
        self.view.clear()
