"""Who may see and change what: the access policy, in one place.

The server enforces it on every push and pull; the desktop client uses the same functions only to
hide what it would be refused anyway. Pure decisions over plain facts: no database, no I/O.

Scopes (DESIGN.md, "Who gets what on their laptop"):

* a **navigator** (and an **on-call** worker) reads the full records of the clients they key-work
  or co-work, and for every *active* client of their team the **on-call summary**: the client's
  identity, address, crisis plan, conditions and exclusion zones (a projection of the client
  record), its active risk flags, its open visits and its current handover notes;
* a **peer support worker** (liaison and diversion) is scoped like a navigator, and also reads in
  full the engagements they recorded (people met in custody, court or the community, often
  before they are anyone's client), with those engagements' referrals and concerns for supervision;
* engagements, referrals and concerns for supervision not yet attached to a client are read by
  the worker who recorded them and the team's managers (a concern also by its named supervisor);
  once attached to a client, also by whoever reads that client in full (never in a summary);
* a **manager** reads the team's full records;
* an **administrator** manages users and devices and reads no client records at all.

Nothing outside one's own team is ever in scope. Anything more about a client outside one's
caseload is break-glass: a stated reason, audited, fetched online.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from navigator_core.kinds import ATTACHABLE, DISCUSSION_FIELDS
from navigator_core.ops import Operation, OpType


class Role(StrEnum):
    NAVIGATOR = "navigator"
    ON_CALL = "on-call"
    MANAGER = "manager"
    ADMIN = "admin"
    PEER_SUPPORT = "peer-support"

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role as people and command lines spell it ("on-call", "on_call", "On call")."""
        normal = text.strip().lower().replace("_", "-").replace(" ", "-")
        try:
            return cls(normal)
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise ValueError(f"no role called {text!r}; choose from {choices}") from None


class Access(IntEnum):
    NONE = 0
    SUMMARY = 1  # the on-call summary: a projection of the record, or the record only while it is current
    FULL = 2


@dataclass(frozen=True)
class Actor:
    user_id: str
    team_id: str
    role: Role
    # Whether the team's on-call rota has this person on shift now. Only the central store knows
    # (the rota lives there); it sets this on every request. A laptop leaves it False, which only
    # ever hides more than the store would refuse.
    on_rota: bool = False


@dataclass(frozen=True)
class ClientFacts:
    """What the policy needs to know about a client to scope it and every record about it."""

    id: str
    team_id: str
    status: str
    key_worker_id: str | None = None
    co_worker_ids: frozenset[str] = frozenset()

    @classmethod
    def from_values(cls, client_id: str, values: Mapping[str, Any]) -> ClientFacts:
        co_workers = values.get("co_worker_ids") or []
        return cls(
            id=client_id,
            team_id=str(values.get("team_id") or ""),
            status=str(values.get("status") or ""),
            key_worker_id=values.get("key_worker_id") or None,
            co_worker_ids=frozenset(str(c) for c in co_workers if isinstance(c, str)),
        )

    def works_with(self, user_id: str) -> bool:
        return user_id == self.key_worker_id or user_id in self.co_worker_ids


@dataclass(frozen=True)
class RecordFacts:
    """One record as the policy sees it: its kind, its team, its client and its current values."""

    kind: str
    team_id: str
    client: ClientFacts | None
    values: Mapping[str, Any]
    author_id: str | None = None
    deleted: bool = False


