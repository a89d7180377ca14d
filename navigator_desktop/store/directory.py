"""The team directory (teams, their users and the on-call rota) as the central store sends it
(/v1/team): names for ids, and who has on-call rights now."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from navigator_core import policy, timeutil
from navigator_desktop.store import settings
from navigator_desktop.store.db import Database

Record = dict[str, Any]
ROTA = "team_rota"  # settings key: the team's on-call rota as /v1/team last sent it (JSON)


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


def save_rota(db: Database, shifts: Iterable[Mapping[str, Any]]) -> None:
    """The team's on-call rota as /v1/team sends it ({user_id, starts_at, ends_at} per shift)."""
    kept = [{k: str(shift[k]) for k in ("user_id", "starts_at", "ends_at")} for shift in shifts]
    settings.put(db, ROTA, json.dumps(kept))


def rota(db: Database) -> list[Record] | None:
    """The rota held, or None when this laptop has never been sent one."""
    held = settings.get(db, ROTA)
    if held is None:
        return None
    found = json.loads(held)
    return [dict(shift) for shift in found] if isinstance(found, list) else None


def on_shift(db: Database, user_id: str, at: str | None = None) -> bool | None:
    """Whether the rota held has this person on shift at `at` (now); None without a rota."""
    shifts = rota(db)
    if shifts is None:
        return None
    at = at or timeutil.now_text()
    return any(s["user_id"] == user_id and s["starts_at"] <= at < s["ends_at"] for s in shifts)


def on_call_now(db: Database, user_id: str, at: str | None = None) -> bool:
    """Whether this person is on call now by what the laptop holds: the on-call role, or a shift
    on the rota (a manager who covers the rota is on call only while on shift). Unlike
    `on_call_refusal`, an unknown answer is "no": it decides whether a locked laptop keeps watch."""
    me = user(db, user_id)
    if me is None or not me["active"]:
        return False
    try:
        role = policy.Role.parse(str(me["role"]))
    except ValueError:
        return False
    if role is policy.Role.ADMIN:
        return False
    return role is policy.Role.ON_CALL or bool(on_shift(db, user_id, at))


def on_call_refusal(db: Database, user_id: str, at: str | None = None) -> str | None:
    """Why this person may not work on call now (navigator_core.policy.may_work_on_call, with the
    role and rota held here), or None when they may, or when this laptop cannot tell (unknown
    user or role, or a navigator and no rota received yet): then the central store decides."""
    me = user(db, user_id)
    if me is None:
        return None
    try:
        role = policy.Role.parse(str(me["role"]))
    except ValueError:
        return None
    shift = on_shift(db, user_id, at)
    if role is policy.Role.NAVIGATOR and shift is None:
        return None
    actor = policy.Actor(user_id, str(me["team_id"] or ""), role, on_rota=bool(shift))
    if policy.may_work_on_call(actor):
        return None
    if role is policy.Role.ADMIN:
        return "Administrators do not work on call."
    return "You are not on the on-call rota now: only on-call staff, managers and those on shift may do this."
