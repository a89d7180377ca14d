"""Every version of every record (the ``record_versions`` table), for subject access requests.

push.py takes ``rows_after_push`` for each batch and ``keep``s them in the push's own transaction
(a group of pushes together): one row per operation
applied (or applied with a conflict recorded), with the operation's field changes (each value and
its clock stamp) or the entry's values, who made it, when, and from which device. A replayed
operation changes nothing and writes nothing here; a rejected one neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.ops import Operation, OpType, PushStatus
from navigator_server.schema import record_versions

WRITTEN = frozenset({PushStatus.APPLIED, PushStatus.CONFLICT_RECORDED})


def _changes(op: Operation) -> dict[str, Any]:
    if op.op is OpType.APPEND:
        return dict(op.entry)
    return {name: {"value": c.value, "stamp": c.stamp, "base": c.base} for name, c in op.changes.items()}


def keep(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Store version rows (rows_after_push's, for one push or several) in the caller's transaction."""
    if rows:
        conn.execute(record_versions.insert(), rows)


def rows_after_push(
    parsed: Sequence[Any], results: Sequence[Any], stored: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """A version row for each operation of a push that was applied. `parsed` and `results` are
    push.py's lists (same order); `stored` maps record id -> the record as the push left it (its
    team and client). push_many keeps a group's rows together (keep)."""
    now = timeutil.now_text()
    rows = []
    for op, result in zip(parsed, results, strict=True):
        if not isinstance(op, Operation) or result.status not in WRITTEN:
            continue
        record = stored.get(op.record_id)
        if record is None:
            continue
        rows.append({
            "record_id": op.record_id, "kind": op.kind, "team_id": record.team_id,
            "client_id": record.client_id, "seq": result.seq, "op_id": op.op_id, "op": op.op.value,
            "result": result.status, "author_id": op.author_id, "device_id": op.device_id,
            "recorded_at": op.recorded_at, "applied_at": now, "changes": _changes(op),
        })  # fmt: skip
    return rows


def plain(row: Any) -> dict[str, Any]:
    """A result row as a dict with plain text keys (a JSON writer refuses SQLAlchemy's names)."""
    return {str(k): v for k, v in row._mapping.items()}


def of_records(conn: Connection, record_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Every version of these records, oldest first per record."""
    found: list[dict[str, Any]] = []
    wanted = sorted(set(record_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = sa.select(record_versions).where(record_versions.c.record_id.in_(chunk))
        found += [plain(r) for r in conn.execute(query)]
    found.sort(key=lambda r: (r["record_id"], r["id"]))
    return found
