"""The team directory (teams and their users) as the central store sends it: names for ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from navigator_core import timeutil
from navigator_desktop.store.db import Database

Record = dict[str, Any]


def save_team(db: Database, team_id: str, name: str) -> None:
    db.execute(
        "INSERT INTO teams (id, name, refreshed_at) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, refreshed_at = excluded.refreshed_at",
        (team_id, name, timeutil.now_text()),
    )


def save_users(db: Database, users: Iterable[Mapping[str, Any]]) -> None:
    """Users as {id, display_name, role, team_id, active?}; known ones are replaced."""
    now = timeutil.now_text()
    db.executemany(
        "INSERT INTO users (id, display_name, role, team_id, active, refreshed_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, "
        "team_id = excluded.team_id, active = excluded.active, refreshed_at = excluded.refreshed_at",
        [
            (u["id"], u["display_name"], u["role"], u.get("team_id"), int(bool(u.get("active", True))), now)
            for u in users
        ],
    )


def teams(db: Database) -> list[Record]:
    return db.query("SELECT id, name, refreshed_at FROM teams ORDER BY name")


def users(db: Database, team_id: str | None = None, *, active_only: bool = True) -> list[Record]:
    where = ["1 = 1"]
    params: list[Any] = []
    if team_id is not None:
        where.append("team_id = ?")
        params.append(team_id)
    if active_only:
        where.append("active = 1")
    return db.query(
        f"SELECT id, display_name, role, team_id, active FROM users WHERE {' AND '.join(where)} "
        "ORDER BY display_name",
        params,
    )


def user(db: Database, user_id: str) -> Record | None:
    return db.one("SELECT id, display_name, role, team_id, active FROM users WHERE id = ?", (user_id,))


def display_names(db: Database) -> dict[str, str]:
    """Every known user id to display name (for "written by" labels)."""
    return {r["id"]: r["display_name"] for r in db.query("SELECT id, display_name FROM users")}
