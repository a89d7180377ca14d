"""Visits: lone-working sessions, planned, checked in and out, escalated when they run over.

A visit is *overdue* when it has not been checked out by its planned start plus its expected
duration. Open visits are looked for within ``OPEN_VISIT_WINDOW`` of now, so the query stays an
index range however many visits the team has made.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import VISIT
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = VISIT.name
OPEN_VISIT_WINDOW = timedelta(days=2)
OPEN_STATUSES = ("planned", "in_progress", "overdue", "escalated")


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


def cancel(db: Database, actor: Actor, visit_id: str) -> WriteResult:
    return update(db, actor, visit_id, {"status": "cancelled"})


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
    """Visits started (or due to) and not checked out, overdue first: what on-call watches."""
    now = now or timeutil.now_text()
    since = timeutil.to_text(timeutil.parse(now) - OPEN_VISIT_WINDOW)
    team = " AND c.team_id = ?" if team_id else ""
    rows = db.query(
        "SELECT v.*, c.given_name, c.family_name FROM visits v LEFT JOIN clients c ON c.id = v.client_id "
        f"WHERE v.planned_start >= ? AND v.planned_start <= ? AND v.deleted = 0 AND v.checked_out_at IS NULL "
        f"AND v.status IN ({', '.join('?' * len(OPEN_STATUSES))}){team} ORDER BY v.planned_start",
        (since, now, *OPEN_STATUSES, *([team_id] if team_id else [])),
    )
    visits = _decoded(rows, now)
    return sorted(visits, key=lambda v: (not v["overdue"], v["planned_start"]))


def _decoded(rows: list[Record], now: str | None) -> list[Record]:
    now = now or timeutil.now_text()
    return [_derive(codec.decode_row(VISIT, r), now) for r in rows]


def _derive(visit: Record, now: str) -> Record:
    due = timeutil.parse(visit["planned_start"]) + timedelta(minutes=visit.get("expected_minutes") or 0)
    visit["due_out_at"] = timeutil.to_text(due)
    open_ = visit.get("status") in OPEN_STATUSES and not visit.get("checked_out_at")
    visit["overdue"] = bool(open_ and visit["due_out_at"] < now)
    return visit
