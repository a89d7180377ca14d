"""Lone-working visits from the worker's side: plan, safety briefing then check-in, the warnings
before the expected end (check-in plus expected duration), extending the visit, and check-out
offering the contact already filled in.

Every write goes through the task runner and the store (visits.py), is published on the change
bus, and asks the sync to push at once: a check-in or check-out is what on call relies on. The
warnings are driven by a single-shot QTimer set from the visit's expected end and the clock (which
tests inject): ten minutes before it and at it, each once per visit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import clients, visits
from navigator_desktop.store.changes import Change, WriteResult
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.dialogs.safety_briefing import SafetyBriefingDialog
from navigator_desktop.ui.dialogs.visit_banner import VisitBanner
from navigator_desktop.ui.dialogs.visit_extend import ExtendVisitDialog
from navigator_desktop.ui.flows.errors import explain
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn, actor_of

Record = dict[str, Any]
WARN_BEFORE = timedelta(minutes=10)
MAX_WAIT_MS = 60_000  # look again at least every minute (a laptop may sleep through a timer)


class VisitsFlow(QObject):
    message = Signal(str)
    warned = Signal(str, str)  # visit id, "soon" or "due"

    def __init__(
        self,
        runner: TaskRunner[Session],
        signed_in: SignedIn,
        forms: FormsFlow,
        bus: ChangeBus,
        banner: VisitBanner,
        parent: QWidget,
        push_now: Callable[[], None],
        now: Callable[[], datetime] = timeutil.utcnow,
    ):
        super().__init__()
        self.runner, self.signed_in, self.forms, self.bus = runner, signed_in, forms, bus
        self.banner, self.parent_widget, self.push_now, self.now = banner, parent, push_now, now
        self.active: list[Record] = []
        self.warnings: dict[str, str] = {}  # visit id -> the last warning given ("soon", "due")
        self.briefing: SafetyBriefingDialog | None = None
        self.alert: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)
        bus.changed.connect(self._changed)
        banner.check_out_requested.connect(self.check_out)
        banner.extend_requested.connect(self.extend)
        self.extend_dialog: ExtendVisitDialog | None = None

    # --- what the screens ask for -----------------------------------------------------------

    def handle(self, action: str, visit: Record | None) -> None:
        if action == "plan":
            self.plan()
        elif action == "start" and visit:
            self.start(visit)
        elif action == "check_out" and visit:
            self.check_out(visit)
        elif action == "extend" and visit:
            self.extend(visit)

    def plan(self, client_id: str | None = None, client_name: str | None = None) -> None:
        """The visit form; from a client's screen for that client, else choosing from my caseload."""
        if client_id:
            context = {"client_id": client_id, "client_name": client_name}
            self.runner.submit(
                lambda s: (clients.get(s.db, client_id) or {}).get("address"),
                lambda place: self._open_form({**context, "place": place}, f"visit:new:{client_id}"),
                name="visit place",
            )
            return
        me = self.signed_in.who
        if me is None:
            return
        self.runner.submit(
            lambda s: [[r.name, r.client_id] for r in clients.caseload(s.db, worker_id=me.user_id)],
            lambda mine: self._open_form({"clients": mine}, "visit:new"),
            name="my clients",
        )

    def _open_form(self, context: Record, key: str) -> None:
        self.forms.open("visit", context, key)

    def start(self, visit: Record) -> None:
        """Show the safety briefing; check in only once it is acknowledged."""
        self.runner.submit(lambda s: visits.briefing(s.db, visit["id"]), self._brief, name="safety briefing")

    def _brief(self, briefing: visits.Briefing | None) -> None:
        if briefing is None:
            self.message.emit("This visit is no longer on this laptop.")
            return
        dialog = SafetyBriefingDialog(briefing, self.signed_in.names, self.parent_widget)
        self.briefing = dialog
        dialog.accepted.connect(lambda: self._check_in(briefing.visit["id"]))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _check_in(self, visit_id: str) -> None:
        self.runner.submit(
            lambda s: visits.start(s.db, actor_of(s), visit_id),
            lambda r: self._written(r, "Checked in. Your check-in goes to the central store now if online."),
            lambda error: self.message.emit(explain(error)),
            name="check in",
        )

    def extend(self, visit: Record) -> None:
        """Ask how many more minutes, then record the longer expected duration and push at once."""
        if self.extend_dialog is not None and shiboken6.isValid(self.extend_dialog):
            self.extend_dialog.close()
        dialog = ExtendVisitDialog(visit, self.parent_widget)
        self.extend_dialog = dialog
        dialog.accepted.connect(lambda: self._extend(visit["id"], dialog.minutes.value()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _extend(self, visit_id: str, minutes: int) -> None:
        self.runner.submit(
            lambda s: visits.extend(s.db, actor_of(s), visit_id, minutes),
            lambda r: self._written(
                r,
                f"Visit extended by {minutes} minutes. The new end goes to the central store now if online.",
            ),
            lambda error: self.message.emit(explain(error)),
            name="extend visit",
        )

    def check_out(self, visit: Record) -> None:
        """Record the check-out, then offer the contact already filled from the visit."""

        def job(s: Session) -> tuple[WriteResult, Record | None]:
            return visits.check_out(s.db, actor_of(s), visit["id"]), visits.get(s.db, visit["id"])

        self.runner.submit(
            job,
            lambda done: self._checked_out(visit, *done),
            lambda error: self.message.emit(explain(error)),
            name="check out",
        )

    def _checked_out(self, shown: Record, result: WriteResult, visit: Record | None) -> None:
        self._written(result, "Checked out. Now record the contact.")
        if visit is None or not visit.get("checked_in_at"):
            return
        began, ended = timeutil.parse(visit["checked_in_at"]), timeutil.parse(visit["checked_out_at"])
        minutes = max(1, round((ended - began).total_seconds() / 60))
        context = {
            "client_id": visit["client_id"],
            "client_name": shown.get("client") or "",
            "fixed": {"visit_id": visit["id"]},
            "prefill": {
                "occurred_at": visit["checked_in_at"],
                "duration_minutes": minutes,
                "place": visit.get("place"),
                "contact_type": "home_visit",
            },
        }
        self.forms.open("contact", context, f"contact:visit:{visit['id']}")

    def _written(self, result: WriteResult, message: str) -> None:
        self.bus.publish(result)
        self.push_now()
        self.message.emit(message)

    # --- the visit in progress and its warnings ---------------------------------------------

    def refresh(self) -> None:
        me = self.signed_in.who
        if me is None:
            self.clear()
            return
        self.runner.submit(lambda s: visits.in_progress_for(s.db, me.user_id), self._loaded, name="my visit")

    def _loaded(self, found: list[Record]) -> None:
        self.active = found
        ids = {v["id"] for v in found}
        self.warnings = {k: v for k, v in self.warnings.items() if k in ids}
        self.tick()

    def tick(self) -> None:
        """Warn about any visit whose warning time has come, then wait for the next one."""
        if not shiboken6.isValid(self.banner):  # the window was closed (the app has ended)
            self.timer.stop()
            return
        now = self.now()
        waits: list[float] = []
        warning = ""
        for visit in self.active:
            due = timeutil.parse(visit["due_out_at"])
            stage = "due" if now >= due else "soon" if now >= due - WARN_BEFORE else ""
            if not stage:
                self.warnings.pop(visit["id"], None)  # extended: warn again before the new end
            if stage and self.warnings.get(visit["id"]) != stage:
                self.warnings[visit["id"]] = stage
                self._warn(visit, stage)
            if stage:
                warning = warning or _banner_words(stage, visit)
            upcoming = [t for t in (due - WARN_BEFORE, due) if t > now]
            waits += [(t - now).total_seconds() * 1000 for t in upcoming]
        self.banner.show_visit(self.active[0] if self.active else None, warning)
        if waits:
            self.timer.start(int(min(min(waits) + 1, MAX_WAIT_MS)))
        else:
            self.timer.stop()

    def _warn(self, visit: Record, stage: str) -> None:
        if self.alert is not None and shiboken6.isValid(self.alert):
            self.alert.close()
        when = text.clock(visit["due_out_at"])
        who = visit.get("client") or "your client"
        body = (
            f"Your visit with {who} is expected to end at {when}, in 10 minutes. Check out when you "
            "leave; if you need longer, choose Extend visit… and tell the person you are to call."
            if stage == "soon"
            else f"Your visit with {who} was expected to end at {when}. If you have left, check out now: "
            "until you do, on call sees this visit as overdue."
        )
        self.alert = QMessageBox(QMessageBox.Icon.Warning, "Visit ending", body, parent=self.parent_widget)
        self.alert.setObjectName("visitWarning")
        self.alert.open()
        self.warned.emit(visit["id"], stage)
        self.message.emit(body)

    def clear(self) -> None:
        self.timer.stop()
        self.active = []
        self.banner.show_visit(None)

    def _changed(self, changes: list[Change]) -> None:
        if self.signed_in.who is not None and concerns(changes, kinds={"visit"}):
            self.refresh()


def _banner_words(stage: str, visit: Record) -> str:
    if stage == "soon":
        return f"Ends in less than 10 minutes ({text.clock(visit['due_out_at'])})."
    return f"Expected end passed ({text.clock(visit['due_out_at'])}): check out."
