"""Applying a pushed batch: check the device, the user's right over each record, validate, apply
idempotently by operation id, give each change its place in the feed, answer per operation."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import hlc, timeutil
from navigator_core.fields import is_uuid, new_id
from navigator_core.kinds import KINDS
from navigator_core.ops import Operation, OpType, WireError
from navigator_core.policy import ALLOCATION_FIELDS, OUT_OF_SCOPE, ClientFacts, RecordFacts, write_refusal
from navigator_server import store
from navigator_server.accounts import Principal
from navigator_server.db import storable_text
from navigator_server.feed import FeedWriter
from navigator_server.merge import merge_changes, merge_delete
from navigator_server.schema import applied_ops, conflicts, records

log = logging.getLogger("navigator_server.push")

APPLIED, ALREADY, CONFLICT, REJECTED = "applied", "already_applied", "conflict_recorded", "rejected"
# Changing these on a client changes who may see every record about them.
_SCOPE_FIELDS = ALLOCATION_FIELDS | {"status", "team_id"}


class OpRefusedError(Exception):
    """An operation that is answered ``rejected``; the message names no record content."""


@dataclass
class OpResult:
    index: int
    op_id: str | None
    status: str
    reason: str | None = None
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


def push(conn: Connection, who: Principal, raw_ops: list[Any], *, max_drift: timedelta) -> list[OpResult]:
    """Apply a batch in the caller's transaction. Takes the feed lock first (see feed.py)."""
    writer = FeedWriter(conn)
    results = [_apply(conn, writer, who, i, raw, max_drift) for i, raw in enumerate(raw_ops)]
    writer.close()
    counts = Counter(r.status for r in results)
    log.info(
        "push device=%s ops=%d %s",
        who.device_id,
        len(results),
        " ".join(f"{k}={v}" for k, v in sorted(counts.items())),
    )
    return results


def _apply(
    conn: Connection, writer: FeedWriter, who: Principal, index: int, raw: Any, max_drift: timedelta
) -> OpResult:
    given = raw.get("op_id") if isinstance(raw, dict) else None
    op_id = given if is_uuid(given) else None
    if not _plain_json(raw):
        reason = "numbers must be finite, text free of NUL characters, and nesting at most 20 deep"
        return OpResult(index, op_id, REJECTED, reason)
    try:
        op = Operation.from_wire(raw)
    except WireError as exc:
        return OpResult(index, op_id, REJECTED, str(exc)[:300])
    try:
        _check_origin(op, who, max_drift)
        done = conn.execute(sa.select(applied_ops.c.seq).where(applied_ops.c.op_id == op.op_id)).first()
        if done is not None:
            return OpResult(index, op.op_id, ALREADY, seq=done.seq)
        before = store.load(conn, op.record_id)
        if op.op is OpType.APPEND:
            status, seq = _append(conn, writer, who, op, before)
        else:
            status, seq = _merge(conn, writer, who, op, before)
    except OpRefusedError as exc:
        return OpResult(index, op.op_id, REJECTED, str(exc))
    conn.execute(
        applied_ops.insert().values(
            op_id=op.op_id,
            kind=op.kind,
            record_id=op.record_id,
            user_id=who.user_id,
            device_id=who.device_id,
            result=status,
            seq=seq,
            applied_at=timeutil.now_text(),
        )
    )
    return OpResult(index, op.op_id, status, seq=seq)