# The on-call summary of a client: who they are, where they are, and the crisis picture.
CLIENT_SUMMARY_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "preferred_name",
        "pronouns",
        "date_of_birth",
        "nhs_number",
        "address",
        "postcode",
        "phone",
        "team_id",
        "key_worker_id",
        "co_worker_ids",
        "care_coordinator",
        "status",
        "legal_framework",
        "conditions",
        "licence_conditions",
        "exclusion_zones",
        "no_contact",
        "crisis_plan",
        "key_contacts",
        "language",
        "interpreter_needed",
        "accessibility_needs",
    }
)
OPEN_VISIT_STATUSES = frozenset({"planned", "in_progress", "overdue", "escalated"})
# Kinds that belong to a team rather than to one client; every member (not administrators) reads them.
TEAM_KINDS = frozenset({"agency", "acknowledgement"})
# Allocation fields of a client: only a manager changes who works with a client.
ALLOCATION_FIELDS = frozenset({"key_worker_id", "co_worker_ids"})
# What an on-call worker may change on an open visit of a client outside their caseload: escalation.
VISIT_ESCALATION_FIELDS = frozenset({"status", "checked_in_at", "checked_out_at", "overrun_action"})
# Kinds an "entered in error" mark may point at and still be part of the summary.
_SUMMARY_KINDS = frozenset({"client", "risk_flag", "visit", "handover_note"})

# A worker's own work with a person, which may come before the person is a client (ATTACHABLE).
OWN_WORK_KINDS = ATTACHABLE

OUT_OF_SCOPE = "this record is outside your scope"


def summary_fields(kind: str) -> frozenset[str] | None:
    """Which fields of `kind` the on-call summary carries: a projection for clients, the whole
    record (None) for the kinds whose current records are in the summary, empty for the rest."""
    if kind == "client":
        return CLIENT_SUMMARY_FIELDS
    if kind in _SUMMARY_KINDS or kind == "entered_in_error":
        return None
    return frozenset()


def project(kind: str, values: Mapping[str, Any], access: Access) -> dict[str, Any]:
    """The part of a record's values the reader may have at `access`."""
    if access is Access.FULL:
        return dict(values)
    if access is Access.NONE:
        return {}
    fields = summary_fields(kind)
    if fields is None:
        return dict(values)
    return {k: v for k, v in values.items() if k in fields}


def client_access(actor: Actor, client: ClientFacts) -> Access:
    if actor.role is Role.ADMIN or client.team_id != actor.team_id:
        return Access.NONE
    if actor.role is Role.MANAGER or client.works_with(actor.user_id):
        return Access.FULL
    if client.status == "active":
        return Access.SUMMARY
    return Access.NONE


def _is_current(values: Mapping[str, Any], now: str) -> bool:
    until = values.get("valid_until")
    return not until or str(until) > now


def break_glass_access(actor: Actor, record: RecordFacts) -> Access:
    """What a break-glass read (a stated, audited reason) shows of one client's records: all of
    them, except what stays private whatever the reason: other people's audit trail, and handover
    notes addressed to another named worker (each still goes to its author and to managers)."""
    if actor.role is Role.MANAGER or record.author_id == actor.user_id:
        return Access.FULL
    if record.kind == "audit_event":
        return Access.NONE
    values = record.values
    if record.kind == "handover_note" and values.get("audience") == "worker":
        return Access.FULL if values.get("for_user_id") == actor.user_id else Access.NONE
    return Access.FULL


def read_access(actor: Actor, record: RecordFacts, now: str) -> Access:
    """How much of `record` the actor may hold. `now` is an instant as timeutil writes it."""
    if actor.role is Role.ADMIN or record.team_id != actor.team_id:
        return Access.NONE
    if record.client is not None and record.client.team_id != actor.team_id:
        return Access.NONE
    kind, values = record.kind, record.values
    if kind in TEAM_KINDS:
        return Access.FULL
    if kind == "audit_event":
        # The audit trail is for the person it records and for the team's managers.
        mine = record.author_id == actor.user_id
        return Access.FULL if mine or actor.role is Role.MANAGER else Access.NONE
    if kind == "handover_note":
        return _handover_access(actor, record, now)
    if kind in OWN_WORK_KINDS:
        return _own_work_access(actor, record)
    if record.client is None:
        # A record about no client (an "entered in error" mark on a team note, a decision on a
        # conflict over an agency): the team's.
        return Access.FULL
    reach = client_access(actor, record.client)
    if kind == "conflict_resolution":
        return Access.FULL if reach is Access.FULL else Access.NONE  # conflicts go to full readers only
    if reach is not Access.SUMMARY:
        return reach
    if kind == "client":
        return Access.SUMMARY
    if record.deleted and kind in _SUMMARY_KINDS:
        return Access.SUMMARY  # the tombstone must reach whoever may hold the record
    if kind == "risk_flag" and values.get("status") == "active":
        return Access.SUMMARY
    if kind == "visit" and values.get("status") in OPEN_VISIT_STATUSES:
        return Access.SUMMARY
    if kind == "entered_in_error" and values.get("target_kind") in _SUMMARY_KINDS:
        return Access.SUMMARY
    if kind == "visit_escalation":
        return Access.SUMMARY  # whoever watches an overdue visit sees what has been done about it
    if kind == "contact" and record.author_id == actor.user_id:
        return Access.FULL  # an out-of-hours contact stays with the on-call worker who wrote it
    return Access.NONE


