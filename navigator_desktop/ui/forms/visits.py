"""The forms of lone working: planning a visit, and recording an escalation step on one.

Built like every other form (field specs, errors at the field, kept as a draft on lock); the
forms flow writes what they hold (see registry.py, "visit" and "visit_escalation").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from navigator_core import timeutil
from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import PERSON_ESCALATION_STEPS, VISIT, VISIT_ESCALATION
from navigator_desktop.store.views import Who
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.forms.record_form import RecordForm

DEFAULT_MINUTES = 60
CLIENT_CHOICE = FieldSpec("client_id", T.UUID, "Client", required=True)


def next_quarter_hour(now: Any = None) -> str:
    """The next quarter past, half past, or o'clock: a sensible planned start."""
    moment = (now or timeutil.utcnow()).replace(second=0, microsecond=0)
    moment += timedelta(minutes=15 - moment.minute % 15)
    return timeutil.to_text(moment)


def visit_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """Plan a visit. From a client's screen the client is fixed; from Today it is chosen from
    `context["clients"]` ([name, id] pairs of my caseload)."""
    f = VISIT.by_name
    buddies = [(n, i) for n, i in (who.workers if who else []) if not who or i != who.user_id]
    editors: list[FieldEditor] = []
    fixed: dict[str, Any] = {}
    if context.get("client_id"):
        fixed["client_id"] = context["client_id"]
    else:
        editors.append(FieldEditor(CLIENT_CHOICE, [tuple(c) for c in context.get("clients", [])]))
    names = ["place", "planned_start", "expected_minutes", "call_contact", "buddy_id"]
    editors += [FieldEditor(f[n], buddies if n == "buddy_id" else None) for n in names]
    about = context.get("client_name")
    form = RecordForm(
        "visit",
        f"Plan a visit to {about}" if about else "Plan a visit",
        [(None, editors)],
        kind=VISIT,
        fixed={**fixed, "status": "planned", **({"worker_id": who.user_id} if who else {})},
        context=context,
        intro="Say where you are going and when you expect to be out. If you have not checked out "
        "by then, the on-call worker sees the visit as overdue as soon as any laptop syncs.",
        save_text="&Plan visit",
        parent=parent,
    )
    form.set_values(
        {
            "planned_start": next_quarter_hour(),
            "expected_minutes": DEFAULT_MINUTES,
            "place": context.get("place"),
        }
    )
    return form


def escalation_form(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
    """Record what was done about a visit that ran over (one step per entry)."""
    f = VISIT_ESCALATION.by_name
    # Only what a person does: the alert steps (sent, failed, acknowledged...) are the store's.
    steps = [(text.label(step), step) for step in PERSON_ESCALATION_STEPS]
    form = RecordForm(
        "visit_escalation",
        f"Record a step: visit to {context.get('client_name', '')}",
        [(None, [FieldEditor(f["step"], steps), FieldEditor(f["occurred_at"]), FieldEditor(f["notes"])])],
        kind=VISIT_ESCALATION,
        fixed={"visit_id": context["visit_id"], "client_id": context["client_id"]},
        context=context,
        intro=f"{context.get('worker', 'The worker')} at {context.get('place', '—')}, expected out by "
        f"{text.moment(context.get('due_out_at'))}. Each step is kept, dated and attributed.",
        save_text="&Record step",
        parent=parent,
    )
    form.set_values({"occurred_at": timeutil.to_text(timeutil.utcnow().replace(second=0, microsecond=0))})
    return form
