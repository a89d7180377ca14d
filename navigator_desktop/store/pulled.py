"""What a pull does to the store's own tables, beside the bulk load of the records themselves
(bulk.py): the local changes a pulled record must not overwrite, and the records that left this
user's scope. The sync's apply (sync/apply.py) decides; the SQL is here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from navigator_core.fields import KindSpec
from navigator_desktop.store import codec, outbox
from navigator_desktop.store.db import Database


@dataclass
class LocalChanges:
    """What this laptop's not-yet-acknowledged operations change in one record."""

    fields: set[str] = field(default_factory=set)
    deleted: bool = False


def pending_changes(db: Database) -> dict[str, LocalChanges]:
    """Records with operations not yet acknowledged, and what those operations change."""
    found: dict[str, LocalChanges] = {}
    for row in db.query(f"SELECT record_id, op_json FROM outbox WHERE {outbox.UNSETTLED}"):
        op = orjson.loads(row["op_json"])
        changes = found.setdefault(row["record_id"], LocalChanges())
        if op.get("op") == "delete":
            changes.deleted = True
        changes.fields.update((op.get("changes") or {}).keys())
    return found


def keep_local(db: Database, spec: KindSpec, row: dict[str, Any], mine: LocalChanges) -> dict[str, Any]:
    """The pulled row with this laptop's not-yet-acknowledged field values kept where they are later."""
    here = db.one(f"SELECT * FROM {spec.table} WHERE id = ?", (row["id"],))
    if here is None:
        return row
    local_stamps: dict[str, str] = codec.loads(here["field_stamps"]) if here["field_stamps"] else {}
    stamps = dict(row["field_stamps"])
    for name in mine.fields & set(spec.by_name):
        ours = local_stamps.get(name, "")
        if ours > stamps.get(name, ""):
            row[name] = codec.decode_value(spec.by_name[name], here.get(name))
            stamps[name] = ours
    row["field_stamps"] = stamps
    if mine.deleted:
        row["deleted"] = True
    return row


def forget(db: Database, table: str, record_ids: list[str]) -> None:
    """Records that left this user's scope: gone from the laptop, with their history and conflicts."""
    ids = [(record_id,) for record_id in record_ids]
    db.executemany(f"DELETE FROM {table} WHERE id = ?", ids)
    db.executemany("DELETE FROM revisions WHERE record_id = ?", ids)
    db.executemany("DELETE FROM conflicts WHERE record_id = ?", ids)
