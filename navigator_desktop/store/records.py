"""The write engine every record kind goes through.

Each write runs in ONE transaction holding: the record row, its audit event (itself an
append-only entry, itself queued for sync), and an outbox entry with the sync operation
(``navigator_core.ops.Operation.to_wire()``). If any of them fails, none is kept.

Mutable kinds change field by field: only fields whose value really changes get a new clock
stamp, and the operation carries the stamp each replaced (``base``) so the merge can tell a
concurrent edit from a later one. Each change is also kept in ``revisions`` for history.

Append-only kinds are never edited: ``amend`` writes a new entry pointing at the one it corrects;
``mark_entered_in_error`` writes an ``entered_in_error`` entry naming it. Both leave the original
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from navigator_core.fields import FieldError, KindSpec, ValidationError, new_id
from navigator_core.kinds import AMENDABLE, AUDIT_EVENT, ENTERED_IN_ERROR
from navigator_core.kinds import kind as kind_spec
from navigator_core.ops import FieldChange, Operation, OpType
from navigator_desktop.store import codec, outbox
from navigator_desktop.store.changes import Action, Change, WriteResult
from navigator_desktop.store.context import Actor, next_stamp
from navigator_desktop.store.db import Database

Record = dict[str, Any]


class RecordNotFoundError(LookupError):
    """No such record on this laptop (or it was deleted): the screen is showing something stale."""

    def __init__(self, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"no {kind} record {record_id} here")


def normalise(values: Mapping[str, Any]) -> Record:
    """A blank text from a form means "no value"."""
    return {k: None if isinstance(v, str) and not v.strip() else v for k, v in values.items()}


def _valid(spec: KindSpec, values: Mapping[str, Any]) -> Record:
    """What a new row holds: blank text as no value, fields with no value left out, checked
    against the kind's rules (ValidationError)."""
    given = {k: v for k, v in normalise(values).items() if v is not None}
    spec.validate(given)
    return given


def client_of(spec: KindSpec, record_id: str, values: Mapping[str, Any]) -> str | None:
    if spec.client_field is None:
        return None
    if spec.client_field == "id":
        return record_id
    value = values.get(spec.client_field)
    return str(value) if value else None


# --- reading one record ---------------------------------------------------------------------


def get(db: Database, kind: str, record_id: str, *, include_deleted: bool = False) -> Record | None:
    spec = kind_spec(kind)
    row = db.one(f"SELECT * FROM {spec.table} WHERE id = ?", (record_id,))
    if row is None or (spec.mutable and row["deleted"] and not include_deleted):
        return None
    return codec.decode_row(spec, row)


def _require(db: Database, spec: KindSpec, record_id: str) -> Record:
    record = get(db, spec.name, record_id)
    if record is None:
        raise RecordNotFoundError(spec.name, record_id)
    return record


# --- mutable records ------------------------------------------------------------------------


def create(
    db: Database, actor: Actor, kind: str, values: Mapping[str, Any], *, record_id: str | None = None
) -> WriteResult:
    spec = _mutable(kind)
    given = _valid(spec, values)
    rid = record_id or new_id()
    now = actor.now_text()
    with db.transaction():
        stamp = next_stamp(db, actor)
        row = {
            "id": rid,
            "created_by": actor.user_id,
            "created_at": now,
            "updated_by": actor.user_id,
            "updated_at": now,
            "field_stamps": codec.dumps(dict.fromkeys(given, stamp)),
            "deleted": 0,
            **codec.encode_fields(spec, given),
        }
        _insert(db, spec.table, row)
        _revision(db, actor, spec, rid, Action.CREATE, stamp, now, {k: (None, v) for k, v in given.items()})
        changes = {k: FieldChange(v, stamp, "") for k, v in given.items()}
        _queue(db, actor, spec, rid, OpType.CREATE, stamp, now, changes=changes)
        client_id = client_of(spec, rid, given)
        audit = write_audit(db, actor, "create", spec.name, rid, client_id, fields=sorted(given))
    return WriteResult(rid, [Change(spec.name, rid, client_id, Action.CREATE), audit])


