"""The agencies directory: opened from the Navigator menu, filled from the vault through the
database worker, kept fresh from the change bus (a colleague's agency pulled by sync included);
adding and changing an agency go through the forms flow (form "agency" in the registry)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from navigator_desktop.session import Session
from navigator_desktop.store import agencies
from navigator_desktop.store.changes import Change
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.ui.main_window import MainWindow
from navigator_desktop.ui.views.agencies import AgenciesView, Record

SCREEN = "agencies"


class AgenciesFlow(QObject):
    def __init__(
        self,
        runner: TaskRunner[Session],
        signed_in: SignedIn,
        view: AgenciesView,
        forms: FormsFlow,
        bus: ChangeBus,
        window: MainWindow,
    ):
        super().__init__()
        self.runner, self.signed_in, self.view = runner, signed_in, view
        self.forms, self.window = forms, window
        self.action = QAction("A&gencies…", window)
        self.action.setToolTip("The team's directory of agencies, their phone numbers and e-mail addresses")
        self.action.triggered.connect(self.open)
        self.action.setEnabled(False)
        view.add_requested.connect(self.add)
        view.edit_requested.connect(self.edit)
        bus.changed.connect(self._changed)
        signed_in.loaded.connect(lambda _who: self.refresh())

    def open(self) -> None:
        self.window.show_screen(SCREEN)
        self.refresh()
        self.view.search.setFocus()
        self.view.search.selectAll()

    def refresh(self) -> None:
        team = self.signed_in.who.team_id if self.signed_in.who else None
        if team is None:
            self.view.show_agencies([])
            return
        self.runner.submit(lambda s: agencies.for_team(s.db, team), self.view.show_agencies, name="agencies")

    def add(self) -> RecordForm:
        return self.forms.open("agency", {}, "agency:new")

    def edit(self, agency: Record) -> RecordForm:
        return self.forms.open("agency", {"record": agency}, f"agency:edit:{agency['id']}")

    def _changed(self, changes: list[Change]) -> None:
        if concerns(changes, kinds={"agency"}):
            self.refresh()

    def set_unlocked(self, unlocked: bool) -> None:
        self.action.setEnabled(unlocked)
        if not unlocked:
            self.view.clear()
