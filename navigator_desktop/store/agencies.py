"""Agencies: the local services a team refers to and works with (team-level, no client)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from navigator_core.kinds import AGENCY
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
KIND = AGENCY.name


def add(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    return records.create(db, actor, KIND, values)


def update(db: Database, actor: Actor, agency_id: str, values: Mapping[str, Any]) -> WriteResult:
    return records.update(db, actor, KIND, agency_id, values)


def delete(db: Database, actor: Actor, agency_id: str) -> WriteResult:
    return records.delete(db, actor, KIND, agency_id)


def get(db: Database, agency_id: str) -> Record | None:
    return records.get(db, KIND, agency_id)


def for_team(db: Database, team_id: str, *, agency_type: str | None = None) -> list[Record]:
    """A team's agencies by name, optionally of one type."""
    kind_filter = " AND agency_type = ?" if agency_type else ""
    rows = db.query(
        f"SELECT * FROM {AGENCY.table} WHERE team_id = ? AND deleted = 0{kind_filter} "
        "ORDER BY name COLLATE NOCASE",
        (team_id, *([agency_type] if agency_type else [])),
    )
    return [codec.decode_row(AGENCY, r) for r in rows]


def find(
    db: Database,
    team_id: str,
    *,
    text: str = "",
    agency_type: str | None = None,
    pathway: str | None = None,
) -> list[Record]:
    """The directory's search: the team's agencies whose name (or notes) contain `text`, of one
    type and serving one pathway when given, by name. Offline: it reads only what is held here."""
    needle = text.strip().casefold()
    found = []
    for agency in for_team(db, team_id, agency_type=agency_type):
        if pathway and pathway not in (agency.get("pathways") or []):
            continue
        words = f"{agency['name']} {agency.get('notes') or ''}".casefold()
        if needle and needle not in words:
            continue
        found.append(agency)
    return found