def _own_work_access(actor: Actor, record: RecordFacts) -> Access:
    """An engagement, a referral or a concern for supervision: in full to its author, the team's
    managers and (a concern) its named supervisor; once attached to a client, also to whoever
    reads that client in full. Never part of the on-call summary."""
    if _owns(actor, record):
        return Access.FULL
    if record.client is not None and client_access(actor, record.client) is Access.FULL:
        return Access.FULL
    return Access.NONE


def _owns(actor: Actor, record: RecordFacts) -> bool:
    if actor.role is Role.MANAGER or record.author_id == actor.user_id:
        return True
    return record.kind == "supervision_item" and record.values.get("supervisor_id") == actor.user_id


def _own_work_write_refusal(
    actor: Actor, op: Operation, before: RecordFacts | None, after: RecordFacts
) -> str | None:
    # A new record about a client, or attaching one to a client, needs the client's full record.
    newly_about = after.client is not None and (before is None or before.client is None)
    if newly_about and after.client is not None and client_access(actor, after.client) is not Access.FULL:
        return OUT_OF_SCOPE
    if before is None:
        return None  # anyone in the team may record an engagement, a referral or a concern
    if op.kind == "supervision_item":
        if op.op is OpType.DELETE:
            return "a concern for supervision is never deleted: mark it discussed, with a note"
        supervisor = actor.role is Role.MANAGER or before.values.get("supervisor_id") == actor.user_id
        if supervisor and set(op.changes) <= DISCUSSION_FIELDS:
            return None
    if actor.role is Role.MANAGER or before.author_id == actor.user_id:
        return None  # (a named supervisor writes only the discussion, above)
    if before.client is not None and client_access(actor, before.client) is Access.FULL:
        return None
    return OUT_OF_SCOPE


def _handover_access(actor: Actor, record: RecordFacts, now: str) -> Access:
    values = record.values
    if values.get("audience") == "worker":
        named = values.get("for_user_id") == actor.user_id or record.author_id == actor.user_id
        if not named and actor.role is not Role.MANAGER:
            return Access.NONE
    if record.client is None:
        return Access.FULL
    reach = client_access(actor, record.client)
    if reach is Access.SUMMARY:
        return Access.SUMMARY if _is_current(values, now) else Access.NONE
    return reach


def conflict_access(actor: Actor, record: RecordFacts, now: str) -> Access:
    """A conflict keeps a losing value for a person to review: only full readers get it."""
    return Access.FULL if read_access(actor, record, now) is Access.FULL else Access.NONE


