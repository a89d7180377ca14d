"""Applying a pushed batch: check the device, the user's right over each record, validate, apply
idempotently by operation id, give each change its place in the feed, answer per operation."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import hlc, timerules, timeutil
from navigator_core.fields import is_uuid, new_id
from navigator_core.kinds import ATTACHABLE, KINDS, STORE_ESCALATION_STEPS
from navigator_core.ops import Operation, OpType, PushStatus, WireError
from navigator_core.policy import ALLOCATION_FIELDS, OUT_OF_SCOPE, ClientFacts, RecordFacts, write_refusal
from navigator_server import links, overdue, store, versions
from navigator_server.accounts import Principal
from navigator_server.db import one_of, per_engine, rows_for_ids, storable_text
from navigator_server.feed import FeedWriter
from navigator_server.merge import merge_changes, merge_delete
from navigator_server.schema import applied_ops

log = logging.getLogger("navigator_server.push")

APPLIED, ALREADY, CONFLICT, REJECTED = (
    PushStatus.APPLIED,
    PushStatus.ALREADY_APPLIED,
    PushStatus.CONFLICT_RECORDED,
    PushStatus.REJECTED,
)
# Changing these on a client changes who may see every record about them.
_SCOPE_FIELDS = ALLOCATION_FIELDS | {"status", "team_id"}


class OpRefusedError(Exception):
    """An operation that is answered ``rejected``; the message names no record content (and the
    field at fault, when there is one)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class OpResult:
    index: int
    op_id: str | None
    status: PushStatus
    reason: str | None = None
    seq: int | None = None
    field: str | None = None  # the field a rejection is about, when it is about one

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


_APPLIED = per_engine(
    lambda postgres: sa.select(applied_ops.c.op_id, applied_ops.c.seq).where(
        one_of(applied_ops.c.op_id, postgres)
    )
)


class _Batch:
    """One push, or a group of them (push_many sets `who` for each in turn): who pushes, the feed
    writer and the time limits every operation is applied with, and the reads, done together: the
    operations already applied and the records the pushes touch or point at are fetched in a few
    queries up front (under the feed lock, so nothing else writes meanwhile), and kept current as
    they write. The applied_ops rows are written together at the end, in the same transaction."""

    def __init__(self, writer: FeedWriter, who: Principal, limits: timerules.Limits) -> None:
        self.conn, self.writer, self.who, self.limits = writer.conn, writer, who, limits
        self.records: dict[str, store.Stored | None] = {}
        self.applied: dict[str, int | None] = {}
        self._applied_rows: list[dict[str, Any]] = []

    def prefetch(self, ops: list[Operation]) -> None:
        for row in rows_for_ids(self.conn, _APPLIED, {op.op_id for op in ops}):
            self.applied[row.op_id] = row.seq
        wanted = {op.record_id for op in ops}
        for op in ops:
            values = [c.value for c in op.changes.values()] + list(op.entry.values())
            wanted.update(v for v in values if isinstance(v, str) and is_uuid(v))
        self._fetch(wanted)
        # The clients of the records found, for the policy.
        self._fetch({s.client_id for s in self.records.values() if s is not None and s.client_id})

    def _fetch(self, ids: set[str]) -> None:
        ids = {i for i in ids if i not in self.records}
        found = store.load_many(self.conn, ids)
        for record_id in ids:
            self.records[record_id] = found.get(record_id)

    def load(self, record_id: str) -> store.Stored | None:
        if record_id not in self.records:
            self.records[record_id] = store.load(self.conn, record_id)
        return self.records[record_id]

    def forget(self, record_ids: Iterable[str]) -> None:
        """Read these again when next wanted (overdue.after_push may have changed them)."""
        for record_id in record_ids:
            self.records.pop(record_id, None)

    def stored(self, record: store.Stored) -> None:
        """What the batch just wrote for a record."""
        self.records[record.id] = record

    def applied_op(self, row: dict[str, Any]) -> None:
        self.applied[row["op_id"]] = row["seq"]
        self._applied_rows.append(row)

    def flush(self) -> None:
        if self._applied_rows:
            self.conn.execute(applied_ops.insert(), self._applied_rows)
            self._applied_rows = []


