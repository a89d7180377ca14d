"""Contacts: one event of support, when it happened and when it was written.

A contact written more than 24 hours after the event is a *late entry* and says so: every contact
read from here carries ``late_entry`` (derived from ``occurred_at`` and ``recorded_at``, so it can
never disagree with them) and ``amended`` (this version corrects an earlier one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import CONTACT
from navigator_desktop.store import codec, entries, records
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = CONTACT.name


_writes = records.EntryWrites(KIND)
add, amend, mark_entered_in_error = _writes.append, _writes.amend, _writes.mark_entered_in_error


def get(db: Database, contact_id: str) -> Record | None:
    record = records.get(db, KIND, contact_id)
    return None if record is None else _derive(record)


def timeline(
    db: Database, client_id: str, *, limit: int | None = None, before: str | None = None
) -> list[Record]:
    """A client's current contacts, newest event first; entered-in-error entries and versions
    since corrected are left out. `before` (an occurred_at) pages back through a long history."""
    rows = db.query(
        f"""
        SELECT c.* FROM contacts c
        WHERE c.client_id = ? AND c.occurred_at < ? AND {entries.visible("c", "contacts")}
        ORDER BY c.occurred_at DESC, c.recorded_at DESC
        LIMIT ?
        """,
        (client_id, before or "9999", -1 if limit is None else limit),
    )
    return [_derive(codec.decode_row(CONTACT, row)) for row in rows]


def versions(db: Database, contact_id: str) -> list[Record]:
    """Every version of a contact, oldest first, with its `state` (current, superseded,
    entered_in_error)."""
    return [_derive(r) for r in entries.versions(db, KIND, contact_id)]


def history(db: Database, client_id: str) -> list[Record]:
    """Every contact about a client, hidden ones included (for the history tab and subject access)."""
    return [_derive(r) for r in entries.history(db, KIND, client_id)]


def last_contact_at(db: Database, client_id: str) -> str | None:
    value = db.scalar(
        f"""
        SELECT c.occurred_at FROM contacts c
        WHERE c.client_id = ? AND c.contact_type NOT IN ('did_not_attend', 'cancelled')
          AND {entries.visible("c", "contacts")}
        ORDER BY c.occurred_at DESC LIMIT 1
        """,
        (client_id,),
    )
    return None if value is None else str(value)


def is_late(record: Mapping[str, Any]) -> bool:
    occurred, recorded = record.get("occurred_at"), record.get("recorded_at")
    return bool(occurred and recorded and timeutil.is_late_entry(occurred, recorded))


def _derive(record: Record) -> Record:
    record["late_entry"] = is_late(record)
    record["amended"] = record.get("amends_id") is not None
    return record
