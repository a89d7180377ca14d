"""Every form the app opens, built from the record kinds' field specs, with sensible defaults.

Each builder takes plain values (ids, names, the record being changed) so a form can be rebuilt
from a draft after the idle lock; every builder has the same shape, ``(context, who, parent)``, and is
named in the form registry (registry.py) beside the writer that saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from navigator_core import timeutil
from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import CLIENT, CONTACT, HANDOVER_NOTE, RISK_FLAG, SEVERITIES
from navigator_desktop.store.views import Who
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.ui.widgets.typed_date import TypedDateEdit

Builder = Callable[[dict[str, Any], Who | None, QWidget | None], RecordForm]
REASON = FieldSpec("reason", T.TEXT, "Reason", required=True, max_length=20_000)


def _editors(
    spec_fields: dict[str, FieldSpec], names: list[str], **choices: list[tuple[str, str]]
) -> list[FieldEditor]:
    return [FieldEditor(spec_fields[n], choices.get(n)) for n in names]


class ContactForm(RecordForm):
    """A new contact (or a correction of one), with the late-entry warning kept up to date."""

    def __init__(self, context: dict[str, Any], parent: QWidget | None = None):
        amending = context.get("amends")
        f = CONTACT.by_name
        names = ["occurred_at", "contact_type", "duration_minutes", "place", "present", "pathways",
                 "narrative", "actions", "feedback", "safeguarding_raised"]  # fmt: skip
        editors = _editors(f, names)
        extra = [FieldEditor(FieldSpec("amend_reason", T.TEXT, "Why is it being corrected?", required=True))]
        who = context.get("client_name", "")
        super().__init__(
            "contact",
            f"Correct a contact with {who}" if amending else f"New contact with {who}",
            [(None, editors + (extra if amending else []))],
            kind=CONTACT,
            fixed={"client_id": context["client_id"], **context.get("fixed", {})},
            context=context,
            intro="The original stays in the record's history; this correction replaces it in the timeline."
            if amending
            else "Say what happened, in plain words. Ctrl+Enter saves.",
            parent=parent,
        )
        self.late = QLabel()
        self.late.setObjectName("lateEntry")
        self.late.setWordWrap(True)
        when_cell = self.editors["occurred_at"].error.parentWidget()
        cell_layout = when_cell.layout() if when_cell is not None else None
        if cell_layout is not None:
            cell_layout.addWidget(self.late)
        for name in ("actions", "feedback"):
            self.editors[name].widget.setMaximumHeight(90)
        when = self.editors["occurred_at"].widget
        assert isinstance(when, TypedDateEdit)
        when.latest = timeutil.local(timeutil.utcnow() + timedelta(minutes=5)).replace(tzinfo=None)
        when.changed.connect(self._update_late)
        if amending:
            self.set_values({k: v for k, v in amending.items() if k in self.editors})
        else:
            now = timeutil.utcnow().replace(second=0, microsecond=0)
            self.set_values({"occurred_at": timeutil.to_text(now), "contact_type": "home_visit",
                             "duration_minutes": 60})  # fmt: skip
            # A contact offered from a visit or on call comes filled in (flows/visits.py, on_call.py).
            self.set_values(context.get("prefill") or {})
        self._update_late()
        self.editors["narrative"].widget.setFocus()

    def _update_late(self) -> None:
        occurred = self.editors["occurred_at"].value()
        if self.editors["occurred_at"].typed_problem() or not occurred:
            self.late.hide()
            return
        late = timeutil.utcnow() - timeutil.parse(occurred) > timeutil.LATE_ENTRY_AFTER
        self.late.setVisible(late)
        self.late.setText(
            f"<b>⚠ Late entry</b>: this happened more than 24 hours ago ({text.moment(occurred)}). "
            "It will be marked as a late entry, showing both when it happened and when it was written."
        )


def client_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    record = context.get("record")
    f = CLIENT.by_name
    workers = who.workers if who else []
    identity = _editors(f, ["given_name", "family_name", "preferred_name", "pronouns", "date_of_birth",
                            "nhs_number", "address", "postcode", "phone", "status", "key_worker_id",
                            "care_coordinator", "referral_source", "referral_date"],
                        key_worker_id=workers)  # fmt: skip
    forensic = _editors(f, ["legal_framework", "conditions", "mappa_category", "mappa_level",
                            "licence_conditions", "exclusion_zones", "no_contact", "recall_triggers",
                            "crisis_plan", "cpa_review_date", "plan_review_date"])  # fmt: skip
    needs = _editors(f, ["language", "interpreter_needed", "accessibility_needs", "consent_to_share"])
    equality = _editors(f, ["gender", "ethnicity", "disability", "sexual_orientation", "religion"])
    team = (record or {}).get("team_id") or (who.team_id if who else None)
    engaged = context.get("engagement")  # a new client made from an engagement (Engagements screen)
    form = RecordForm(
        "client",
        f"Edit {record['given_name']} {record['family_name']}"
        if record
        else "New client from an engagement"
        if engaged
        else "New client",
        [("Identity and referral", identity), ("Forensic and legal", forensic),
         ("Communication and consent", needs), ("Equality monitoring (every answer optional)", equality)],
        kind=CLIENT,
        fixed={"team_id": team} if team else {},
        context=context,
        intro="Fields marked * are needed."
        + (f" The engagement ({engaged['person']}) and its referrals go on this record." if engaged else ""),
        parent=parent,
    )  # fmt: skip
    if record:
        form.set_values(record)
    else:
        form.set_values({"status": "referred", "key_worker_id": who.user_id if who else None})
        form.set_values(context.get("prefill") or {})
    return form


def risk_form(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
    f = RISK_FLAG.by_name
    form = RecordForm(
        "risk",
        f"Raise a risk flag for {context.get('client_name', '')}",
        [
            (
                None,
                _editors(
                    f, ["category", "severity", "description", "management_plan", "source", "review_date"]
                ),
            )
        ],
        kind=RISK_FLAG,
        fixed={"client_id": context["client_id"], "status": "active", "raised_on": text.today()},
        context=context,
        intro="Explain the plan as well as the danger. An active flag needs a review date.",
        parent=parent,
    )
    in_a_month = (timeutil.parse_date(text.today()) + timedelta(days=28)).isoformat()
    form.set_values({"severity": "medium", "review_date": in_a_month})
    return form


def risk_review_form(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
    flag = context["flag"]
    f = RISK_FLAG.by_name
    editors = [
        FieldEditor(FieldSpec("note", T.TEXT, "What the review found", required=True)),
        FieldEditor(FieldSpec("review_date", T.DATE, "Next review", required=True)),
        FieldEditor(FieldSpec("severity", T.ENUM, "Severity", required=True, choices=SEVERITIES)),
        FieldEditor(f["management_plan"]),
    ]
    form = RecordForm("risk_review", f"Review risk: {text.label(flag['category'])}", [(None, editors)],
                      context=context, intro=flag.get("description") or "", parent=parent)  # fmt: skip
    in_a_month = (timeutil.parse_date(text.today()) + timedelta(days=28)).isoformat()
    form.set_values({"review_date": in_a_month, "severity": flag["severity"],
                     "management_plan": flag.get("management_plan")})  # fmt: skip
    return form


def contact_form(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
    return ContactForm(context, parent)


def reason_form(name: str) -> Builder:
    """The builder of a form that asks only for a reason (marking a record entered in error,
    resolving a risk); its title and intro come in the context, so a draft comes back as it was."""

    def build(context: dict[str, Any], _who: Who | None, parent: QWidget | None = None) -> RecordForm:
        title, intro = context.get("title", "Reason"), context.get("intro", "")
        return RecordForm(
            name, title, [(None, [FieldEditor(REASON)])], context=context, intro=intro, parent=parent
        )

    return build


def handover_form(context: dict[str, Any], who: Who | None, parent: QWidget | None = None) -> RecordForm:
    f = HANDOVER_NOTE.by_name
    workers = who.workers if who else []
    about = context.get("client_name")
    fixed: dict[str, Any] = {"team_id": who.team_id if who else None, "valid_from": timeutil.now_text()}
    if context.get("client_id"):
        fixed["client_id"] = context["client_id"]
    form = RecordForm(
        "handover",
        f"Handover note about {about}" if about else "Handover note for the team",
        [
            (
                None,
                _editors(
                    f, ["text", "priority", "audience", "for_user_id", "valid_until"], for_user_id=workers
                ),
            )
        ],
        kind=HANDOVER_NOTE,
        fixed={k: v for k, v in fixed.items() if v},
        context=context,
        intro="Valid from now. Without an end it stays current for 7 days.",
        save_text="&Post note",
        parent=parent,
    )
    form.set_values({"priority": "routine", "audience": "team"})
    return form