def push(conn: Connection, who: Principal, raw_ops: list[Any], *, limits: timerules.Limits) -> list[OpResult]:
    """Apply a batch in the caller's transaction. Takes the feed lock before it reads anything
    (see feed.py); only the parsing, which reads nothing, comes before."""
    return push_many(conn, [(who, raw_ops)], limits=limits)[0]


def push_many(
    conn: Connection, pushes: Sequence[tuple[Principal, list[Any]]], *, limits: timerules.Limits
) -> list[list[OpResult]]:
    """Several pushes (each a caller and its batch) applied one after the other in the caller's
    transaction, under one feed lock: each sees what the ones before it wrote, exactly as if each
    had had a transaction of its own in this order. What they read (operations already applied,
    the records they touch) is fetched once for all of them and kept current as they write; the
    lock, the feed's rows, its counter, the versions and the commit are paid once
    (api/push_queue.py groups the pushes waiting in a process)."""
    parsed_all = [[_parse(i, raw) for i, raw in enumerate(raw_ops)] for _, raw_ops in pushes]  # no data
    writer = FeedWriter(conn, buffered=True)
    batch = _Batch(writer, pushes[0][0], limits)
    batch.prefetch([p for parsed in parsed_all for p in parsed if isinstance(p, Operation)])
    answers: list[list[OpResult]] = []
    kept: list[dict[str, Any]] = []
    for (who, _), parsed in zip(pushes, parsed_all, strict=True):
        batch.who = who
        results = [p if isinstance(p, OpResult) else _apply(batch, i, p) for i, p in enumerate(parsed)]
        kept += versions.rows_after_push(parsed, results, batch.records)  # every version, for subject access
        overdue.after_push(conn, writer, parsed)  # lone working: watch open visits, settle check-outs
        batch.forget(p.record_id for p in parsed if isinstance(p, Operation) and p.kind == "visit")
        counts = Counter(r.status for r in results)
        log.info(
            "push device=%s ops=%d %s",
            who.device_id,
            len(results),
            " ".join(f"{k}={v}" for k, v in sorted(counts.items())),
        )
        answers.append(results)
    batch.flush()
    versions.keep(conn, kept)
    writer.close()
    return answers


def _parse(index: int, raw: Any) -> Operation | OpResult:
    """The operation, or its rejection when it is not well formed (no database needed)."""
    given = raw.get("op_id") if isinstance(raw, dict) else None
    op_id = given if is_uuid(given) else None
    if not _plain_json(raw):
        reason = "numbers must be finite, text free of NUL characters, and nesting at most 20 deep"
        return OpResult(index, op_id, REJECTED, reason)
    try:
        return Operation.from_wire(raw)
    except WireError as exc:
        return OpResult(index, op_id, REJECTED, str(exc)[:300])


