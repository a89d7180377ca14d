"""Visits: lone-working sessions, planned, checked in and out, escalated when they run over.

A visit is *overdue* when it has not been checked out by its expected end: the check-in plus the
expected duration once checked in, else the planned start plus the expected duration (the central
store counts it the same way, navigator_server/overdue.py). Visits still only planned are looked
for within ``OPEN_VISIT_WINDOW`` before now, so that part of the query stays an index range however
many visits the team has made; visits in progress, overdue or escalated are listed whenever they
were planned, until they are checked out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import AT_HOME, CONTACT, IN_COMMUNITY, VISIT, VISIT_ESCALATION, risks_for_place
from navigator_desktop.store import clients, codec, entries, records, risk
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = VISIT.name
OPEN_VISIT_WINDOW = timedelta(days=2)
OPEN_STATUSES = ("planned", "in_progress", "overdue", "escalated")
STARTED_STATUSES = ("in_progress", "overdue", "escalated")  # listed on call however old or early
BRIEFING_ACKNOWLEDGED = "safety briefing acknowledged"
NO_ONE_TO_CALL = "checked in with no one to call"  # an audit reason, followed by the worker's why
DUTY_LINE = "The duty line"
# Restrictions on how a visit may happen: shown first and prominently in the briefing.
RESTRICTIONS = ("visit_two_workers", "visit_not_at_home")


@dataclass(frozen=True)
class Briefing:
    """The safety briefing: the visit (with who to call), the client (exclusion zones, no-contact
    list), the client's active visit-relevant risks, most severe first, and the latest incident."""

    visit: Record
    client: Record
    risks: list[Record]
    incident: Record | None
    place: str = AT_HOME  # AT_HOME or IN_COMMUNITY (kinds.RISK_PLACES)

    @property
    def someone_to_call(self) -> bool:
        return bool((self.visit.get("call_contact") or "").strip() or self.visit.get("buddy_id"))

    @property
    def restrictions(self) -> list[Record]:
        return [r for r in self.risks if r["category"] in RESTRICTIONS]


