"""Handover and on-call notes, and who has read them.

A note is current from ``valid_from`` until ``valid_until``; a note given no end stays current for
``OPEN_ENDED_VALIDITY`` after it starts, so the on-call list does not fill with notes nobody
closed. Reading a note is recorded as an ``acknowledgement`` entry (append-only, synced), so the
author can see who has read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import ACKNOWLEDGEMENT, HANDOVER_NOTE
from navigator_desktop.store import codec, entries, records
from navigator_desktop.store.changes import Change, WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = HANDOVER_NOTE.name
OPEN_ENDED_VALIDITY = timedelta(days=7)
# Must be the very expression of the index handover_notes_by_current (migration 1), or the index
# is not used.
_ENDS_AT = "coalesce(h.valid_until, strftime('%Y-%m-%dT%H:%M:%fZ', h.valid_from, '+7 days'))"


def write(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    """A new note; it is valid from now, routine and for the team unless said otherwise."""
    filled = {"valid_from": actor.now_text(), "priority": "routine", "audience": "team", **values}
    return records.append(db, actor, KIND, filled)


_writes = records.EntryWrites(KIND)
amend, mark_entered_in_error = _writes.amend, _writes.mark_entered_in_error


def get(db: Database, note_id: str) -> Record | None:
    return records.get(db, KIND, note_id)


def current(
    db: Database,
    *,
    team_id: str,
    user_id: str,
    now: str | None = None,
    client_id: str | None = None,
) -> list[Record]:
    """The notes valid now for `user_id` in the team (notes for a named worker show only to that
    worker): unread first, then urgent before routine, then newest. Each has `read`."""
    params: dict[str, Any] = {"team": team_id, "user": user_id, "now": now or timeutil.now_text()}
    about = ""
    if client_id is not None:
        about = " AND h.client_id = :client"
        params["client"] = client_id
    rows = db.query(
        f"""
        SELECT h.*, EXISTS (SELECT 1 FROM acknowledgements a
                             WHERE a.note_id = h.id AND a.author_id = :user) AS read
        FROM handover_notes h
        WHERE h.team_id = :team AND {_ENDS_AT} > :now AND h.valid_from <= :now
          AND (h.audience <> 'worker' OR h.for_user_id = :user){about}
          AND {entries.visible("h", "handover_notes")}
        ORDER BY read, h.priority = 'urgent' DESC, h.valid_from DESC, h.id
        """,
        params,
    )
    notes = []
    for row in rows:
        read = bool(row.pop("read"))
        note = codec.decode_row(HANDOVER_NOTE, row)
        note["read"] = read
        notes.append(note)
    return notes


def unread_count(db: Database, *, team_id: str, user_id: str, now: str | None = None) -> int:
    return sum(1 for note in current(db, team_id=team_id, user_id=user_id, now=now) if not note["read"])


def acknowledge(db: Database, actor: Actor, note_id: str) -> WriteResult:
    """Record that the actor has read the note; reading it again changes nothing."""
    with db.transaction():
        note = get(db, note_id)
        if note is None:
            raise records.RecordNotFoundError(KIND, note_id)
        if is_acknowledged(db, note_id, actor.user_id):
            return WriteResult(note_id, [])
        result = records.append(
            db, actor, ACKNOWLEDGEMENT.name, {"note_id": note_id, "team_id": note["team_id"]}
        )
    # An acknowledgement names no client; tell the views which client's note it was.
    note_change = Change(KIND, note_id, note.get("client_id"), result.changes[0].action)
    return WriteResult(result.record_id, [*result.changes, note_change])


def is_acknowledged(db: Database, note_id: str, user_id: str) -> bool:
    found = db.scalar(
        "SELECT 1 FROM acknowledgements WHERE note_id = ? AND author_id = ? LIMIT 1", (note_id, user_id)
    )
    return found is not None


def acknowledgements(db: Database, note_id: str) -> list[Record]:
    """Who has read a note and when, first reader first."""
    return db.query(
        "SELECT author_id, min(recorded_at) AS read_at FROM acknowledgements WHERE note_id = ? "
        "GROUP BY author_id ORDER BY read_at",
        (note_id,),
    )