def _apply(batch: _Batch, index: int, op: Operation) -> OpResult:
    who = batch.who
    try:
        _check_origin(op, who, batch.limits)
        if op.op_id in batch.applied:
            return OpResult(index, op.op_id, ALREADY, seq=batch.applied[op.op_id])
        before = batch.load(op.record_id)
        if op.op is OpType.APPEND:
            status, seq = _append(batch, op, before)
        else:
            status, seq = _merge(batch, op, before)
    except OpRefusedError as exc:
        return OpResult(index, op.op_id, REJECTED, str(exc), field=exc.field)
    batch.applied_op(
        {
            "op_id": op.op_id,
            "kind": op.kind,
            "record_id": op.record_id,
            "user_id": who.user_id,
            "device_id": who.device_id,
            "result": status,
            "seq": seq,
            "applied_at": timeutil.now_text(),
        }
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


def _check_origin(op: Operation, who: Principal, limits: timerules.Limits) -> None:
    if op.device_id != who.device_id:
        raise OpRefusedError("device_id must be this device's id, as given at enrolment")
    if op.author_id != who.user_id:
        raise OpRefusedError("author_id must be the signed-in user")
    limit = int((timeutil.utcnow() + limits.drift).timestamp() * 1000)
    for stamp in [op.stamp, *(c.stamp for c in op.changes.values())]:
        if hlc.Stamp.parse(stamp).wall_ms > limit:
            raise OpRefusedError("a clock stamp is too far in the future; check this laptop's clock")


def _check_times(
    op: Operation, changed: dict[str, Any], merged: dict[str, Any], limits: timerules.Limits
) -> None:
    """Every time the operation states, against the store's clock and each other (timerules)."""
    found = timerules.problems(op.kind, op.recorded_at, changed, merged, now=timeutil.utcnow(), limits=limits)
    if found:
        raise OpRefusedError(f"{found[0].field} {found[0].message}", field=found[0].field)


def _client_of(batch: _Batch, client_id: object) -> ClientFacts:
    if not isinstance(client_id, str):
        raise OpRefusedError(OUT_OF_SCOPE)
    client = store.client_facts_of(batch.load(client_id))
    if client is None:
        raise OpRefusedError("the client is unknown or outside your scope")
    return client


def _place(
    batch: _Batch, who: Principal, kind: str, values: dict[str, Any], before: store.Stored | None
) -> tuple[str, ClientFacts | None]:
    """The team and client a record belongs to: from the stored record if there is one."""
    spec = KINDS[kind]
    if kind == "client":
        if before is not None:
            return before.team_id, store.client_facts_of(before)
        return str(values.get("team_id") or ""), None
    if before is not None:
        if before.client_id is None and kind in ATTACHABLE and values.get(spec.client_field or ""):
            joined = _client_of(batch, values[spec.client_field or ""])  # attached to a client now
            if joined.team_id != before.team_id:
                raise OpRefusedError("the client must be of the record's team")
            return before.team_id, joined
        client = store.client_facts_of(batch.load(before.client_id)) if before.client_id else None
        return before.team_id, client
    client_id = values.get(spec.client_field) if spec.client_field else None
    if client_id is not None:
        client = _client_of(batch, client_id)
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


def _append(batch: _Batch, op: Operation, before: store.Stored | None) -> tuple[PushStatus, int | None]:
    who, writer = batch.who, batch.writer
    if before is not None:
        raise OpRefusedError("an entry with this id exists already; entries are never edited in place")
    values = {k: v for k, v in op.entry.items() if k not in ("amends_id", "amend_reason")}
    _check_times(op, values, values, batch.limits)
    if op.kind == "visit_escalation" and values.get("step") in STORE_ESCALATION_STEPS:
        raise OpRefusedError("step: this step is written by the central store's alerts only", field="step")
    team_id, client = _place(batch, who, op.kind, values, None)
    refusal = write_refusal(who.actor, op, None, _after_facts(op.kind, team_id, client, values, who.user_id))
    if refusal:
        raise OpRefusedError(refusal)
    _check_references(batch, op, team_id, client)
    client_id = client.id if client else None
    seq = writer.append(op.kind, op.record_id, team_id, client_id, op.op_id)
    meta = {
        "author_id": op.author_id,
        "device_id": op.device_id,
        "recorded_at": op.recorded_at,
        "amends_id": op.entry.get("amends_id"),
        "amend_reason": op.entry.get("amend_reason"),
    }
    stored = store.Stored(op.record_id, op.kind, team_id, client_id, dict(values), {}, dict(meta), False)
    store.insert(batch.conn, stored, seq)
    batch.stored(stored)
    if op.kind == "conflict_resolution":
        store.settle_conflict(batch.conn, values, op.author_id, op.recorded_at)
    return APPLIED, seq


def _check_references(batch: _Batch, op: Operation, team_id: str, client: ClientFacts | None) -> None:
    """Amendments, error marks and acknowledgements must point at a record in the same place."""
    client_id = client.id if client else None
    target_id, same_kind = op.entry.get("amends_id"), True
    if op.kind in ("entered_in_error", "conflict_resolution"):
        target_id, same_kind = op.entry["target_id"], False
    elif op.kind == "acknowledgement":
        target_id, same_kind = op.entry["note_id"], False
    if target_id is None:
        return
    target = batch.load(target_id)
    if target is None or target.team_id != team_id:
        raise OpRefusedError("the record this points at is unknown or outside your scope")
    if same_kind and target.kind != op.kind:
        raise OpRefusedError("an amendment must be of the same kind as the entry it corrects")
    if op.kind == "acknowledgement" and target.kind != "handover_note":
        raise OpRefusedError("an acknowledgement must point at a handover note")
    if op.kind in ("entered_in_error", "conflict_resolution") and target.kind != op.entry["target_kind"]:
        raise OpRefusedError("target_kind does not match the record it points at")
    if op.kind != "acknowledgement" and target.client_id != client_id and target.kind != "client":
        raise OpRefusedError("client_id must be the client of the record this points at")


def _merge(batch: _Batch, op: Operation, before: store.Stored | None) -> tuple[PushStatus, int | None]:
    conn, who, writer = batch.conn, batch.who, batch.writer
    if before is None and op.op is not OpType.CREATE:
        raise OpRefusedError("no such record, or it is outside your scope")
    incoming = {name: change.value for name, change in op.changes.items()}
    values = {**(before.data if before else {}), **incoming}
    _check_times(op, incoming, values, batch.limits)
    team_id, client = _place(batch, who, op.kind, values, before)
    if op.kind != "client" and client is not None:
        spec = KINDS[op.kind]
        if spec.client_field in incoming and incoming[spec.client_field] != client.id:
            raise OpRefusedError("a record cannot move to another client")
    if op.kind == "client" and before is None:
        client = ClientFacts.from_values(op.record_id, values)
    # As stored: a record being attached to a client had none before this operation.
    before_facts = before.facts(client if before.client_id else None) if before else None
    refusal = write_refusal(
        who.actor, op, before_facts, _after_facts(op.kind, team_id, client, values, who.user_id)
    )
    if refusal:
        raise OpRefusedError(refusal)
    problem = links.refusal(batch.load, op.kind, incoming, values, team_id)
    if problem:
        raise OpRefusedError(problem)
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
        created = store.Stored(op.record_id, op.kind, team_id, client_id, data, stamps, meta, deleted)
        store.insert(conn, created, seq)
        batch.stored(created)
    elif seq is not None:
        meta = {**before.meta, "updated_by": op.author_id, "updated_at": op.recorded_at}
        updated = store.Stored(before.id, before.kind, before.team_id, client_id, data, stamps, meta, deleted)
        store.update(conn, updated, seq)
        batch.stored(updated)
    authors = store.stamp_authors(conn, [c.loser.stamp for c in found] + [c.winner.stamp for c in found])
    authors[op.stamp] = op.author_id  # the incoming side is this operation's
    for change in op.changes.values():
        authors[change.stamp] = op.author_id
    for conflict in found:
        conflict_id = new_id()
        store.insert_conflict(
            conn,
            {
                "id": conflict_id,
                "kind": op.kind,
                "record_id": op.record_id,
                "team_id": team_id,
                "client_id": client_id,
                "field": conflict.field,
                "winner": _side(conflict.winner, authors),
                "loser": _side(conflict.loser, authors),
                "created_at": now,
            },
        )
        writer.append("conflict", conflict_id, team_id, client_id, op.op_id)
    if op.kind == "client" and before is not None and _SCOPE_FIELDS & set(changed):
        _rescope(conn, writer, op.record_id, team_id)
    return (CONFLICT if found else APPLIED), seq


def _side(version: Any, authors: dict[str, str]) -> dict[str, Any]:
    """One side of a conflict: its value, stamp and (where known) the user who wrote it."""
    side = {"value": version.value, "stamp": version.stamp}
    if authors.get(version.stamp):
        side["author"] = authors[version.stamp]
    return side


def _rescope(conn: Connection, writer: FeedWriter, client_id: str, team_id: str) -> None:
    """Who may see this client changed: put every record about them in the feed again, so each
    reader's next pull brings what they may now hold and tells them what to forget."""
    for stored in store.of_client(conn, client_id):
        store.announce_again(conn, writer, stored)
    for row in store.conflicts_of_client(conn, client_id):
        writer.append("conflict", row.id, row.team_id, client_id)
