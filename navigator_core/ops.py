"""The sync wire format: one operation is one change to one record.

* ``create`` / ``update`` on a mutable kind carry field changes. Each change has the new value,
  its clock stamp, and ``base``: the stamp of the value it replaced on the writing device. A change
  whose base is not the receiver's current stamp for that field was made concurrently with
  something else, and the value that loses is kept as a conflict, never dropped.
* ``delete`` on a mutable kind is a tombstone with its stamp.
* ``append`` on an append-only kind carries the whole entry; it never conflicts.

Operations are applied idempotently by ``op_id``. ``from_wire`` checks everything a hostile or
broken peer could send and raises ``WireError`` with a reason; it never trusts the sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from navigator_core import hlc, timeutil
from navigator_core.fields import KindSpec, check_value, is_uuid
from navigator_core.kinds import AMENDABLE, KINDS


class OpType(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    APPEND = "append"


class PushStatus(StrEnum):
    """How the central store answered one pushed operation (the push result's ``status``)."""

    APPLIED = "applied"
    ALREADY_APPLIED = "already_applied"  # the same op_id was applied before: nothing changed
    CONFLICT_RECORDED = "conflict_recorded"  # applied, and a concurrent value kept as a conflict
    REJECTED = "rejected"  # refused, with a reason (and the field, when it is about one)


MUTABLE_OPS = frozenset({OpType.CREATE, OpType.UPDATE, OpType.DELETE})


class WireError(ValueError):
    """An operation that cannot be accepted; the message says why and names no record content."""


@dataclass(frozen=True)
class FieldChange:
    value: Any
    stamp: str
    base: str = ""  # stamp of the value this replaced; "" when the field had none


@dataclass(frozen=True)
class Operation:
    op_id: str
    kind: str
    record_id: str
    op: OpType
    stamp: str
    author_id: str
    device_id: str
    recorded_at: str
    changes: dict[str, FieldChange] = field(default_factory=dict)  # create / update
    entry: dict[str, Any] = field(default_factory=dict)  # append: every field, plus amends_id/amend_reason

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "op_id": self.op_id,
            "kind": self.kind,
            "record_id": self.record_id,
            "op": self.op.value,
            "stamp": self.stamp,
            "author_id": self.author_id,
            "device_id": self.device_id,
            "recorded_at": self.recorded_at,
        }
        if self.op in (OpType.CREATE, OpType.UPDATE):
            wire["changes"] = {
                name: {"value": c.value, "stamp": c.stamp, "base": c.base} for name, c in self.changes.items()
            }
        elif self.op is OpType.APPEND:
            wire["entry"] = dict(self.entry)
        return wire

    @classmethod
    def from_wire(cls, data: object) -> Operation:
        if not isinstance(data, Mapping):
            raise WireError("an operation must be an object")
        for key in ("op_id", "kind", "record_id", "op", "stamp", "author_id", "device_id", "recorded_at"):
            if not isinstance(data.get(key), str):
                raise WireError(f"operation field {key!r} is missing or not text")
        kind_name = data["kind"]
        spec = KINDS.get(kind_name)
        if spec is None:
            raise WireError(f"unknown record kind {kind_name!r:.40}")
        try:
            op = OpType(data["op"])
        except ValueError:
            raise WireError(f"unknown operation {data['op']!r:.20}") from None
        if spec.mutable != (op in MUTABLE_OPS):
            raise WireError(f"{op.value} is not allowed on {kind_name} records")
        for key in ("op_id", "record_id", "author_id"):
            if not is_uuid(data[key]):
                raise WireError(f"{key} must be a UUID")
        _check_stamp(data["stamp"])
        try:
            timeutil.parse(data["recorded_at"])
        except ValueError:
            raise WireError("recorded_at must be an ISO 8601 time with its zone") from None
        changes: dict[str, FieldChange] = {}
        entry: dict[str, Any] = {}
        if op in (OpType.CREATE, OpType.UPDATE):
            changes = _parse_changes(spec, data.get("changes"), creating=op is OpType.CREATE)
        elif op is OpType.APPEND:
            entry = _parse_entry(spec, data.get("entry"))
        return cls(
            op_id=data["op_id"],
            kind=kind_name,
            record_id=data["record_id"],
            op=op,
            stamp=data["stamp"],
            author_id=data["author_id"],
            device_id=data["device_id"],
            recorded_at=data["recorded_at"],
            changes=changes,
            entry=entry,
        )


def _check_stamp(text: object) -> None:
    if not isinstance(text, str):
        raise WireError("a clock stamp must be text")
    try:
        hlc.Stamp.parse(text)
    except hlc.ClockError as exc:
        raise WireError(str(exc)) from None


def _parse_changes(spec: KindSpec, raw: object, *, creating: bool) -> dict[str, FieldChange]:
    if not isinstance(raw, Mapping) or not raw:
        raise WireError("a create or update must carry at least one field change")
    changes: dict[str, FieldChange] = {}
    for name, change in raw.items():
        field_spec = spec.by_name.get(name)
        if field_spec is None:
            raise WireError(f"{spec.name} records have no field {name!r:.40}")
        if not isinstance(change, Mapping) or "value" not in change:
            raise WireError(f"change to {name} must be an object with a value")
        _check_stamp(change.get("stamp"))
        base = change.get("base", "")
        if not isinstance(base, str):
            raise WireError(f"change to {name} has a malformed base stamp")
        if base:
            _check_stamp(base)
        problem = check_value(field_spec, change["value"])
        if problem:
            raise WireError(problem)
        changes[name] = FieldChange(change["value"], change["stamp"], base)
    if creating:
        missing = [f.name for f in spec.fields if f.required and f.name not in changes]
        if missing:
            raise WireError(f"a new {spec.name} needs {', '.join(missing)}")
    return changes


def _parse_entry(spec: KindSpec, raw: object) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise WireError("an append must carry the entry")
    entry = dict(raw)
    amends_id = entry.pop("amends_id", None)
    amend_reason = entry.pop("amend_reason", None)
    problems = spec.errors(entry)
    if problems:
        raise WireError("; ".join(str(p) for p in problems))
    if amends_id is not None:
        if spec.name not in AMENDABLE:
            raise WireError(f"{spec.name} entries cannot be amended")
        if not is_uuid(amends_id):
            raise WireError("amends_id must be a UUID")
        if not isinstance(amend_reason, str) or not amend_reason.strip():
            raise WireError("an amendment must say why it was made")
        entry["amends_id"] = amends_id
        entry["amend_reason"] = amend_reason
    elif amend_reason is not None:
        raise WireError("amend_reason without amends_id")
    return entry
