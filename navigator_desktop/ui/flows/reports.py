"""Keeps the Reports screen filled: works the report out on the database worker (never the GUI
thread), refreshes it when records it counts change, and saves a table as CSV where the person
chooses, with an "export" audit event."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal

from navigator_desktop.documents import partnership_csv, report_csv
from navigator_desktop.session import Session
from navigator_desktop.store import reports
from navigator_desktop.store.changes import Change, WriteResult
from navigator_desktop.store.reports import partnership
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.dialogs import export_dialog
from navigator_desktop.ui.flows.signed_in import SignedIn, SignedInFlow, actor_of
from navigator_desktop.ui.views.reports import ReportsView

# What the measures count. A plan review is a change of its goal (review_log, plans.review_goal),
# so audit events (a view of a record writes one) need not rebuild the report.
KINDS = {"client", "contact", "outcome", "support_goal", "risk_flag", "entered_in_error"}
# ... and the partnership report's (the work with other agencies, liaison and diversion).
KINDS |= {"referral", "engagement", "agency", "safeguarding_concern"}
REFRESH_DELAY_MS = 400  # a burst of writes (or a sync) makes one new report, not one each


class ReportsFlow(SignedInFlow):
    message = Signal(str)
    shown = Signal(object)  # the Report now on screen

    def __init__(self, runner: TaskRunner[Session], signed_in: SignedIn, view: ReportsView, bus: ChangeBus):
        super().__init__(runner, signed_in)
        self.view = view
        self.bus = bus
        self.stale = True
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        view.period_changed.connect(self.refresh)
        view.shown.connect(self._shown)
        view.export_requested.connect(self.export)
        bus.changed.connect(self._changed)

    def refresh(self) -> None:
        """Work the report out again for the chosen period (results of an older run are dropped)."""
        self._timer.stop()
        if self.signed_in.who is None:
            self.view.clear()
            return
        self.stale = False
        self._generation += 1
        generation, period = self._generation, self.view.selected_period()
        self.view.say("Working out the figures…")

        def both(s: Session) -> tuple[reports.Report, partnership.PartnershipReport]:
            user_id = actor_of(s).user_id
            return reports.build(s.db, user_id, period), partnership.build(s.db, user_id, period)

        self.runner.submit(both, lambda found: self._show(generation, *found), self._failed, name="report")

    def _show(self, generation: int, report: reports.Report, partners: partnership.PartnershipReport) -> None:
        if generation == self._generation and self.signed_in.who is not None:
            self.view.show_report(report)
            self.view.show_partnership(partners)
            self.shown.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.view.say("The report could not be worked out.")
        self.message.emit(f"The report could not be worked out: {error}")

    def _shown(self) -> None:
        if self.stale:
            self.refresh()

    def _changed(self, changes: list[Change]) -> None:
        if self.signed_in.who is None or not concerns(changes, kinds=KINDS):
            return
        self.stale = True
        # Views and exports write audit events all day (an export from this screen too): those
        # alone wait for the next showing; a plan review that changed nothing is one of them.
        if self.view.isVisible() and not all(c.kind == "audit_event" for c in changes):
            self._timer.start()

    def export(self, key: str) -> None:
        """Ask where, then write the table's CSV there and audit it, off the GUI thread."""
        report, partners = self.view.report, self.view.partnership
        if key in partnership_csv.TABLES and partners is not None:
            name = report_csv.filename(partners, key)
            text, what = partnership_csv.to_csv(partners, key), partnership_csv.describe(partners, key)
        elif key in report_csv.TABLES and report is not None:
            name, text, what = (
                report_csv.filename(report, key),
                report_csv.to_csv(report, key),
                report_csv.describe(report, key),
            )
        else:
            return
        chosen = self.view.ask_save_path(name)
        if not chosen:
            return
        path = Path(chosen)
        self.runner.submit(
            lambda s: reports.export(s.db, actor_of(s), path, text, what),
            lambda result: self._exported(result, path),
            lambda error: self._export_failed(error, path),
            name="save report CSV",
        )

    def _exported(self, result: WriteResult, path: Path) -> None:
        self.bus.publish(result)
        self.view.say(f"Saved {path.name}.")
        self.message.emit(f"Saved {path}. {export_dialog.SAVED_NOTE}")

    def _export_failed(self, error: BaseException, path: Path) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        self.view.say(f"Could not save {path.name}: {reason}")
        self.message.emit(f"Could not save {path}: {reason}")

    def signed_in_changed(self) -> None:
        """After an unlock: worked out again if the screen is showing, else when it next shows."""
        if self.view.isVisible():
            self.refresh()
        else:
            self.clear()

    def clear(self) -> None:
        self._timer.stop()
        self._generation += 1
        self.stale = True
        self.view.clear()
