"""The support plan's actions (goals, steps, reviews, outcomes) and the client screen's exports.

Forms open through FormsFlow (so they are kept as drafts on lock like every form); their writers
are in the form registry (ui/forms/registry.py). Ticking and adding steps write straight through
the task runner. Exports ask where to save (QFileDialog), proposing Documents (see export_dialog), write there
atomically, and are audited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from navigator_core.kinds import CLIENT
from navigator_desktop.documents import exports
from navigator_desktop.session import Session
from navigator_desktop.store import plans, retention
from navigator_desktop.store.changes import Action, Change, WriteResult
from navigator_desktop.store.search import writer as search_writer
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import printing, text
from navigator_desktop.ui.dialogs import export_dialog
from navigator_desktop.ui.flows.errors import explain
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.signed_in import actor_of
from navigator_desktop.ui.forms.record_form import RecordForm

log = logging.getLogger("navigator.ui.plan")
Values = dict[str, Any]


class PlanFlow:
    def __init__(self, runner: TaskRunner[Session], forms: FormsFlow):
        self.runner = runner
        self.forms = forms
        # Where the save dialog asks for a file; tests replace it to choose without a dialog.
        self.ask_path: Callable[[str, str, str], str | None] = self._ask_path

    # --- forms ------------------------------------------------------------------------------

    def add_goal(self, client_id: str, name: str) -> RecordForm:
        return self.forms.open("goal", {"client_id": client_id, "client_name": name}, f"goal:new:{client_id}")

    def edit_goal(self, goal: Values, name: str) -> RecordForm:
        context = {"client_id": goal["client_id"], "client_name": name, "record": goal}
        return self.forms.open("goal", context, f"goal:edit:{goal['id']}")

    def review_goal(self, goal: Values) -> RecordForm:
        return self.forms.open("goal_review", {"goal": goal}, f"goal:review:{goal['id']}")

    def record_outcome(
        self, client_id: str, name: str, goals: list[Values], amends: Values | None = None
    ) -> RecordForm:
        choices = [(f"{text.label(g['pathway'])}: {text.first_line(g['goal'], 50)}", g["id"]) for g in goals]
        context: Values = {"client_id": client_id, "client_name": name, "goals": choices}
        if amends is not None:
            context["amends"] = amends
            return self.forms.open("outcome", context, f"outcome:amend:{amends['id']}")
        return self.forms.open("outcome", context, f"outcome:new:{client_id}")

    def outcome_in_error(self, outcome: Values) -> RecordForm:
        context = {
            "outcome": outcome,
            "title": "Mark an outcome as entered in error",
            "intro": f"The outcome “{text.label(outcome['outcome'])}” of {text.day(outcome['achieved_on'])} "
            "will be hidden from the plan and kept in the history with your reason.",
        }
        return self.forms.open("outcome_in_error", context, f"outcome:error:{outcome['id']}")

    # --- steps ------------------------------------------------------------------------------

    def tick_step(self, goal: Values, index: int, done: bool) -> None:
        self._write(lambda s: plans.set_step_done(s.db, actor_of(s), goal["id"], index, done),
                    "Step ticked off." if done else "Step marked as not done.", "tick step")  # fmt: skip

    def add_step(self, goal: Values, step: str) -> None:
        self._write(lambda s: plans.add_step(s.db, actor_of(s), goal["id"], step), "Step added.", "add step")

    def _write(self, job: Callable[[Session], WriteResult], done: str, name: str) -> None:
        self.runner.submit(
            job,
            lambda result: self._published(result, done),
            lambda error: self.forms.message.emit(explain(error)),
            name=name,
        )

    def _published(self, result: WriteResult, done: str) -> None:
        self.forms.bus.publish(result)
        self.forms.message.emit(done)

    def purge_retained(self) -> None:
        def job(s: Session) -> WriteResult:
            purged = retention.purge_if_enrolled(s.db)
            # The search index catches up now, not at the first search: what a lock or a crash
            # part way through a sync left out, and what has left the laptop, is settled at once.
            search_writer.flush(s.db)
            gone = [Change(CLIENT.name, cid, cid, Action.DELETE) for cid in purged.clients]
            return WriteResult(purged.clients[0] if purged.clients else "", gone)

        self.runner.submit(job, self.forms.bus.publish, name="retention and search index")

    # --- exports ----------------------------------------------------------------------------

    def _ask_path(self, caption: str, suggested: str, filter_text: str) -> str | None:
        chosen = export_dialog.ask_save_path(self.forms.parent_widget, caption, suggested, filter_text)
        return str(chosen) if chosen else None

    def export_pdf(self, make: Callable[[Session], exports.Document], suggested: str) -> None:
        """Gather on the worker; ask where; write the PDF; then record the export."""
        self.runner.submit(
            make,
            lambda doc: self._write_pdf(doc, suggested),
            lambda error: self.forms.message.emit(explain(error)),
            name="gather document",
        )

    def _write_pdf(self, doc: exports.Document, suggested: str) -> None:
        chosen = self.ask_path(f"Save the {doc.what} as a PDF", suggested, "PDF documents (*.pdf)")
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        try:
            printing.write_pdf(doc.html, path, doc.title)
        except OSError as error:
            self.forms.message.emit(f"The PDF could not be written there: {error.strerror or error}.")
            return
        self._write(lambda s: exports.record_export(s.db, actor_of(s), doc.what, doc.client_id, path.name),
                    f"Saved the {doc.what} as {path.name}. {export_dialog.SAVED_NOTE}",
                    "record export")  # fmt: skip

    def export_plan(self, client_id: str, name: str) -> None:
        self.export_pdf(lambda s: exports.support_plan_document(s.db, actor_of(s), client_id),
                        export_dialog.file_name("support-plan", client_id, "pdf"))  # fmt: skip

    def export_handover(self, team_id: str | None, client_id: str | None, name: str | None) -> None:
        if team_id is None:
            self.forms.message.emit("This laptop has no team yet, so there are no handover notes to print.")
            return
        self.export_pdf(lambda s: exports.handover_sheet_document(s.db, actor_of(s), team_id, client_id),
                        export_dialog.file_name("handover-sheet", client_id, "pdf"))  # fmt: skip

    def export_subject_access(self, client_id: str, name: str) -> None:
        chosen = self.ask_path(
            "Save everything held about this person on this laptop",
            export_dialog.file_name("subject-access", client_id, "zip"), "Zip archives (*.zip)",
        )  # fmt: skip
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".zip") else chosen + ".zip")

        def done(manifest: Values) -> None:
            self.forms.message.emit(
                f"Saved {manifest['total_records']} records about {name} as {path.name}. It holds what this "
                "laptop holds; the complete answer comes from the central store. " + export_dialog.SAVED_NOTE
            )

        self.runner.submit(
            lambda s: exports.export_subject_access(s.db, actor_of(s), client_id, path),
            done,
            lambda error: self.forms.message.emit(explain(error)),
            name="subject access export",
        )
