"""Risk flags: raised, reviewed, resolved, and their full history.

A flag is a mutable record, so concurrent edits merge field by field; its history comes from
``revisions`` (every change, with old and new values, who and when). A review sets the next
review date and may change severity or plan; its note is kept on the revision and on the audit
event, which syncs, so the team sees why the flag was kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from navigator_core import timeutil
from navigator_core.fields import FieldError, ValidationError
from navigator_core.kinds import RISK_FLAG
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = RISK_FLAG.name
_BY_SEVERITY = (
    "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END DESC, category"
)


@dataclass(frozen=True)
class Revision:
    stamp: str
    action: str  # create, update, delete
    author_id: str
    device_id: str | None
    recorded_at: str
    changes: dict[str, dict[str, Any]]  # field -> {"old": ..., "new": ...}
    note: str | None


def raise_flag(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    """A new active flag; who raised it and when default to the writer and today."""
    filled = {"status": "active", "raised_by": actor.user_id, "raised_on": actor.now_text()[:10], **values}
    return records.create(db, actor, KIND, filled)


def update(db: Database, actor: Actor, flag_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, KIND, flag_id, values)


def review(
    db: Database,
    actor: Actor,
    flag_id: str,
    *,
    review_date: str,
    note: str,
    severity: str | None = None,
    management_plan: str | None = None,
) -> WriteResult:
    """The flag was looked at and stays active until `review_date` (which must be after today).
    The note is kept with the change. A review that changes nothing at all writes nothing."""
    if not note or not note.strip():
        raise ValidationError(KIND, [FieldError("note", "Say what the review found.")])
    if review_date <= actor.now_text()[:10]:
        raise ValidationError(KIND, [FieldError("review_date", "The next review must be after today.")])
    values: dict[str, Any] = {"review_date": review_date}
    if severity is not None:
        values["severity"] = severity
    if management_plan is not None:
        values["management_plan"] = management_plan
    return records.update(db, actor, KIND, flag_id, values, reason=note)


def resolve(db: Database, actor: Actor, flag_id: str, reason: str) -> WriteResult:
    return records.update(
        db, actor, KIND, flag_id, {"status": "resolved", "resolved_reason": reason}, reason=reason
    )


def get(db: Database, flag_id: str) -> Record | None:
    return records.get(db, KIND, flag_id)


def active_for_client(
    db: Database, client_id: str, *, categories: Sequence[str] | None = None
) -> list[Record]:
    """The client's active flags, most severe first (the risk banner); only of `categories` if given."""
    extra = ""
    params: list[Any] = [client_id]
    if categories is not None:
        extra = f" AND category IN ({', '.join('?' * len(categories))})" if categories else " AND 0"
        params += list(categories)
    rows = db.query(
        f"SELECT * FROM risk_flags WHERE client_id = ? AND status = 'active' AND deleted = 0{extra} "
        f"ORDER BY {_BY_SEVERITY}",
        params,
    )
    return [codec.decode_row(RISK_FLAG, r) for r in rows]


def for_client(db: Database, client_id: str) -> list[Record]:
    """Active and resolved flags (the risk tab): active first, then most severe."""
    rows = db.query(
        "SELECT * FROM risk_flags WHERE client_id = ? AND deleted = 0 "
        f"ORDER BY status = 'resolved', {_BY_SEVERITY}",
        (client_id,),
    )
    return [codec.decode_row(RISK_FLAG, r) for r in rows]


def history(db: Database, flag_id: str) -> list[Revision]:
    """Every change to a flag, oldest first."""
    rows = db.query(
        "SELECT stamp, action, author_id, device_id, recorded_at, changes, note FROM revisions "
        "WHERE record_id = ? AND kind = ? ORDER BY id",
        (flag_id, KIND),
    )
    return [
        Revision(
            r["stamp"],
            r["action"],
            r["author_id"],
            r["device_id"],
            r["recorded_at"],
            codec.loads(r["changes"]),
            r["note"],
        )
        for r in rows
    ]


def overdue_reviews(db: Database, *, today: str | None = None, team_id: str | None = None) -> list[Record]:
    """Active flags whose review date has passed, oldest due first, with the client's name."""
    today = today or timeutil.now_text()[:10]
    team = " AND c.team_id = ?" if team_id else ""
    params: list[Any] = [today, *([team_id] if team_id else [])]
    rows = db.query(
        "SELECT r.*, c.given_name, c.family_name, c.preferred_name FROM risk_flags r "
        "JOIN clients c ON c.id = r.client_id AND c.deleted = 0 "
        f"WHERE r.status = 'active' AND r.deleted = 0 AND r.review_date < ?{team} "
        "ORDER BY r.review_date, r.client_id",
        params,
    )
    return [codec.decode_row(RISK_FLAG, r) for r in rows]