def update(
    db: Database,
    actor: Actor,
    kind: str,
    record_id: str,
    values: Mapping[str, Any],
    *,
    reason: str | None = None,
) -> WriteResult:
    """Change some fields. `reason` (e.g. a risk review's note) goes into the audit event and
    the revision. Nothing is written when no value actually changes."""
    spec = _mutable(kind)
    wanted = normalise(values)
    spec.validate(wanted, partial=True)
    with db.transaction():
        current = _require(db, spec, record_id)
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        if not changed:
            return WriteResult(record_id, [])
        merged = {**codec.fields_of(spec, current), **changed}
        # Record-level rules (an active risk needs a review date) apply to the whole result.
        spec.validate({k: v for k, v in merged.items() if v is not None})
        now = actor.now_text()
        stamp = next_stamp(db, actor)
        stamps: dict[str, str] = dict(current["field_stamps"])
        bases = {k: stamps.get(k, "") for k in changed}
        stamps.update(dict.fromkeys(changed, stamp))
        assignments = {
            **codec.encode_fields(spec, changed),
            "field_stamps": codec.dumps(stamps),
            "updated_by": actor.user_id,
            "updated_at": now,
        }
        _update_row(db, spec.table, record_id, assignments)
        diff = {k: (current.get(k), v) for k, v in changed.items()}
        _revision(db, actor, spec, record_id, Action.UPDATE, stamp, now, diff, note=reason)
        ops = {k: FieldChange(v, stamp, bases[k]) for k, v in changed.items()}
        _queue(db, actor, spec, record_id, OpType.UPDATE, stamp, now, changes=ops)
        client_id = client_of(spec, record_id, merged)
        audit = write_audit(
            db, actor, "update", spec.name, record_id, client_id, fields=sorted(changed), reason=reason
        )
    return WriteResult(record_id, [Change(spec.name, record_id, client_id, Action.UPDATE), audit])


def delete(
    db: Database, actor: Actor, kind: str, record_id: str, *, reason: str | None = None
) -> WriteResult:
    """Tombstone a mutable record: it is hidden everywhere and the deletion syncs like any change."""
    spec = _mutable(kind)
    with db.transaction():
        current = _require(db, spec, record_id)
        now = actor.now_text()
        stamp = next_stamp(db, actor)
        _update_row(db, spec.table, record_id, {"deleted": 1, "updated_by": actor.user_id, "updated_at": now})
        _revision(db, actor, spec, record_id, Action.DELETE, stamp, now, {}, note=reason)
        _queue(db, actor, spec, record_id, OpType.DELETE, stamp, now)
        client_id = client_of(spec, record_id, current)
        audit = write_audit(db, actor, "delete", spec.name, record_id, client_id, reason=reason)
    return WriteResult(record_id, [Change(spec.name, record_id, client_id, Action.DELETE), audit])


# --- append-only entries --------------------------------------------------------------------


def append(
    db: Database, actor: Actor, kind: str, values: Mapping[str, Any], *, record_id: str | None = None
) -> WriteResult:
    spec = _entry_kind(kind)
    entry = _valid(spec, values)
    with db.transaction():
        rid = _insert_entry(db, actor, spec, entry, record_id=record_id)
        client_id = client_of(spec, rid, entry)
        audit = write_audit(db, actor, "create", spec.name, rid, client_id)
    return WriteResult(rid, [Change(spec.name, rid, client_id, Action.APPEND), audit])


def amend(
    db: Database, actor: Actor, kind: str, original_id: str, new_values: Mapping[str, Any], reason: str
) -> WriteResult:
    """A corrected version of an entry: the original's fields with `new_values` over them, in a
    new entry pointing at the original. The original is untouched and stays in the history."""
    spec = _entry_kind(kind)
    if spec.name not in AMENDABLE:
        raise ValueError(f"{spec.label} entries cannot be amended")
    if not reason or not reason.strip():
        raise ValidationError(
            spec.name, [FieldError("amend_reason", "Say why the entry is being corrected.")]
        )
    with db.transaction():
        original = _require(db, spec, original_id)
        entry = {**codec.fields_of(spec, original), **normalise(new_values)}
        entry = {k: v for k, v in entry.items() if v is not None}
        spec.validate(entry)
        rid = _insert_entry(db, actor, spec, entry, amends_id=original_id, amend_reason=reason)
        client_id = client_of(spec, rid, entry)
        audit = write_audit(db, actor, "amend", spec.name, rid, client_id, reason=reason)
    return WriteResult(rid, [Change(spec.name, rid, client_id, Action.AMEND), audit])


def mark_entered_in_error(db: Database, actor: Actor, kind: str, record_id: str, reason: str) -> WriteResult:
    """Hide an entry made by mistake from the usual views; it stays in the history with the reason.
    Marking an entry already marked changes nothing."""
    spec = _entry_kind(kind)
    if spec.name not in AMENDABLE:
        raise ValueError(f"{spec.label} entries cannot be marked as entered in error")
    with db.transaction():
        target = _require(db, spec, record_id)
        if db.scalar("SELECT 1 FROM entered_in_errors WHERE target_id = ?", (record_id,)) is not None:
            return WriteResult(record_id, [])
        client_id = client_of(spec, record_id, target)
        marker = {"target_kind": spec.name, "target_id": record_id, "client_id": client_id, "reason": reason}
        marker = _valid(ENTERED_IN_ERROR, marker)
        marker_id = _insert_entry(db, actor, ENTERED_IN_ERROR, marker)
        audit = write_audit(db, actor, "entered_in_error", spec.name, record_id, client_id, reason=reason)
    return WriteResult(
        record_id,
        [
            Change(spec.name, record_id, client_id, Action.ENTERED_IN_ERROR),
            Change(ENTERED_IN_ERROR.name, marker_id, client_id, Action.APPEND),
            audit,
        ],
    )


