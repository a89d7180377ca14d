"""Concerns for supervision: a contact or an engagement flagged "raise in supervision" with why,
and the supervisor's mark that it was discussed, with a note. Both states stay in the record and
its history; a concern is never deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import SUPERVISION_ITEM
from navigator_desktop.store import codec, contacts, directory, engagements, records
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


def _listed(db: Database, where: str, params: tuple[Any, ...], order: str = "created_at") -> list[Record]:
    rows = db.query(f"SELECT * FROM supervision_items WHERE deleted = 0 AND {where} ORDER BY {order}", params)
    return [codec.decode_row(SUPERVISION_ITEM, r) for r in rows]


def _supervised(user_id: str, team_id: str, manager: bool) -> tuple[str, tuple[Any, ...]]:
    """Concerns naming this supervisor and, for a manager, the team's that name no one."""
    if manager:
        return "team_id = ? AND (supervisor_id = ? OR supervisor_id IS NULL)", (team_id, user_id)
    return "supervisor_id = ?", (user_id,)


def open_for(db: Database, user_id: str, team_id: str, *, manager: bool) -> list[Record]:
    """The open list a supervisor works through, oldest first: concerns naming them and, for a
    manager, every open concern of the team that names no one."""
    where, params = _supervised(user_id, team_id, manager)
    return _listed(db, f"status = 'open' AND {where}", params)


def discussed_for(
    db: Database, user_id: str, team_id: str, *, manager: bool, limit: int = 200
) -> list[Record]:
    """The same supervisor's concerns already discussed, most recently discussed first."""
    where, params = _supervised(user_id, team_id, manager)
    order = "discussed_on DESC, updated_at DESC LIMIT ?"
    return _listed(db, f"status = 'discussed' AND {where}", (*params, limit), order)


def raised_by(db: Database, user_id: str) -> list[Record]:
    """What a worker has raised, open and discussed, oldest first."""
    return _listed(db, "created_by = ?", (user_id,))


def on_record(db: Database, target_id: str) -> list[Record]:
    """The concerns raised on one contact or engagement (the flag shown on it), oldest first."""
    return _listed(db, "target_id = ?", (target_id,))


def for_client(db: Database, client_id: str) -> list[Record]:
    return _listed(db, "client_id = ?", (client_id,))


@dataclass(frozen=True)
class Board:
    """The supervision screen: what is still to discuss (oldest first) and what was discussed
    (newest first), each item with ``client_name`` and ``target_when``/``target_summary`` (the
    contact or engagement it was raised on), for the signed-in supervisor."""

    open: list[Record]
    discussed: list[Record]
    manager: bool


def board(db: Database, user_id: str) -> Board:
    me = directory.user(db, user_id)
    team_id = str(me["team_id"]) if me and me["team_id"] else ""
    manager = me is not None and str(me["role"]) == "manager"
    found = open_for(db, user_id, team_id, manager=manager)
    done = discussed_for(db, user_id, team_id, manager=manager)
    return Board(describe(db, found), describe(db, done), manager)


def describe(db: Database, items: list[Record]) -> list[Record]:
    """Each item with its client's name and when and what the record it was raised on was."""
    for item in items:
        client = db.one(
            "SELECT given_name, family_name FROM clients WHERE id = ?", (item.get("client_id") or "",)
        )
        item["client_name"] = f"{client['given_name']} {client['family_name']}" if client else ""
        when, summary = "", ""
        if item["target_kind"] == "contact":
            contact = contacts.get(db, item["target_id"])
            if contact is not None:
                when, summary = contact["occurred_at"], contact["narrative"]
        elif item["target_kind"] == "engagement":
            engagement = engagements.get(db, item["target_id"])
            if engagement is not None:
                when, summary = engagement["met_at"], engagement["person"]
        item["target_when"], item["target_summary"] = when, summary
    return items


def _today(actor: Actor) -> date:
    return timeutil.local(actor.now()).date()
