"""Every form the app opens, by name: how it is built, what writes what it holds, and the sentence
the status bar says once it is saved. One table, read by the forms flow (and by a draft restored
after the idle lock); nothing is added to it from elsewhere.

A writer runs on the database worker. Its arguments: the store, the signed-in actor, ``record``
(the values that make the record), ``entered`` (everything typed, with fields outside the record
such as a reason or a review note) and ``context`` (what the form was opened with: the record
being changed, the client, the goal).

The registry joins forms to the store's writers, so it is the one module of ui/forms that
imports store functions (tests/desktop/test_ui_imports.py allows it by name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol

from navigator_core import timeutil
from navigator_core.kinds import CLIENT
from navigator_desktop.store import (
    agencies,
    clients,
    contacts,
    engagements,
    handover,
    plans,
    referrals,
    risk,
    safeguarding,
    supervision,
    visits,
)
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.ui.forms import catalogue, partners
from navigator_desktop.ui.forms import concerns as concern_forms
from navigator_desktop.ui.forms import engagements as engagement_forms
from navigator_desktop.ui.forms import plan as plan_forms
from navigator_desktop.ui.forms import visits as visit_forms
from navigator_desktop.ui.forms.catalogue import Builder

Values = dict[str, Any]


class Writer(Protocol):
    def __call__(
        self, db: Database, actor: Actor, record: Values, entered: Values, context: Values
    ) -> WriteResult: ...


@dataclass(frozen=True)
class FormSpec:
    build: Builder
    write: Writer
    done: str  # said in the status bar once saved


def _contact(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    if context.get("amends"):
        reason = entered.get("amend_reason") or ""
        return contacts.amend(db, actor, context["amends"]["id"], record, reason=reason)
    return contacts.add(db, actor, record)


def _contact_in_error(
    db: Database, actor: Actor, record: Values, entered: Values, context: Values
) -> WriteResult:
    return contacts.mark_entered_in_error(db, actor, context["contact"]["id"], entered["reason"])


def _client(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    existing = context.get("record")
    if existing:
        wanted = {name: value for name, value in entered.items() if name in CLIENT.by_name}
        return clients.update(db, actor, existing["id"], wanted)
    if context.get("engagement"):  # made from an engagement, which is attached to the new client
        return engagements.make_client(db, actor, context["engagement"]["id"], record)
    return clients.create(db, actor, record)


def _engagement(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return engagements.record(db, actor, record)


def _risk(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return risk.raise_flag(db, actor, record)


def _risk_review(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return risk.review(
        db,
        actor,
        context["flag"]["id"],
        review_date=entered["review_date"] or "",
        note=entered["note"] or "",
        severity=entered["severity"],
        management_plan=entered["management_plan"],
    )


def _risk_resolve(
    db: Database, actor: Actor, record: Values, entered: Values, context: Values
) -> WriteResult:
    return risk.resolve(db, actor, context["flag"]["id"], entered["reason"])


def _handover(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return handover.write(db, actor, record)


def _visit(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return visits.plan(db, actor, record)


def _escalation(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return visits.record_step(
        db, actor, record["visit_id"], record["step"], notes=record.get("notes"),
        occurred_at=record.get("occurred_at"),
    )  # fmt: skip


def _goal(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    existing = context.get("record")
    if existing:
        names = ("pathway", "goal", "target_date", "review_date", "status", "co_produced")
        wanted = {name: entered.get(name) for name in names}
        wanted["steps"] = plans.steps_from_lines(entered.get("steps_text") or "", existing.get("steps"))
        return plans.update_goal(db, actor, existing["id"], wanted)
    steps = plans.steps_from_lines(entered.get("steps_text") or "")
    return plans.add_goal(db, actor, {**record, **({"steps": steps} if steps else {})})


def _goal_review(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return plans.review_goal(
        db, actor, context["goal"]["id"], next_review=entered.get("review_date") or "",
        note=entered.get("note") or "", status=entered.get("status"),
    )  # fmt: skip


def _outcome(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    if context.get("amends"):
        reason = entered.get("amend_reason") or ""
        return plans.amend_outcome(db, actor, context["amends"]["id"], record, reason)
    return plans.record_outcome(db, actor, record)


def _outcome_in_error(
    db: Database, actor: Actor, record: Values, entered: Values, context: Values
) -> WriteResult:
    return plans.mark_outcome_entered_in_error(db, actor, context["outcome"]["id"], entered["reason"])


def _safeguarding(
    db: Database, actor: Actor, record: Values, entered: Values, context: Values
) -> WriteResult:
    if context.get("amends"):
        reason = entered.get("amend_reason") or ""
        return safeguarding.amend(db, actor, context["amends"]["id"], record, reason)
    return safeguarding.raise_concern(db, actor, record)


def _supervision(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return supervision.raise_item(
        db, actor, team_id=record["team_id"], target_kind=record["target_kind"],
        target_id=record["target_id"], reason=record["reason"], client_id=record.get("client_id"),
        supervisor_id=record.get("supervisor_id"),
    )  # fmt: skip


def _discussed(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    on = entered.get("discussed_on")
    return supervision.mark_discussed(
        db,
        actor,
        context["item"]["id"],
        entered["discussion_note"] or "",
        on=date.fromisoformat(on) if on else None,
    )


def _agency(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    existing = context.get("record")
    if existing:
        return agencies.update(db, actor, existing["id"], partners.edited(existing, entered))
    return agencies.add(db, actor, record)


def _referral(db: Database, actor: Actor, record: Values, entered: Values, context: Values) -> WriteResult:
    return referrals.make(db, actor, record)


def _referral_status(
    db: Database, actor: Actor, record: Values, entered: Values, context: Values
) -> WriteResult:
    return referrals.set_status(
        db, actor, context["referral"]["id"], entered["status"],
        on=timeutil.parse_date(entered["status_on"]), outcome=entered.get("outcome"),
    )  # fmt: skip


FORMS = MappingProxyType(
    {
        "contact": FormSpec(catalogue.contact_form, _contact, "Contact saved."),
        "contact_in_error": FormSpec(
            catalogue.reason_form("contact_in_error"),
            _contact_in_error,
            "Contact marked as entered in error.",
        ),
        "client": FormSpec(catalogue.client_form, _client, "Client details saved."),
        "engagement": FormSpec(engagement_forms.engagement_form, _engagement, "Engagement recorded."),
        "risk": FormSpec(catalogue.risk_form, _risk, "Risk flag raised."),
        "risk_review": FormSpec(catalogue.risk_review_form, _risk_review, "Risk review saved."),
        "risk_resolve": FormSpec(catalogue.reason_form("risk_resolve"), _risk_resolve, "Risk flag resolved."),
        "handover": FormSpec(catalogue.handover_form, _handover, "Handover note posted."),
        "visit": FormSpec(visit_forms.visit_form, _visit, "Visit planned."),
        "visit_escalation": FormSpec(visit_forms.escalation_form, _escalation, "Escalation step recorded."),
        "goal": FormSpec(plan_forms.goal_form, _goal, "Goal saved."),
        "goal_review": FormSpec(
            plan_forms.goal_review_form, _goal_review, "Review recorded; the next review date is set."
        ),
        "outcome": FormSpec(plan_forms.outcome_form, _outcome, "Outcome recorded."),
        "outcome_in_error": FormSpec(
            catalogue.reason_form("outcome_in_error"),
            _outcome_in_error,
            "Outcome marked as entered in error.",
        ),
        "safeguarding": FormSpec(
            concern_forms.safeguarding_form, _safeguarding, "Safeguarding concern saved."
        ),
        "supervision": FormSpec(concern_forms.supervision_form, _supervision, "Raised for supervision."),
        "supervision_discussed": FormSpec(
            concern_forms.discussed_form, _discussed, "Marked as discussed in supervision."
        ),
        "agency": FormSpec(partners.agency_form, _agency, "Agency saved in the team's directory."),
        "referral": FormSpec(partners.referral_form, _referral, "Referral recorded."),
        "referral_status": FormSpec(partners.referral_status_form, _referral_status, "Referral updated."),
    }
)
