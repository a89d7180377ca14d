"""Concerns for supervision: a contact or an engagement flagged "raise in supervision" with why,
and the supervisor's mark that it was discussed, with a note. Both states stay in the record and
its history; a concern is never deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import SUPERVISION_ITEM
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = SUPERVISION_ITEM.name


def raise_item(
    db: Database,
    actor: Actor,
    *,
    team_id: str,
    target_kind: str,
    target_id: str,
    reason: str,
    client_id: str | None = None,
    supervisor_id: str | None = None,
) -> WriteResult:
    """Flag a contact or an engagement for supervision. With no named supervisor it goes to the
    team's managers."""
    values = {
        "team_id": team_id,
        "client_id": client_id,
        "target_kind": target_kind,
        "target_id": target_id,
        "reason": reason,
        "supervisor_id": supervisor_id,
        "status": "open",
    }
    return records.create(db, actor, KIND, values)


def mark_discussed(
    db: Database, actor: Actor, item_id: str, note: str, *, on: date | None = None
) -> WriteResult:
    """The supervisor's record that the concern was discussed, with what was said."""
    values = {
        "status": "discussed",
        "discussed_on": (on or _today(actor)).isoformat(),
        "discussed_by": actor.user_id,
        "discussion_note": note,
    }
    return records.update(db, actor, KIND, item_id, values, reason="Discussed in supervision")


def get(db: Database, item_id: str) -> Record | None:
    return records.get(db, KIND, item_id)


def _listed(db: Database, where: str, params: tuple[Any, ...]) -> list[Record]:
    rows = db.query(
        f"SELECT * FROM supervision_items WHERE deleted = 0 AND {where} ORDER BY created_at", params
    )
    return [codec.decode_row(SUPERVISION_ITEM, r) for r in rows]


def open_for(db: Database, user_id: str, team_id: str, *, manager: bool) -> list[Record]:
    """The open list a supervisor works through, oldest first: concerns naming them and, for a
    manager, every open concern of the team that names no one."""
    if manager:
        where = "status = 'open' AND team_id = ? AND (supervisor_id = ? OR supervisor_id IS NULL)"
        return _listed(db, where, (team_id, user_id))
    return _listed(db, "status = 'open' AND supervisor_id = ?", (user_id,))


def raised_by(db: Database, user_id: str) -> list[Record]:
    """What a worker has raised, open and discussed, oldest first."""
    return _listed(db, "created_by = ?", (user_id,))


def on_record(db: Database, target_id: str) -> list[Record]:
    """The concerns raised on one contact or engagement (the flag shown on it), oldest first."""
    return _listed(db, "target_id = ?", (target_id,))


def for_client(db: Database, client_id: str) -> list[Record]:
    return _listed(db, "client_id = ?", (client_id,))


def _today(actor: Actor) -> date:
    return timeutil.local(actor.now()).date()
