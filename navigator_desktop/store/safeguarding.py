"""Safeguarding concerns: what was seen or said, what was done, and any local authority referral.
Append-only: corrected by amendment, never edited."""

from __future__ import annotations

from typing import Any

from navigator_core.kinds import SAFEGUARDING_CONCERN
from navigator_desktop.store import codec, entries, records
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = SAFEGUARDING_CONCERN.name


_writes = records.EntryWrites(KIND)
raise_concern, amend, mark_entered_in_error = _writes.append, _writes.amend, _writes.mark_entered_in_error


def for_client(db: Database, client_id: str) -> list[Record]:
    """A client's current concerns, newest first."""
    rows = db.query(
        f"SELECT s.* FROM safeguarding_concerns s WHERE s.client_id = ? "
        f"AND {entries.visible('s', 'safeguarding_concerns')} ORDER BY s.recorded_at DESC",
        (client_id,),
    )
    return [_decoded(r) for r in rows]


def history(db: Database, client_id: str) -> list[Record]:
    return entries.history(db, KIND, client_id)


def for_team(db: Database, team_id: str, *, since: str = "") -> list[Record]:
    """The team's current concerns recorded since `since` (an instant; default: all held here),
    newest first, each with its client's `client_name` (for a manager's Today)."""
    rows = db.query(
        "SELECT s.*, c.given_name, c.family_name FROM safeguarding_concerns s "
        "JOIN clients c ON c.id = s.client_id AND c.deleted = 0 "
        f"WHERE c.team_id = ? AND s.recorded_at >= ? AND {entries.visible('s', 'safeguarding_concerns')} "
        "ORDER BY s.recorded_at DESC",
        (team_id, since),
    )
    found = []
    for row in rows:
        concern = _decoded(row)
        concern["client_name"] = f"{row['given_name']} {row['family_name']}"
        found.append(concern)
    return found


def _decoded(row: Record) -> Record:
    """A concern as read, with ``open``: the team still holds it, until it is referred to the
    local authority (a referral made later is recorded by correcting the concern)."""
    concern = codec.decode_row(SAFEGUARDING_CONCERN, row)
    concern["open"] = not concern.get("referred_to_local_authority")
    concern["amended"] = concern.get("amends_id") is not None
    return concern


def open_for_team(db: Database, team_id: str, *, since: str = "") -> list[Record]:
    """The team's open concerns recorded since `since`, newest first (a manager's Today)."""
    return [c for c in for_team(db, team_id, since=since) if c["open"]]
