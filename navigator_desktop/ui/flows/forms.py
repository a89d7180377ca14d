"""Opens the forms, writes what they hold through the task runner, and keeps open forms as drafts.

A form never writes: its ``submitted`` values come here, the write runs on the database worker,
its ``WriteResult`` goes on the change bus and the form closes; a validation error goes back to
the form, beside the field. When the app locks, every open form is saved as an encrypted draft
(store.drafts) and closed; after the next unlock the drafts come back as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from navigator_core.fields import ValidationError
from navigator_desktop.session import Session
from navigator_desktop.store import drafts, handover
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.changes import ChangeBus
from navigator_desktop.ui.draft_autosave import DraftAutosave
from navigator_desktop.ui.flows.errors import explain
from navigator_desktop.ui.flows.signed_in import SignedIn, SignedInFlow, actor_of
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.ui.forms.registry import FORMS

log = logging.getLogger("navigator.ui.forms")
Values = dict[str, Any]
RESTORED = (
    "Restored: you were writing this when Navigator locked or closed. Nothing was saved yet; "
    "check it and save."
)


def _saver(key: str, payload: Values, user_id: str | None) -> Callable[[Session], None]:
    return lambda s: drafts.save(s.db, key, payload, user_id=user_id)


def _draft_unless(committed: list[bool], keep: Callable[[Session], None]) -> Callable[[Session], None]:
    def job(s: Session) -> None:
        if not committed[0]:
            keep(s)

    return job


class FormsFlow(SignedInFlow):
    message = Signal(str)  # a short sentence for the status bar ("Contact saved.")
    saved = Signal(str, dict, dict)  # a form saved: its name, the values written, its context

    def __init__(self, runner: TaskRunner[Session], signed_in: SignedIn, bus: ChangeBus, parent: QWidget):
        super().__init__(runner, signed_in)
        self.bus = bus
        self.parent_widget = parent
        # What a saved form of a kind says instead of its usual sentence ("visit": who can see it).
        self.saved_words: dict[str, Callable[[], str]] = {}
        self.open_forms: dict[str, RecordForm] = {}
        # Saves queued but not yet answered, by form key: set True on the worker when the record
        # is committed. A lock in between must not keep a draft of something already saved.
        self._saving: dict[str, list[bool]] = {}
        self.autosave = DraftAutosave(runner, lambda: signed_in.who.user_id if signed_in.who else None)

    # --- opening forms ----------------------------------------------------------------------

    def open(self, name: str, context: Values, key: str) -> RecordForm:
        """The form called `name` for `context`; if one with the same key is open, that one."""
        if key in self.open_forms:
            form = self.open_forms[key]
            form.activateWindow()
            return form
        form = FORMS[name].build(context, self.signed_in.who, self.parent_widget)
        form.submitted.connect(lambda values: self._save(key, form, values))
        form.cancelled.connect(lambda: self._forget(key, discard=True))
        self.open_forms[key] = form
        self.autosave.watch(key, form, form.draft)
        form.show()
        form.activateWindow()
        return form

    def new_contact(self, client_id: str, client_name: str) -> RecordForm:
        return self.open(
            "contact", {"client_id": client_id, "client_name": client_name}, f"contact:new:{client_id}"
        )

    def amend_contact(self, contact: Values, client_name: str) -> RecordForm:
        context = {"client_id": contact["client_id"], "client_name": client_name, "amends": contact}
        return self.open("contact", context, f"contact:amend:{contact['id']}")

    def contact_in_error(self, contact: Values) -> RecordForm:
        context = {
            "contact": contact,
            "title": "Mark a contact as entered in error",
            "intro": f"The contact of {text.moment(contact['occurred_at'])} will be hidden from the timeline "
            "and kept in the history with your reason. Use this for a record made by mistake "
            "(the wrong client, a duplicate); to fix details, correct it instead.",
        }
        return self.open("contact_in_error", context, f"contact:error:{contact['id']}")

    def new_client(self) -> RecordForm:
        return self.open("client", {}, "client:new")

    def edit_client(self, record: Values) -> RecordForm:
        return self.open("client", {"record": record}, f"client:edit:{record['id']}")

    def raise_risk(self, client_id: str, client_name: str) -> RecordForm:
        return self.open(
            "risk", {"client_id": client_id, "client_name": client_name}, f"risk:new:{client_id}"
        )

    def review_risk(self, flag: Values) -> RecordForm:
        return self.open("risk_review", {"flag": flag}, f"risk:review:{flag['id']}")

    def resolve_risk(self, flag: Values) -> RecordForm:
        context = {
            "flag": flag,
            "title": f"Resolve risk: {text.label(flag['category'])}",
            "intro": "Say why this risk no longer applies. The flag and its history stay in the record.",
        }
        return self.open("risk_resolve", context, f"risk:resolve:{flag['id']}")

    def write_note(self, client_id: str | None, client_name: str | None) -> RecordForm:
        context = {"client_id": client_id, "client_name": client_name}
        return self.open("handover", context, f"handover:new:{client_id or 'team'}")

    def acknowledge(self, note: Values) -> None:
        self.runner.submit(
            lambda s: handover.acknowledge(s.db, actor_of(s), note["id"]),
            lambda result: self._published(result, "Marked as read."),
            lambda error: self.message.emit(explain(error)),
            name="acknowledge",
        )

    # --- saving -----------------------------------------------------------------------------

    def _save(self, key: str, form: RecordForm, values: Values) -> None:
        spec = FORMS[form.name]
        everything, context = form.values(), form.context
        committed = self._saving[key] = [False]
        self.autosave.pause(key)  # a draft queued after this save could outlive the record

        kind_words = self.saved_words.get(form.name)

        def words() -> str:
            return kind_words() if kind_words is not None else spec.done

        def save(s: Session) -> WriteResult:
            result = spec.write(s.db, actor_of(s), values, everything, context)
            committed[0] = True
            # In the same job, so no draft of this form can outlive the record it became.
            drafts.discard(s.db, key)
            return result

        def done(result: WriteResult, name: str = form.name) -> None:
            self._saved(key, form, result, words())
            self.saved.emit(name, values, context)

        self.runner.submit(
            save,
            done,
            lambda error: self._failed(key, form, error),
            name=f"save {form.name}",
        )

    def _saved(self, key: str, form: RecordForm, result: WriteResult, done: str) -> None:
        self._saving.pop(key, None)
        if shiboken6.isValid(form):  # a lock may have closed it while the save was queued
            form.done(RecordForm.DialogCode.Accepted)
            self._forget(key, discard=False)
        self._published(result, done)

    def _published(self, result: WriteResult, done: str) -> None:
        self.bus.publish(result)
        self.message.emit(done if result.changed else "Nothing had changed, so nothing was saved.")

    def _failed(self, key: str, form: RecordForm, error: BaseException) -> None:
        self._saving.pop(key, None)
        if not shiboken6.isValid(form):  # closed by a lock; its draft was kept (see stash)
            self.message.emit(explain(error))
            return
        if isinstance(error, ValidationError):
            form.show_errors(error.errors)
        else:
            form.set_busy(False)
            form.show_message(explain(error), error=True)

    def _forget(self, key: str, *, discard: bool) -> None:
        form = self.open_forms.pop(key, None)
        self.autosave.stop(key)
        if form is not None:
            form.deleteLater()
        if discard:
            self.runner.submit(lambda s: drafts.discard(s.db, key), name="discard draft")

    # --- the idle lock ----------------------------------------------------------------------

    def stash(self) -> int:
        """Save every open form as a draft and close it; queued before the lock, so it lands first."""
        user_id = self.signed_in.who.user_id if self.signed_in.who else None
        count = 0
        self.autosave.stop_all()
        for key, form in list(self.open_forms.items()):
            # A save still queued runs before this job: keep the draft only if it did not commit.
            committed = self._saving.pop(key, [False])
            self.runner.submit(
                _draft_unless(committed, _saver(key, form.draft(), user_id)), name="save draft"
            )
            form.cancelled.disconnect()
            form.done(RecordForm.DialogCode.Rejected)
            form.deleteLater()
            count += 1
        self.open_forms.clear()
        return count

    def restore(self) -> None:
        """Reopen the signed-in worker's drafts, as they were when the app locked."""
        if self.signed_in.who is None:
            return
        user_id = self.signed_in.who.user_id
        self.runner.submit(lambda s: drafts.for_user(s.db, user_id), self._restore, name="drafts")

    def _restore(self, found: list[drafts.Draft]) -> None:
        for draft in found:
            payload = draft.payload
            if payload.get("form") not in FORMS:
                continue
            form = self.open(payload["form"], payload.get("context") or {}, draft.form_key)
            form.set_values(payload.get("values") or {})
            form.show_message(RESTORED)
