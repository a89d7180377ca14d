"""Referrals and signposts to other agencies: what for, on which pathway, and what became of them.

Mutable, merged field by field (see navigator_core.kinds.REFERRAL): each status step has its own
date field, so a status change writes the status and that step's date together.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import AGENCY, REFERRAL, REFERRAL_STATUS_DATES
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = REFERRAL.name


def make(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    """A new referral or signpost. Unless given: made today by the signed-in worker, the date of its
    status the day it was made, and, from an engagement that became a client, about that client."""
    given = dict(values)
    engagement = (
        records.get(db, "engagement", str(given["engagement_id"])) if given.get("engagement_id") else None
    )
    if engagement is not None and engagement["client_id"]:
        given.setdefault("client_id", engagement["client_id"])  # the person is a client now
    given.setdefault("made_on", _today(actor).isoformat())
    given.setdefault("made_by", actor.user_id)
    dated = REFERRAL_STATUS_DATES.get(str(given.get("status")))
    if dated and not given.get(dated):
        given[dated] = given["made_on"]
    return records.create(db, actor, KIND, given)


def set_status(
    db: Database,
    actor: Actor,
    referral_id: str,
    status: str,
    *,
    on: date | None = None,
    outcome: str | None = None,
) -> WriteResult:
    """Move a referral on (or back): the status, the date it was reached (default today) and,
    when given, the outcome."""
    values: dict[str, Any] = {"status": status}
    dated = REFERRAL_STATUS_DATES.get(status)
    if dated:
        values[dated] = (on or _today(actor)).isoformat()
    if outcome is not None:
        values["outcome"] = outcome
    return records.update(db, actor, KIND, referral_id, values)


def update(db: Database, actor: Actor, referral_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, KIND, referral_id, values)


def get(db: Database, referral_id: str) -> Record | None:
    return records.get(db, KIND, referral_id)


def _listed(db: Database, where: str, params: tuple[Any, ...]) -> list[Record]:
    rows = db.query(
        "SELECT r.*, a.name AS agency_name FROM referrals r "
        f"LEFT JOIN {AGENCY.table} a ON a.id = r.agency_id "
        f"WHERE r.deleted = 0 AND {where} ORDER BY r.made_on DESC, r.created_at DESC",
        params,
    )
    found = []
    for row in rows:
        record = codec.decode_row(REFERRAL, row)
        record["agency_name"] = row["agency_name"]
        found.append(record)
    return found


def for_client(db: Database, client_id: str) -> list[Record]:
    """A client's referrals and signposts, newest first, each with its `agency_name`."""
    return _listed(db, "r.client_id = ?", (client_id,))


def for_engagement(db: Database, engagement_id: str) -> list[Record]:
    return _listed(db, "r.engagement_id = ?", (engagement_id,))


def agencies_of_client(db: Database, client_id: str) -> list[Record]:
    """The agencies a client works with (those any of their referrals went to), by name, each with
    the pathways of those referrals and the latest status."""
    found: dict[str, Record] = {}
    for referral in reversed(for_client(db, client_id)):  # oldest first: the latest status wins
        agency = records.get(db, AGENCY.name, str(referral["agency_id"]))
        if agency is None:
            continue
        entry = found.setdefault(agency["id"], {**agency, "referral_pathways": [], "latest_status": None})
        if referral["pathway"] not in entry["referral_pathways"]:
            entry["referral_pathways"].append(referral["pathway"])
        entry["latest_status"] = referral["status"]
    return sorted(found.values(), key=lambda a: str(a["name"]).lower())


def history(db: Database, kind: str, record_id: str) -> list[Record]:
    """Every change made on this laptop to a mutable record (a referral's status steps, a concern's
    discussion), oldest first: action, who, when, and each field's old and new value."""
    rows = db.query(
        "SELECT action, author_id, recorded_at, changes, note FROM revisions "
        "WHERE record_id = ? AND kind = ? ORDER BY id",
        (record_id, kind),
    )
    return [{**r, "changes": codec.loads(r["changes"]) if r["changes"] else {}} for r in rows]


def _today(actor: Actor) -> date:
    return timeutil.local(actor.now()).date()