def _plain_json(value: Any, depth: int = 0) -> bool:
    """No NaN or infinity (Python's JSON reader lets them in; PostgreSQL's jsonb refuses them), no
    text the databases cannot store, and no pathological nesting."""
    if depth > 20:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return all(storable_text(str(k)) and _plain_json(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(v, depth + 1) for v in value)
    return True


def _check_origin(op: Operation, who: Principal, max_drift: timedelta) -> None:
    if op.device_id != who.device_id:
        raise OpRefusedError("device_id must be this device's id, as given at enrolment")
    if op.author_id != who.user_id:
        raise OpRefusedError("author_id must be the signed-in user")
    limit = int((timeutil.utcnow() + max_drift).timestamp() * 1000)
    for stamp in [op.stamp, *(c.stamp for c in op.changes.values())]:
        if hlc.Stamp.parse(stamp).wall_ms > limit:
            raise OpRefusedError("a clock stamp is too far in the future; check this laptop's clock")


def _client_of(conn: Connection, client_id: object) -> ClientFacts:
    if not isinstance(client_id, str):
        raise OpRefusedError(OUT_OF_SCOPE)
    client = store.client_facts_of(store.load(conn, client_id))
    if client is None:
        raise OpRefusedError("the client is unknown or outside your scope")
    return client


def _place(
    conn: Connection, who: Principal, kind: str, values: dict[str, Any], before: store.Stored | None
) -> tuple[str, ClientFacts | None]:
    """The team and client a record belongs to: from the stored record if there is one."""
    spec = KINDS[kind]
    if kind == "client":
        if before is not None:
            return before.team_id, store.client_facts_of(before)
        return str(values.get("team_id") or ""), None
    if before is not None:
        client = store.client_facts_of(store.load(conn, before.client_id)) if before.client_id else None
        return before.team_id, client
    client_id = values.get(spec.client_field) if spec.client_field else None
    if client_id is not None:
        client = _client_of(conn, client_id)
        if "team_id" in spec.by_name and values.get("team_id") != client.team_id:
            raise OpRefusedError("team_id must be the client's team")
        return client.team_id, client
    if "team_id" in spec.by_name:
        return str(values.get("team_id") or ""), None
    return who.team_id, None


def _after_facts(
    kind: str, team_id: str, client: ClientFacts | None, values: dict[str, Any], author: str
) -> RecordFacts:
    return RecordFacts(kind, team_id, client, values, author)


def _append(
    conn: Connection, writer: FeedWriter, who: Principal, op: Operation, before: store.Stored | None
) -> tuple[str, int | None]:
    if before is not None:
        raise OpRefusedError("an entry with this id exists already; entries are never edited in place")
    values = {k: v for k, v in op.entry.items() if k not in ("amends_id", "amend_reason")}
    team_id, client = _place(conn, who, op.kind, values, None)
    refusal = write_refusal(who.actor, op, None, _after_facts(op.kind, team_id, client, values, who.user_id))
    if refusal:
        raise OpRefusedError(refusal)
    _check_references(conn, op, team_id, client)
    client_id = client.id if client else None
    seq = writer.append(op.kind, op.record_id, team_id, client_id, op.op_id)
    meta = {
        "author_id": op.author_id,
        "device_id": op.device_id,
        "recorded_at": op.recorded_at,
        "amends_id": op.entry.get("amends_id"),
        "amend_reason": op.entry.get("amend_reason"),
    }
    conn.execute(
        records.insert().values(
            id=op.record_id,
            kind=op.kind,
            team_id=team_id,
            client_id=client_id,
            data=values,
            field_stamps={},
            meta=meta,
            deleted=False,
            created_seq=seq,
            updated_seq=seq,
        )
    )
    return APPLIED, seq


def _check_references(conn: Connection, op: Operation, team_id: str, client: ClientFacts | None) -> None:
    """Amendments, error marks and acknowledgements must point at a record in the same place."""
    client_id = client.id if client else None
    target_id, same_kind = op.entry.get("amends_id"), True
    if op.kind == "entered_in_error":
        target_id, same_kind = op.entry["target_id"], False
    elif op.kind == "acknowledgement":
        target_id, same_kind = op.entry["note_id"], False
    if target_id is None:
        return
    target = store.load(conn, target_id)
    if target is None or target.team_id != team_id:
        raise OpRefusedError("the record this points at is unknown or outside your scope")
    if same_kind and target.kind != op.kind:
        raise OpRefusedError("an amendment must be of the same kind as the entry it corrects")
    if op.kind == "acknowledgement" and target.kind != "handover_note":
        raise OpRefusedError("an acknowledgement must point at a handover note")
    if op.kind == "entered_in_error" and target.kind != op.entry["target_kind"]:
        raise OpRefusedError("target_kind does not match the record it points at")
    if op.kind != "acknowledgement" and target.client_id != client_id and target.kind != "client":
        raise OpRefusedError("client_id must be the client of the record this points at")


def _merge(
    conn: Connection, writer: FeedWriter, who: Principal, op: Operation, before: store.Stored | None
) -> tuple[str, int | None]:
    if before is None and op.op is not OpType.CREATE:
        raise OpRefusedError("no such record, or it is outside your scope")
    incoming = {name: change.value for name, change in op.changes.items()}
    values = {**(before.data if before else {}), **incoming}
    team_id, client = _place(conn, who, op.kind, values, before)
    if op.kind != "client" and client is not None:
        spec = KINDS[op.kind]
        if spec.client_field in incoming and incoming[spec.client_field] != client.id:
            raise OpRefusedError("a record cannot move to another client")
    if op.kind == "client" and before is None:
        client = ClientFacts.from_values(op.record_id, values)
    before_facts = before.facts(client) if before else None
    refusal = write_refusal(
        who.actor, op, before_facts, _after_facts(op.kind, team_id, client, values, who.user_id)
    )
    if refusal:
        raise OpRefusedError(refusal)
    data, stamps = (dict(before.data), dict(before.field_stamps)) if before else ({}, {})
    found: list[Any] = []
    changed: list[str] = []
    deleted = before.deleted if before else False
    if op.op is OpType.DELETE:
        stamps, took = merge_delete(stamps, op.stamp)
        deleted = deleted or took
        changed = ["deleted"] if took else []
    else:
        merged = merge_changes(data, stamps, op.changes)
        data, stamps, changed, found = merged.data, merged.stamps, merged.changed, merged.conflicts
    client_id = op.record_id if op.kind == "client" else (client.id if client else None)
    seq = writer.append(op.kind, op.record_id, team_id, client_id, op.op_id) if changed or found else None
    now = timeutil.now_text()
    if before is None:
        assert seq is not None
        meta = {
            "created_by": op.author_id,
            "created_at": op.recorded_at,
            "updated_by": op.author_id,
            "updated_at": op.recorded_at,
        }
        conn.execute(
            records.insert().values(
                id=op.record_id,
                kind=op.kind,
                team_id=team_id,
                client_id=client_id,
                data=data,
                field_stamps=stamps,
                meta=meta,
                deleted=deleted,
                created_seq=seq,
                updated_seq=seq,
            )
        )
    elif seq is not None:
        meta = {**before.meta, "updated_by": op.author_id, "updated_at": op.recorded_at}
        conn.execute(
            records.update()
            .where(records.c.id == op.record_id)
            .values(data=data, field_stamps=stamps, meta=meta, deleted=deleted, updated_seq=seq)
        )
    for conflict in found:
        conflict_id = new_id()
        conn.execute(
            conflicts.insert().values(
                id=conflict_id,
                kind=op.kind,
                record_id=op.record_id,
                team_id=team_id,
                client_id=client_id,
                field=conflict.field,
                winner={"value": conflict.winner.value, "stamp": conflict.winner.stamp},
                loser={"value": conflict.loser.value, "stamp": conflict.loser.stamp},
                created_at=now,
            )
        )
        writer.append("conflict", conflict_id, team_id, client_id, op.op_id)
    if op.kind == "client" and before is not None and _SCOPE_FIELDS & set(changed):
        _rescope(conn, writer, op.record_id, team_id)
    return (CONFLICT if found else APPLIED), seq


def _rescope(conn: Connection, writer: FeedWriter, client_id: str, team_id: str) -> None:
    """Who may see this client changed: put every record about them in the feed again, so each
    reader's next pull brings what they may now hold and tells them what to forget."""
    for stored in store.of_client(conn, client_id):
        writer.append(stored.kind, stored.id, stored.team_id, client_id)
    for row in store.conflicts_of_client(conn, client_id):
        writer.append("conflict", row.id, row.team_id, client_id)