def plan(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    """A new planned visit, by the writer unless another worker is named."""
    return records.create(db, actor, KIND, {"status": "planned", "worker_id": actor.user_id, **values})


def update(db: Database, actor: Actor, visit_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, KIND, visit_id, values)


def check_in(db: Database, actor: Actor, visit_id: str, at: str | None = None) -> WriteResult:
    return update(db, actor, visit_id, {"status": "in_progress", "checked_in_at": at or actor.now_text()})


def check_out(db: Database, actor: Actor, visit_id: str, at: str | None = None) -> WriteResult:
    return update(db, actor, visit_id, {"status": "completed", "checked_out_at": at or actor.now_text()})


def escalate(db: Database, actor: Actor, visit_id: str, action_taken: str) -> WriteResult:
    """The visit ran over and someone acted: say what was done."""
    return update(db, actor, visit_id, {"status": "escalated", "overrun_action": action_taken})


def extend(db: Database, actor: Actor, visit_id: str, minutes: int) -> WriteResult:
    """The navigator needs longer: add `minutes` to the expected duration (the expected end moves
    with it, here and on the central store)."""
    if minutes <= 0:
        raise ValueError("an extension is a positive number of minutes")
    visit = records.get(db, KIND, visit_id)
    if visit is None:
        raise records.RecordNotFoundError(KIND, visit_id)
    values: dict[str, Any] = {"expected_minutes": int(visit.get("expected_minutes") or 0) + minutes}
    if visit.get("status") == "overdue" and not visit.get("checked_out_at"):
        # The navigator answered: no longer overdue until the new end passes.
        values["status"] = "in_progress" if visit.get("checked_in_at") else "planned"
    return update(db, actor, visit_id, values)


def cancel(db: Database, actor: Actor, visit_id: str) -> WriteResult:
    return update(db, actor, visit_id, {"status": "cancelled"})


def record_step(
    db: Database,
    actor: Actor,
    visit_id: str,
    step: str,
    *,
    notes: str | None = None,
    occurred_at: str | None = None,
) -> WriteResult:
    """One escalation step (called the worker, the buddy, the police, the worker is safe) as an
    append-only, audited entry. The visit itself is not changed: it belongs to the worker, and on
    call only adds what was done (the policy lets anyone in the team append a step)."""
    visit = records.get(db, KIND, visit_id)
    if visit is None:
        raise records.RecordNotFoundError(KIND, visit_id)
    values = {
        "client_id": visit["client_id"],
        "visit_id": visit_id,
        "step": step,
        "occurred_at": occurred_at or actor.now_text(),
        "notes": notes,
    }
    return records.append(db, actor, VISIT_ESCALATION.name, values)


def steps(db: Database, visit_id: str) -> list[Record]:
    """A visit's escalation steps in the order they happened."""
    rows = db.query(
        "SELECT * FROM visit_escalations WHERE visit_id = ? ORDER BY occurred_at, recorded_at, id",
        (visit_id,),
    )
    return [codec.decode_row(VISIT_ESCALATION, r) for r in rows]


def acknowledge_briefing(db: Database, actor: Actor, visit_id: str) -> WriteResult:
    """The worker read the safety briefing: an audit "view" event on the visit, with the reason
    ``BRIEFING_ACKNOWLEDGED``, synced like every audit event."""
    visit = records.get(db, KIND, visit_id)
    if visit is None:
        raise records.RecordNotFoundError(KIND, visit_id)
    with db.transaction():
        change = records.write_audit(
            db, actor, "view", KIND, visit_id, visit["client_id"], reason=BRIEFING_ACKNOWLEDGED
        )
    return WriteResult(visit_id, [change])


def start(
    db: Database, actor: Actor, visit_id: str, at: str | None = None, *, no_call_reason: str | None = None
) -> WriteResult:
    """Acknowledge the briefing and check in, in one transaction: no check-in without it. With
    `no_call_reason`, why no one is set to call is recorded with it (an audit event on the visit)."""
    with db.transaction():
        acknowledged = acknowledge_briefing(db, actor, visit_id)
        why: list[Any] = []
        if no_call_reason and no_call_reason.strip():
            client_id = (get(db, visit_id) or {}).get("client_id")
            reason = f"{NO_ONE_TO_CALL}: {no_call_reason.strip()}"
            why = [records.write_audit(db, actor, "view", KIND, visit_id, client_id, reason=reason)]
        checked_in = check_in(db, actor, visit_id, at)
    return WriteResult(visit_id, [*acknowledged.changes, *why, *checked_in.changes])


def no_call_reason(db: Database, visit_id: str) -> str | None:
    """Why the worker checked in with no one to call, if they did."""
    found = db.scalar(
        "SELECT reason FROM audit_events WHERE target_id = ? AND reason LIKE ? ORDER BY rowid DESC LIMIT 1",
        (visit_id, f"{NO_ONE_TO_CALL}: %"),
    )
    return str(found)[len(NO_ONE_TO_CALL) + 2 :] if found else None


def visit_place(place: str | None, address: str | None) -> str:
    """IN_COMMUNITY only when the place is plainly not a home: not the client's address and with no
    house or flat number ("Café on Briggate"). Anything else, or not known, is AT_HOME, whose list
    holds every risk of the community's too: a wrong guess shows more, never less."""

    def norm(value: str) -> str:
        return " ".join("".join(ch for ch in value.lower() if ch.isalnum() or ch.isspace()).split())

    where, home = norm(place or ""), norm((address or "").splitlines()[0] if address else "")
    if not where or not home or home in where or where in home or any(ch.isdigit() for ch in where):
        return AT_HOME
    return IN_COMMUNITY


def briefing_acknowledged(db: Database, visit_id: str) -> bool:
    found = db.scalar(
        "SELECT 1 FROM audit_events WHERE target_id = ? AND action = 'view' AND reason = ? LIMIT 1",
        (visit_id, BRIEFING_ACKNOWLEDGED),
    )
    return found is not None


def briefing(db: Database, visit_id: str) -> Briefing | None:
    """What the worker must read before walking in (see ``Briefing``)."""
    visit = get(db, visit_id)
    if visit is None:
        return None
    client = clients.get(db, visit["client_id"]) or {}
    place = visit_place(visit.get("place"), client.get("address"))
    risks = risk.active_for_client(db, visit["client_id"], categories=risks_for_place(place))
    return Briefing(visit, client, risks, latest_incident(db, visit["client_id"]), place)


def latest_incident(db: Database, client_id: str) -> Record | None:
    """The latest incident: the most recent current contact that raised a safeguarding concern or
    whose note mentions an incident; failing that, the most recently raised active high-severity
    risk flag. Returned as {when, what, source}."""
    row = db.one(
        f"""
        SELECT c.* FROM contacts c
        WHERE c.client_id = ? AND (c.safeguarding_raised = 1 OR c.narrative LIKE '%incident%')
          AND {entries.visible("c", "contacts")}
        ORDER BY c.occurred_at DESC LIMIT 1
        """,
        (client_id,),
    )
    if row is not None:
        contact = codec.decode_row(CONTACT, row)
        return {"when": contact["occurred_at"], "what": contact["narrative"], "source": "contact"}
    flag = db.one(
        "SELECT * FROM risk_flags WHERE client_id = ? AND status = 'active' AND severity = 'high' "
        "AND deleted = 0 ORDER BY raised_on DESC, updated_at DESC LIMIT 1",
        (client_id,),
    )
    if flag is None:
        return None
    return {"when": flag["raised_on"], "what": flag["description"], "source": "risk_flag"}


def get(db: Database, visit_id: str) -> Record | None:
    record = records.get(db, KIND, visit_id)
    return None if record is None else _derive(record, timeutil.now_text())


def for_worker(db: Database, worker_id: str, start: str, end: str, *, now: str | None = None) -> list[Record]:
    """A worker's visits planned in [start, end), in time order (the Today screen)."""
    rows = db.query(
        "SELECT * FROM visits WHERE worker_id = ? AND planned_start >= ? AND planned_start < ? "
        "AND deleted = 0 ORDER BY planned_start",
        (worker_id, start, end),
    )
    return _decoded(rows, now)


def for_client(db: Database, client_id: str, *, now: str | None = None) -> list[Record]:
    rows = db.query(
        "SELECT * FROM visits WHERE client_id = ? AND deleted = 0 ORDER BY planned_start DESC", (client_id,)
    )
    return _decoded(rows, now)


def open_visits(db: Database, *, now: str | None = None, team_id: str | None = None) -> list[Record]:
    """Visits started (or due to) and not checked out, overdue first: what on-call watches.
    Planned visits: those due within ``OPEN_VISIT_WINDOW`` before now (an index range on
    planned_start). Visits in progress, overdue or escalated: all of them, however long ago they
    were planned and even if planned for later (checked in early): a visit must never drop off
    the on-call list while nobody has checked out."""
    now = now or timeutil.now_text()
    since = timeutil.to_text(timeutil.parse(now) - OPEN_VISIT_WINDOW)
    team = " AND c.team_id = ?" if team_id else ""
    team_args = [team_id] if team_id else []
    select = (
        "SELECT v.*, c.given_name, c.family_name FROM visits v LEFT JOIN clients c ON c.id = v.client_id "
        "WHERE v.deleted = 0 AND v.checked_out_at IS NULL"
    )
    started = ", ".join("?" * len(STARTED_STATUSES))
    rows = db.query(
        f"{select} AND v.status = 'planned' AND v.planned_start >= ? AND v.planned_start <= ?{team} "
        f"UNION ALL {select} AND v.status IN ({started}){team} ORDER BY planned_start",
        (since, now, *team_args, *STARTED_STATUSES, *team_args),
    )
    visits = _decoded(rows, now)
    return sorted(visits, key=lambda v: (not v["overdue"], v["planned_start"]))


def in_progress_for(db: Database, worker_id: str, *, now: str | None = None) -> list[Record]:
    """A worker's visits checked in and not out (the banner and the end-of-visit warnings), each
    with `client` ("Family, Given"), however long ago they were planned (an index on worker_id)."""
    rows = db.query(
        "SELECT v.*, c.given_name, c.family_name FROM visits v LEFT JOIN clients c ON c.id = v.client_id "
        "WHERE v.worker_id = ? AND v.deleted = 0 AND v.checked_in_at IS NOT NULL "
        "AND v.checked_out_at IS NULL ORDER BY v.planned_start",
        (worker_id,),
    )
    found = _decoded(rows, now)
    for visit in found:
        visit["client"] = f"{visit.pop('family_name', '')}, {visit.pop('given_name', '')}"
    return found


def _decoded(rows: list[Record], now: str | None) -> list[Record]:
    now = now or timeutil.now_text()
    return [_derive(codec.decode_row(VISIT, r), now) for r in rows]


def expected_end(visit: Mapping[str, Any]) -> str:
    """When the visit should be over: checked in + expected duration once checked in (a late or
    early start moves it), else planned start + expected duration."""
    start = visit.get("checked_in_at") or visit["planned_start"]
    return timeutil.to_text(timeutil.parse(start) + timedelta(minutes=visit.get("expected_minutes") or 0))


def _derive(visit: Record, now: str) -> Record:
    visit["due_out_at"] = expected_end(visit)
    open_ = visit.get("status") in OPEN_STATUSES and not visit.get("checked_out_at")
    visit["overdue"] = bool(open_ and visit["due_out_at"] < now)
    return visit
