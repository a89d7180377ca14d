"""The audit trail: who looked at or changed what, when, from which device, and why.

Changes are audited by the write engine in the same transaction as the change. Views, exports and
break-glass looks are recorded here. Audit events are append-only entries and sync like any other.
"""

from __future__ import annotations

from typing import Any

from navigator_core.fields import FieldError, ValidationError
from navigator_core.kinds import AUDIT_EVENT, CLIENT
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]


def record_view(db: Database, actor: Actor, client_id: str, reason: str | None = None) -> WriteResult:
    """Someone opened a client's record."""
    return _record(db, actor, "view", client_id, reason)


def record_break_glass(db: Database, actor: Actor, client_id: str, reason: str) -> WriteResult:
    """A look at a client outside one's caseload: allowed only with a stated reason."""
    if not reason or not reason.strip():
        raise ValidationError(
            AUDIT_EVENT.name, [FieldError("reason", "Say why you need to see this record.")]
        )
    return _record(db, actor, "break_glass", client_id, reason)


def record_export(db: Database, actor: Actor, client_id: str, reason: str | None = None) -> WriteResult:
    return _record(db, actor, "export", client_id, reason)


def _record(db: Database, actor: Actor, action: str, client_id: str, reason: str | None) -> WriteResult:
    with db.transaction():
        change = records.write_audit(db, actor, action, CLIENT.name, client_id, client_id, reason=reason)
    return WriteResult(change.record_id, [change])


def for_client(db: Database, client_id: str, *, limit: int | None = None) -> list[Record]:
    """Audit events about a client, newest first."""
    rows = db.query(
        "SELECT * FROM audit_events WHERE client_id = ? ORDER BY recorded_at DESC, id LIMIT ?",
        (client_id, -1 if limit is None else limit),
    )
    return [codec.decode_row(AUDIT_EVENT, r) for r in rows]
