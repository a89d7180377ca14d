"""``seed-demo``: a demo team with a user of every role and the synthetic caseload from
``navigator_core.demo``, written straight into the store with its place in the change feed.

``--teams N`` makes N such teams (an organisation: 20 teams at team scale are about 9 M records),
each from its own seed, in a transaction of its own. On PostgreSQL the records and the feed go in
with COPY, and the tables are analysed afterwards: a bulk load leaves the planner without
statistics, and a pull planned without them read every change after the cursor (see
store.feed_page). Every demo user of every team has the one password given, hashed once."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.demo import TEAM_NAME, DemoTeam, Scale, generate
from navigator_core.fields import new_id
from navigator_core.kinds import ENTRY_META, KINDS, MUTABLE_META
from navigator_core.policy import Role
from navigator_server import accounts, store
from navigator_server.db import Database, bulk_insert
from navigator_server.feed import FeedWriter
from navigator_server.schema import changes, rota, teams
from navigator_server.security import Passwords
from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.seed")
_BATCH = 2000


def _client_of(kind: str, row: dict[str, Any]) -> str | None:
    if kind == "client":
        return str(row["id"])
    field = KINDS[kind].client_field
    return row.get(field) if field else None


def _record(kind: str, row: dict[str, Any], team_id: str, seq: int) -> dict[str, Any]:
    spec = KINDS[kind]
    if spec.mutable:
        meta = {k: row[k] for k in MUTABLE_META if k not in ("id", "field_stamps", "deleted")}
        stamps, deleted = dict(row["field_stamps"]), bool(row["deleted"])
    else:
        meta = {k: row[k] for k in ENTRY_META if k != "id"}
        stamps, deleted = {}, False
    # Empty fields are left out, except a stamped one: as a push stores it, every stamped field
    # is in the data (a pull sends a full record's stamps as stored).
    data = {name: row[name] for name in spec.field_names if row.get(name) is not None or name in stamps}
    return {
        "id": row["id"],
        "kind": kind,
        "team_id": team_id,
        "client_id": _client_of(kind, row),
        "data": data,
        "field_stamps": stamps,
        "meta": meta,
        "deleted": deleted,
        "author_id": store.author_of(meta),
        "created_seq": seq,
        "updated_seq": seq,
    }


def _flush(conn: Connection, rows: list[dict[str, Any]], feed_rows: list[dict[str, Any]]) -> None:
    if rows:
        store.insert_many(conn, rows)
        bulk_insert(conn, changes, feed_rows, ())
        rows.clear()
        feed_rows.clear()


class _HashedOnce(Passwords):
    """The demo users' one password, hashed once for all of them (Argon2 at its production cost
    takes a good part of a second, and an organisation has thousands of demo users)."""

    def __init__(self, passwords: Passwords, password: str) -> None:
        self._hash = passwords.hash(password)

    def hash(self, password: str) -> str:
        return self._hash


def seed_demo(
    db: Database,
    passwords: Passwords,
    settings: Settings,
    password: str,
    *,
    scale: str | Scale = "small",
    seed: int = 1,
    teams: int = 1,
) -> str:
    """Create the demo team (or `teams` of them) and its data; returns what to tell the administrator."""
    if teams < 1:
        raise ValueError("--teams is at least 1")
    hashed = _HashedOnce(passwords, password)
    said: list[str] = []
    for number in range(1, teams + 1):
        team, rows = generate(Scale.named(scale) if isinstance(scale, str) else scale, seed=seed + number - 1)
        if number > 1:  # names and usernames of their own; the first team is the one demo team
            team = _numbered(team, number)
        with db.write() as conn:
            count = _seed_team(conn, hashed, settings, password, team, rows)
        log.info("demo seeded team=%d records=%d users=%d", number, count, len(team.users))
        said.append(
            _summary(team, count) if number == 1 else f"Demo team {team.team_name!r}: {count} records."
        )
    if db.is_sqlite:
        db.checkpoint()
    else:
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    said.append("Enrol a laptop with: navigator-server enrol USERNAME")
    return "\n".join(said)


def _numbered(team: DemoTeam, number: int) -> DemoTeam:
    users = [replace(u, username=f"{u.username}.t{number}") for u in team.users]
    return replace(team, team_name=f"{TEAM_NAME} {number}", users=users)


def _seed_team(
    conn: Connection,
    passwords: Passwords,
    settings: Settings,
    password: str,
    team: DemoTeam,
    rows: Iterator[tuple[str, dict[str, Any]]],
) -> int:
    now = timeutil.now_text()
    count = 0
    writer = FeedWriter(conn)
    if conn.execute(teams.select().where(teams.c.name == team.team_name)).first():
        raise accounts.AccountError(f"the demo team {team.team_name!r} exists already")
    conn.execute(teams.insert().values(id=team.team_id, name=team.team_name, created_at=now))
    for user in team.users:
        accounts.create_user(
            conn,
            passwords,
            settings,
            username=user.username,
            team_id=team.team_id,
            role=Role.parse(user.role),
            password=password,
            display_name=user.display_name,
            user_id=user.id,
        )
    batch: list[dict[str, Any]] = []
    feed_rows: list[dict[str, Any]] = []
    for kind, row in rows:
        seq = writer.next_seq()
        record = _record(kind, row, team.team_id, seq)
        batch.append(record)
        feed_rows.append(
            {
                "seq": seq,
                "kind": kind,
                "record_id": record["id"],
                "team_id": team.team_id,
                "client_id": record["client_id"],
                "op_id": None,
                "at": now,
            }
        )
        count += 1
        if len(batch) >= _BATCH:
            _flush(conn, batch, feed_rows)
    _flush(conn, batch, feed_rows)
    start = timeutil.utcnow().replace(hour=17, minute=0, second=0, microsecond=0)
    on_call = team.by_role("on-call") or team.by_role("navigator")
    for day in range(7):
        worker = on_call[day % len(on_call)]
        conn.execute(
            rota.insert().values(
                id=new_id(),
                team_id=team.team_id,
                user_id=worker.id,
                starts_at=timeutil.to_text(start + timedelta(days=day)),
                ends_at=timeutil.to_text(start + timedelta(days=day, hours=16)),
            )
        )
    writer.close()
    return count


def _summary(team: DemoTeam, count: int) -> str:
    lines = [f"Demo team {team.team_name!r}: {count} records, {len(team.users)} users."]
    for user in team.users:  # every one, by name: the administrator enrols laptops with these
        mark = " (the demo caseload)" if user.id == team.demo_user.id else ""
        lines.append(f"  {user.role:10} {user.username:24} {user.display_name}{mark}")
    return "\n".join(lines)
