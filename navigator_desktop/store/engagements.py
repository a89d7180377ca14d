"""Engagements: people met by liaison and diversion in police custody, at court or in the
community, often before they are anyone's client. One may later become a client: ``link`` attaches
the engagement, its referrals and the concerns raised on it to the client record, in one write."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import ENGAGEMENT, REFERRAL, SUPERVISION_ITEM
from navigator_core.policy import Role
from navigator_desktop.store import clients, codec, directory, records
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


def listed_for(db: Database, user_id: str) -> tuple[bool, list[Record]]:
    """What a worker's Engagements screen lists, newest first: a manager's team's (True), anyone
    else's own (False), as the policy reads them. Each carries its number of `referrals` (signposts
    and referrals made from it) and, once it became a client, the `client` name ("Family, Given")."""
    me = directory.user(db, user_id)
    team_id = str(me["team_id"]) if me and me["team_id"] else None
    team = bool(me and team_id and Role.parse(str(me["role"])) is Role.MANAGER)
    found = for_team(db, str(team_id)) if team else recorded_by(db, user_id)
    ids = codec.dumps([str(e["id"]) for e in found])
    counts = {
        str(r["engagement_id"]): int(r["n"])
        for r in db.query(
            "SELECT engagement_id, count(*) AS n FROM referrals WHERE deleted = 0 "
            "AND engagement_id IN (SELECT value FROM json_each(?)) GROUP BY engagement_id",
            (ids,),
        )
    }
    linked = codec.dumps([str(e["client_id"]) for e in found if e["client_id"]])
    names = {
        str(r["id"]): f"{r['family_name']}, {r['given_name']}"
        for r in db.query(
            "SELECT id, given_name, family_name FROM clients WHERE id IN (SELECT value FROM json_each(?))",
            (linked,),
        )
    }
    for engagement in found:
        engagement["referrals"] = counts.get(str(engagement["id"]), 0)
        engagement["client"] = names.get(str(engagement["client_id"])) if engagement["client_id"] else None
    return team, found


def make_client(db: Database, actor: Actor, engagement_id: str, values: Mapping[str, Any]) -> WriteResult:
    """A new client from an engagement: the client record (`values`), then the engagement, its
    referrals and its concerns for supervision attached to it (``link``), in one transaction."""
    with db.transaction():
        created = clients.create(db, actor, values)
        linked = link(db, actor, engagement_id, created.record_id)
    return WriteResult(created.record_id, [*created.changes, *linked.changes])


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
