"""Engagements: people met by liaison and diversion in police custody, at court or in the
community, often before they are anyone's client. One may later become a client: ``link`` attaches
the engagement, its referrals and the concerns raised on it to the client record, in one write."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import ENGAGEMENT, REFERRAL, SUPERVISION_ITEM
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = ENGAGEMENT.name


def record(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    """A new engagement; `met_at` defaults to now."""
    given = dict(values)
    given.setdefault("met_at", actor.now_text())
    return records.create(db, actor, KIND, given)


def update(db: Database, actor: Actor, engagement_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, KIND, engagement_id, values)


def get(db: Database, engagement_id: str) -> Record | None:
    return records.get(db, KIND, engagement_id)


def _listed(db: Database, where: str, params: tuple[Any, ...]) -> list[Record]:
    rows = db.query(f"SELECT * FROM engagements WHERE deleted = 0 AND {where} ORDER BY met_at DESC", params)
    return [codec.decode_row(ENGAGEMENT, r) for r in rows]


def recorded_by(db: Database, user_id: str, *, unlinked_only: bool = False) -> list[Record]:
    """A worker's own engagements, newest first (optionally only those not yet a client)."""
    return _listed(db, "created_by = ?" + (" AND client_id IS NULL" if unlinked_only else ""), (user_id,))


def for_team(db: Database, team_id: str, *, since: str | None = None) -> list[Record]:
    """Every engagement of the team held here (a manager holds them all), newest first."""
    return _listed(db, "team_id = ? AND met_at >= ?", (team_id, since or ""))


def for_client(db: Database, client_id: str) -> list[Record]:
    return _listed(db, "client_id = ?", (client_id,))


def link(
    db: Database, actor: Actor, engagement_id: str, client_id: str, *, on: date | None = None
) -> WriteResult:
    """The person met became (or already was) a client: the engagement, its referrals and the
    concerns for supervision raised on it are attached to the client, in one transaction. Each is
    a field change that syncs like any other; the central store refuses to move a record that
    already belongs to a client."""
    with db.transaction():
        engagement = records.get(db, KIND, engagement_id)
        if engagement is None:
            raise records.RecordNotFoundError(KIND, engagement_id)
        if engagement["client_id"] not in (None, client_id):
            raise ValueError("this engagement is already attached to another client")
        day = (on or _today(actor)).isoformat()
        result = records.update(db, actor, KIND, engagement_id, {"client_id": client_id, "linked_on": day})
        changes = list(result.changes)
        for spec, column in ((REFERRAL, "engagement_id"), (SUPERVISION_ITEM, "target_id")):
            ids = db.column(
                f"SELECT id FROM {spec.table} WHERE {column} = ? AND client_id IS NULL AND deleted = 0",
                (engagement_id,),
            )
            for record_id in ids:
                changes += records.update(db, actor, spec.name, record_id, {"client_id": client_id}).changes
    return WriteResult(engagement_id, changes)


def _today(actor: Actor) -> date:
    return timeutil.local(actor.now()).date()
