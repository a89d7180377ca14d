"""Keeps the Today screen filled, and refreshed when something it shows changes."""

from __future__ import annotations

from navigator_desktop.session import Session
from navigator_desktop.store import views
from navigator_desktop.store.changes import Change
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.flows.signed_in import SignedIn, SignedInFlow
from navigator_desktop.ui.views.today import TodayView

KINDS = {
    "visit",
    "handover_note",
    "acknowledgement",
    "risk_flag",
    "support_goal",
    "client",
    "safeguarding_concern",
}


class TodayFlow(SignedInFlow):
    def __init__(self, runner: TaskRunner[Session], signed_in: SignedIn, view: TodayView, bus: ChangeBus):
        super().__init__(runner, signed_in)
        self.view = view
        bus.changed.connect(self._changed)

    def refresh(self) -> None:
        self.show_mine(self.view, views.today, self.view.show_today, "today")

    def _changed(self, changes: list[Change]) -> None:
        if self.signed_in.who is not None and concerns(changes, kinds=KINDS):
            self.refresh()

    def clear(self) -> None:
        self.view.clear()
