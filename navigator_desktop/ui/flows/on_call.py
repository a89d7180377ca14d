"""Keeps the On call screen filled and does what it asks: acknowledge a note, record an
escalation step, show a client's on-call summary (audited as a view), record an out-of-hours
contact, and make the crisis sheet as a PDF or on paper (audited as an export)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from navigator_core import timeutil
from navigator_desktop.documents.crisis_sheet import crisis_sheet_html
from navigator_desktop.session import Session
from navigator_desktop.store import audit, freshness, handover, views
from navigator_desktop.store.changes import Change, WriteResult
from navigator_desktop.store.freshness import Source
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import printing, text
from navigator_desktop.ui.changes import ChangeBus, concerns
from navigator_desktop.ui.dialogs import export_dialog
from navigator_desktop.ui.flows.errors import explain
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn, SignedInFlow, actor_of
from navigator_desktop.ui.views.on_call import OnCallView

SummaryFound = tuple[views.OnCallSummary | None, WriteResult | None, Source]
log = logging.getLogger(__name__)
Record = dict[str, Any]
KINDS = {"visit", "visit_escalation", "handover_note", "acknowledgement", "client", "risk_flag"}
SUMMARY_VIEWED = "on-call summary"


def ask_pdf_path(parent: QWidget, suggested: str) -> Path | None:
    return export_dialog.ask_save_path(parent, "Save the crisis sheet", suggested, "PDF (*.pdf)")


def _check_writable(path: Path) -> None:
    """Raise OSError now if the PDF cannot be written at `path` (QPdfWriter fails silently)."""
    partial = path.with_name(path.name + ".part")  # where printing.write_pdf writes first
    with partial.open("wb"):
        pass


class OnCallFlow(SignedInFlow):
    message = Signal(str)
    exported = Signal(str)  # the PDF written

    def __init__(
        self,
        runner: TaskRunner[Session],
        signed_in: SignedIn,
        view: OnCallView,
        forms: FormsFlow,
        bus: ChangeBus,
        parent: QWidget,
    ):
        super().__init__(runner, signed_in)
        self.view, self.forms, self.bus = view, forms, bus
        self.parent_widget = parent
        self.ask_path: Callable[[QWidget, str], Path | None] = ask_pdf_path
        self.print_html: Callable[[str, str, QWidget], bool] = printing.print_html
        self.warning: QMessageBox | None = None
        view.requested.connect(self.handle)
        bus.changed.connect(self._changed)

    def refresh(self) -> None:
        self.show_mine(
            self.view,
            views.on_call,
            lambda data: self.view.show_on_call(data, self.signed_in.names),
            "on call",
        )

    def handle(self, action: str, record: Any) -> None:
        summary = self.view.summary
        if action == "select_client":
            self.show_client(record)
        elif action == "acknowledge":
            self._write(lambda s: handover.acknowledge(s.db, actor_of(s), record["id"]), "Marked as read.")
        elif action == "escalate":
            context = {k: record.get(k) for k in ("client_id", "place", "due_out_at", "worker")}
            self.forms.open(
                "visit_escalation",
                {**context, "visit_id": record["id"], "client_name": record.get("client")},
                f"visit_escalation:{record['id']}",
            )
        elif summary is None:
            return
        elif action == "out_of_hours":
            c = summary.client
            context = {
                "client_id": c["id"],
                "client_name": f"{text.full_name(c)} (out of hours)",
                "fixed": {"out_of_hours": True},
                "prefill": {"contact_type": "phone", "duration_minutes": 15},
            }
            self.forms.open("contact", context, f"contact:out_of_hours:{c['id']}")
        elif action == "crisis_pdf":
            self.crisis_pdf()
        elif action == "crisis_print":
            self.crisis_print()

    def show_client(self, client_id: str, *, audited: bool = True) -> None:
        """The on-call summary of any team client; looking at it is audited like any view (a
        refresh of the summary on screen after a change is not a new look)."""
        me = self.signed_in.who
        if me is None:
            return

        def job(s: Session) -> SummaryFound:
            found, source = views.on_call_summary(s.db, client_id, me), freshness.read(s.db)
            if found is None or not audited:
                return found, None, source
            viewed = audit.record_view(s.db, actor_of(s), client_id, SUMMARY_VIEWED)
            return found, viewed, source

        def shown(result: SummaryFound) -> None:
            found, viewed, self.view.source = result
            if viewed is not None:
                self.bus.publish(viewed)
            self.view.show_summary(found)

        self.runner.submit(
            job, shown, lambda error: self.message.emit(explain(error)), name="on-call summary"
        )

    # --- the crisis sheet -------------------------------------------------------------------

    def _with_sheet(self, then: Callable[[str, str, str], None]) -> None:
        """Make the crisis sheet and hand `then` its client id, title and HTML. The client's current
        handover notes are read now, not when the summary was opened: an urgent note written
        minutes ago (here or synced in) must be on the sheet."""
        summary, me = self.view.summary, self.signed_in.who
        if summary is None:
            return
        client_id = summary.client["id"]
        team_id, user_id = (me.team_id, me.user_id) if me is not None else (None, "")

        def job(s: Session) -> tuple[list[Record], Source]:
            found = (
                handover.current(s.db, team_id=team_id, user_id=user_id, client_id=client_id)
                if team_id
                else []
            )
            return found, freshness.read(s.db)

        def made(found: tuple[list[Record], Source]) -> None:
            sheet = self._sheet(found)
            if sheet is not None:
                then(*sheet)

        self.runner.submit(
            job,
            made,
            lambda error: self.message.emit(explain(error)),
            name="crisis sheet notes",
        )

    def _sheet(self, found: tuple[list[Record], Source]) -> tuple[str, str, str] | None:
        notes, source = found
        summary, me = self.view.summary, self.signed_in.who
        if summary is None:
            return None
        c = summary.client
        html = crisis_sheet_html(
            c,
            summary.risks,
            self.signed_in.names,
            made_by=me.display_name if me else "—",
            made_at=timeutil.now_text(),
            refreshed_at=c.get("refreshed_at"),
            source=source,
            notes=notes,
        )
        return c["id"], f"Crisis sheet — {text.full_name(c)}", html

    def crisis_pdf(self) -> None:
        self._with_sheet(self._save_pdf)

    def _save_pdf(self, client_id: str, title: str, html: str) -> None:
        path = self.ask_path(self.parent_widget, export_dialog.file_name("crisis-sheet", client_id, "pdf"))
        if path is None:
            return
        try:
            _check_writable(path)
            printing.write_pdf(html, path, title)
        except OSError as error:
            # Nothing was exported, so nothing is audited; the person is told and can choose again.
            with contextlib.suppress(OSError):
                path.with_name(path.name + ".part").unlink(missing_ok=True)
            reason = error.strerror or type(error).__name__
            self._warn(f"The crisis sheet could not be saved to {path}: {reason}. Choose another folder.")
            return
        saved = f"Crisis sheet saved: {path.name}. {export_dialog.SAVED_NOTE}"
        self._exported(client_id, "crisis sheet saved as PDF", saved)
        self.exported.emit(str(path))

    def crisis_print(self) -> None:
        self._with_sheet(self._print)

    def _print(self, client_id: str, title: str, html: str) -> None:
        if not self.print_html(html, title, self.parent_widget):
            return
        self._exported(client_id, "crisis sheet printed", "Crisis sheet sent to the printer.")

    def _exported(self, client_id: str, reason: str, done: str) -> None:
        """Audit an export that happened; if the audit cannot be written, say so plainly."""

        def failed(error: BaseException) -> None:
            log.error("the export could not be audited", exc_info=error)
            self._warn(
                f"{done} But it could not be recorded in the audit trail: tell your manager "
                "that you made this copy."
            )

        self._write(lambda s: audit.record_export(s.db, actor_of(s), client_id, reason), done, failed)

    def _warn(self, words: str) -> None:
        """A problem the person must see: in the status line and in a box they close."""
        if self.warning is not None and shiboken6.isValid(self.warning):
            self.warning.close()
        box = QMessageBox(QMessageBox.Icon.Warning, "Crisis sheet", words, parent=self.parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.warning = box
        box.open()
        self.message.emit(words)

    def _write(
        self,
        job: Callable[[Session], WriteResult],
        done: str,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        def published(result: WriteResult) -> None:
            self.bus.publish(result)
            self.message.emit(done)

        def error(error: BaseException) -> None:
            self.message.emit(explain(error))

        self.runner.submit(job, published, failed or error, name="on call")

    def _changed(self, changes: list[Change]) -> None:
        if self.signed_in.who is None or not concerns(changes, kinds=KINDS):
            return
        self.refresh()
        summary = self.view.summary
        if summary is not None and concerns(changes, client_id=summary.client["id"]):
            self.show_client(summary.client["id"], audited=False)

    def clear(self) -> None:
        self.view.clear()