def write_refusal(actor: Actor, op: Operation, before: RecordFacts | None, after: RecordFacts) -> str | None:
    """Why `actor` may not apply `op`, or None when they may.

    `before` is the record as the server holds it (None for a new one); `after` is the record as
    it would be with the operation applied. Records about a client carry the client as it stands
    before the operation, and edits to a client are judged on the client as it was, so no one can
    widen their own scope by editing a client.
    """
    if op.author_id != actor.user_id:
        return "author_id must be the signed-in user"
    if actor.role is Role.ADMIN:
        return "administrators manage users and devices and do not write client records"
    if after.team_id != actor.team_id or (before is not None and before.team_id != actor.team_id):
        return OUT_OF_SCOPE
    if before is not None:
        if before.kind != op.kind:
            return "a record with this id exists and is of another kind"
        old_client = before.client.id if before.client else None
        new_client = after.client.id if after.client else None
        if old_client != new_client and not (old_client is None and op.kind in ATTACHABLE):
            return "a record cannot move to another client"
    if op.kind == "client":
        return _client_write_refusal(actor, op, before, after)
    if op.kind in TEAM_KINDS or op.kind == "audit_event":
        return None
    if op.kind == "handover_note":
        return None  # anyone in the team may leave a note about any client of the team
    if op.kind in OWN_WORK_KINDS:
        return _own_work_write_refusal(actor, op, before, after)
    if after.client is None:
        return None if op.kind == "entered_in_error" else OUT_OF_SCOPE
    reach = client_access(actor, after.client)
    if reach is Access.FULL:
        return None
    if reach is Access.SUMMARY and op.kind == "visit_escalation":
        return None  # anyone in the team may record what they did about a visit that ran over
    out_of_hours = after.values.get("out_of_hours") is True
    on_call_contact = op.kind == "contact" and op.op is OpType.APPEND and out_of_hours
    if reach is Access.SUMMARY and on_call_contact and may_work_on_call(actor):
        return None  # on call, a contact with any active client of the team, marked out of hours
    if (
        op.kind == "visit"
        and op.op is OpType.UPDATE
        and reach is Access.SUMMARY
        and may_work_on_call(actor)
        and before is not None
        and before.values.get("status") in OPEN_VISIT_STATUSES
        and set(op.changes) <= VISIT_ESCALATION_FIELDS
    ):
        return None
    return OUT_OF_SCOPE


def _client_write_refusal(
    actor: Actor, op: Operation, before: RecordFacts | None, after: RecordFacts
) -> str | None:
    if before is None:
        creating = after.client or ClientFacts.from_values("", after.values)
        if actor.role is Role.MANAGER or creating.works_with(actor.user_id):
            return None
        return "a new client must be on your own caseload (as key worker or co-worker)"
    if before.client is None or client_access(actor, before.client) is not Access.FULL:
        return OUT_OF_SCOPE
    if "team_id" in op.changes and op.changes["team_id"].value != before.team_id:
        return "moving a client to another team is not supported"
    if op.op is OpType.DELETE and actor.role is not Role.MANAGER:
        return "only a manager may delete a client record"
    reallocating = any(
        name in op.changes and op.changes[name].value != before.values.get(name) for name in ALLOCATION_FIELDS
    )
    if reallocating and actor.role is not Role.MANAGER:
        return "only a manager may change who works with a client"
    return None


def break_glass_refusal(actor: Actor, client: ClientFacts | None, reason: str) -> str | None:
    """Why the actor may not open this client's full record out of caseload, or None."""
    if actor.role is Role.ADMIN:
        return "administrators do not read client records"
    if client is None or client.team_id != actor.team_id:
        return OUT_OF_SCOPE
    if client_access(actor, client) is not Access.FULL and not may_work_on_call(actor):
        # Break-glass exists for on-call duty: out of hours, someone may need more than the
        # summary about a client they do not work with. A navigator off duty has no such need;
        # letting every navigator open any client with a typed reason would make caseload scope
        # a formality, so they must ask the key worker or a manager instead.
        return (
            "break-glass is for on-call duty: you are not on the on-call rota now; "
            "ask the client's key worker or a manager"
        )
    if len(reason.strip()) < 10:
        return "say why you need this record (at least 10 characters)"
    return None


def may_work_on_call(actor: Actor) -> bool:
    """On-call rights: the on-call role and managers (who cover the rota) always; and a navigator
    while the team's rota has them on shift (DOMAIN.md: on-call is done by the same staff on a
    rota). Administrators never, whatever the rota says: they read no client records."""
    if actor.role is Role.ADMIN:
        return False
    return actor.role in (Role.ON_CALL, Role.MANAGER) or actor.on_rota


def may_administer(actor: Actor) -> bool:
    return actor.role is Role.ADMIN


def may_manage_rota(actor: Actor, team_id: str) -> bool:
    return actor.role is Role.MANAGER and actor.team_id == team_id
