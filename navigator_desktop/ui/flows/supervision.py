"""Keeps the supervisor's screen filled (on the database worker) and fresh when concerns for
supervision change, here or by sync; "Mark discussed" opens its form through FormsFlow."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from navigator_desktop.session import Session
from navigator_desktop.store import supervision
from navigator_desktop.store.changes import Change
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.ui.views.supervision import SupervisionView

# What the screen shows: the items, and the contacts and engagements they were raised on.
KINDS = {"supervision_item", "contact", "engagement", "client"}
SCREEN = "supervision"


class SupervisionFlow(QObject):
    def __init__(
        self, runner: TaskRunner[Session], signed_in: SignedIn, view: SupervisionView, forms: FormsFlow,
        bus: ChangeBus,
    ):  # fmt: skip
        super().__init__()
        self.runner = runner
        self.signed_in = signed_in
        self.view = view
        self.forms = forms
        # The menu entry (app.py puts it in the Navigator menu and shows the screen).
        self.action = QAction("S&upervision…")
        self.action.setToolTip("Concerns raised for supervision: what is still to discuss, and what was")
        self.action.setEnabled(False)
        view.discuss_requested.connect(self.discuss)
        bus.changed.connect(self._changed)

    def refresh(self) -> None:
        me = self.signed_in.who
        self.view.set_names(self.signed_in.names)
        if me is not None:
            user_id = me.user_id
            self.runner.submit(
                lambda s: supervision.board(s.db, user_id), self.view.show_board, name="supervision"
            )
        else:
            self.view.clear()

    def discuss(self, item: dict[str, object]) -> RecordForm:
        return self.forms.open("supervision_discussed", {"item": item}, f"supervision:discussed:{item['id']}")

    def _changed(self, changes: list[Change]) -> None:
        if self.signed_in.who is not None and concerns(changes, kinds=KINDS):
            self.refresh()

    def signed_in_changed(self) -> None:
        self.action.setEnabled(self.signed_in.who is not None)
        self.refresh()

    def clear(self) -> None:
        self.action.setEnabled(False)
        self.view.clear()
