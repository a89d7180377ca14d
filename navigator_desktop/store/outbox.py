"""Operations written on this laptop and waiting for the central store to acknowledge them.

An outbox row is written in the same transaction as the record it describes, so a record is
never saved without its operation, nor an operation sent for a record that was rolled back.
Rows stay (marked acknowledged) until purged, so the sync indicator can say what was sent when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from navigator_core.ops import Operation
from navigator_desktop.store.db import Database

# How the central store answered an operation (DESIGN.md, "How a change travels").
APPLIED = "applied"
ALREADY_APPLIED = "already_applied"
CONFLICT = "conflict"
REJECTED = "rejected"


@dataclass(frozen=True)
class PendingOp:
    seq: int
    op_id: str
    kind: str
    record_id: str
    wire: dict[str, Any]  # Operation.to_wire(), as it goes on the wire
    created_at: str
    sent_at: str | None


def enqueue(db: Database, op: Operation, created_at: str) -> None:
    db.execute(
        "INSERT INTO outbox (op_id, kind, record_id, op_json, created_at) VALUES (?, ?, ?, ?, ?)",
        (op.op_id, op.kind, op.record_id, orjson.dumps(op.to_wire()).decode(), created_at),
    )


def pending(db: Database, limit: int | None = None) -> list[PendingOp]:
    """Operations not yet acknowledged, oldest first (the order they must be sent in)."""
    rows = db.query(
        "SELECT seq, op_id, kind, record_id, op_json, created_at, sent_at FROM outbox "
        "WHERE acked_at IS NULL ORDER BY seq LIMIT ?",
        (-1 if limit is None else limit,),
    )
    return [
        PendingOp(
            r["seq"],
            r["op_id"],
            r["kind"],
            r["record_id"],
            orjson.loads(r["op_json"]),
            r["created_at"],
            r["sent_at"],
        )
        for r in rows
    ]


def pending_count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM outbox WHERE acked_at IS NULL"))


def refused_count(db: Database) -> int:
    """Operations the central store rejected: kept, with their reason, for a person to act on."""
    return int(db.scalar("SELECT count(*) FROM outbox WHERE result = ?", (REJECTED,)))


# Operations whose change is not settled with the central store: not yet answered, or refused.
# A pull must not overwrite their fields, nor delete their record when it leaves scope.
UNSETTLED = f"(acked_at IS NULL OR result = '{REJECTED}')"


def mark_sent(db: Database, op_ids: Iterable[str], at: str) -> None:
    db.executemany("UPDATE outbox SET sent_at = ? WHERE op_id = ?", [(at, op_id) for op_id in op_ids])


def mark_acknowledged(
    db: Database, op_id: str, at: str, result: str = APPLIED, error: str | None = None
) -> bool:
    """Record the central store's answer; False if the operation is unknown or already acknowledged."""
    changed = db.execute(
        "UPDATE outbox SET acked_at = ?, result = ?, error = ? WHERE op_id = ? AND acked_at IS NULL",
        (at, result, error, op_id),
    )
    return changed > 0


def has_pending_for(db: Database, record_id: str) -> bool:
    """Whether a change to this record is still waiting to be sent (the sync apply must not mark
    such a record as cleanly synced)."""
    return (
        db.scalar("SELECT 1 FROM outbox WHERE record_id = ? AND acked_at IS NULL LIMIT 1", (record_id,))
        is not None
    )


def purge_acknowledged(db: Database, before: str) -> int:
    """Forget operations acknowledged before `before`; the number removed."""
    return db.execute("DELETE FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ?", (before,))


def rehome(db: Database, device_id: str) -> None:
    """The central store gave this laptop another device id at enrolment: operations still waiting
    must carry it to be accepted."""
    for row in db.query("SELECT op_id, op_json FROM outbox WHERE acked_at IS NULL"):
        op = orjson.loads(row["op_json"])
        op["device_id"] = device_id
        db.execute("UPDATE outbox SET op_json = ? WHERE op_id = ?", (orjson.dumps(op).decode(), row["op_id"]))
