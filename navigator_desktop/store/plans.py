"""Support plans: goals in the client's own words (mutable) and outcomes achieved (append-only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import OUTCOME, SUPPORT_GOAL
from navigator_desktop.store import codec, entries, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
CLOSED_GOAL_STATUSES = ("achieved", "stopped")


def add_goal(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    return records.create(db, actor, SUPPORT_GOAL.name, {"status": "not_started", **values})


def update_goal(db: Database, actor: Actor, goal_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, SUPPORT_GOAL.name, goal_id, values)


def delete_goal(db: Database, actor: Actor, goal_id: str) -> WriteResult:
    return records.delete(db, actor, SUPPORT_GOAL.name, goal_id)


def goals_for_client(db: Database, client_id: str, *, include_closed: bool = True) -> list[Record]:
    """A client's goals by pathway; open goals first."""
    closed = "" if include_closed else f" AND status NOT IN ({', '.join('?' * len(CLOSED_GOAL_STATUSES))})"
    params = [client_id, *([] if include_closed else CLOSED_GOAL_STATUSES)]
    rows = db.query(
        f"SELECT * FROM support_goals WHERE client_id = ? AND deleted = 0{closed} "
        "ORDER BY status IN ('achieved', 'stopped'), pathway, target_date",
        params,
    )
    return [codec.decode_row(SUPPORT_GOAL, r) for r in rows]


def goals_due_for_review(
    db: Database, *, today: str | None = None, client_ids: list[str] | None = None
) -> list[Record]:
    """Open goals whose review date is today or past."""
    today = today or timeutil.now_text()[:10]
    rows = db.query(
        "SELECT * FROM support_goals WHERE deleted = 0 AND review_date <= ? "
        "AND status NOT IN ('achieved', 'stopped') ORDER BY review_date",
        (today,),
    )
    goals = [codec.decode_row(SUPPORT_GOAL, r) for r in rows]
    return goals if client_ids is None else [g for g in goals if g["client_id"] in set(client_ids)]


def record_outcome(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    return records.append(db, actor, OUTCOME.name, values)


def amend_outcome(
    db: Database, actor: Actor, outcome_id: str, values: Mapping[str, Any], reason: str
) -> WriteResult:
    return records.amend(db, actor, OUTCOME.name, outcome_id, values, reason)


def mark_outcome_entered_in_error(db: Database, actor: Actor, outcome_id: str, reason: str) -> WriteResult:
    return records.mark_entered_in_error(db, actor, OUTCOME.name, outcome_id, reason)


def outcomes_for_client(db: Database, client_id: str) -> list[Record]:
    """A client's current outcomes, most recent first."""
    rows = db.query(
        f"SELECT o.* FROM outcomes o WHERE o.client_id = ? AND {entries.visible('o', 'outcomes')} "
        "ORDER BY o.achieved_on DESC",
        (client_id,),
    )
    return [codec.decode_row(OUTCOME, r) for r in rows]