class EntryWrites:
    """The writes of one append-only kind: a new entry, a correction, a mark of an entry made by
    mistake. Its module offers them as its own (``add, amend, ... = _writes.append, ...``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def append(self, db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
        return append(db, actor, self.kind, values)

    def amend(
        self, db: Database, actor: Actor, entry_id: str, values: Mapping[str, Any], reason: str
    ) -> WriteResult:
        return amend(db, actor, self.kind, entry_id, values, reason)

    def mark_entered_in_error(self, db: Database, actor: Actor, entry_id: str, reason: str) -> WriteResult:
        return mark_entered_in_error(db, actor, self.kind, entry_id, reason)


def write_audit(
    db: Database,
    actor: Actor,
    action: str,
    target_kind: str | None,
    target_id: str | None,
    client_id: str | None,
    *,
    fields: list[str] | None = None,
    reason: str | None = None,
) -> Change:
    """Append an audit event (who, what, when, from which device, why) and queue it for sync.
    Must run inside the transaction of the write it describes."""
    values = {
        "action": action,
        "target_kind": target_kind,
        "target_id": target_id,
        "client_id": client_id,
        "reason": reason,
        "fields": fields,
    }
    values = {k: v for k, v in normalise(values).items() if v is not None}
    AUDIT_EVENT.validate(values)
    rid = _insert_entry(db, actor, AUDIT_EVENT, values)
    return Change(AUDIT_EVENT.name, rid, client_id, Action.APPEND)


# --- rows, revisions and operations ---------------------------------------------------------


def _insert_entry(
    db: Database,
    actor: Actor,
    spec: KindSpec,
    entry: Mapping[str, Any],
    *,
    record_id: str | None = None,
    amends_id: str | None = None,
    amend_reason: str | None = None,
) -> str:
    rid = record_id or new_id()
    now = actor.now_text()
    stamp = next_stamp(db, actor)
    row = {
        "id": rid,
        "author_id": actor.user_id,
        "device_id": actor.device_id,
        "recorded_at": now,
        "amends_id": amends_id,
        "amend_reason": amend_reason,
        **codec.encode_fields(spec, entry),
    }
    _insert(db, spec.table, row)
    wire_entry = dict(entry)
    if amends_id is not None:
        wire_entry.update(amends_id=amends_id, amend_reason=amend_reason)
    _queue(db, actor, spec, rid, OpType.APPEND, stamp, now, entry=wire_entry)
    return rid


def _queue(
    db: Database,
    actor: Actor,
    spec: KindSpec,
    record_id: str,
    op_type: OpType,
    stamp: str,
    now: str,
    *,
    changes: dict[str, FieldChange] | None = None,
    entry: dict[str, Any] | None = None,
) -> None:
    op = Operation(
        op_id=new_id(),
        kind=spec.name,
        record_id=record_id,
        op=op_type,
        stamp=stamp,
        author_id=actor.user_id,
        device_id=actor.device_id,
        recorded_at=now,
        changes=changes or {},
        entry=entry or {},
    )
    outbox.enqueue(db, op, now)


def _revision(
    db: Database,
    actor: Actor,
    spec: KindSpec,
    record_id: str,
    action: Action,
    stamp: str,
    now: str,
    diff: Mapping[str, tuple[Any, Any]],
    *,
    note: str | None = None,
) -> None:
    changes = {k: {"old": old, "new": new} for k, (old, new) in diff.items()}
    db.execute(
        "INSERT INTO revisions "
        "(kind, record_id, action, stamp, author_id, device_id, recorded_at, changes, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            spec.name,
            record_id,
            action.value,
            stamp,
            actor.user_id,
            actor.device_id,
            now,
            codec.dumps(changes),
            note,
        ),
    )


def _insert(db: Database, table: str, row: Mapping[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))


def _update_row(db: Database, table: str, record_id: str, assignments: Mapping[str, Any]) -> None:
    sets = ", ".join(f"{name} = ?" for name in assignments)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*assignments.values(), record_id))


def _mutable(kind: str) -> KindSpec:
    spec = kind_spec(kind)
    if not spec.mutable:
        raise ValueError(f"{spec.label} entries are append-only: amend them instead")
    return spec


def _entry_kind(kind: str) -> KindSpec:
    spec = kind_spec(kind)
    if spec.mutable:
        raise ValueError(f"{spec.label} records are mutable: create or update them instead")
    return spec
