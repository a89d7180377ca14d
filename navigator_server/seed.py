"""``seed-demo``: a demo team with a user of every role and the synthetic caseload from
``navigator_core.demo``, written straight into the store with its place in the change feed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.demo import Scale, generate
from navigator_core.fields import new_id
from navigator_core.kinds import ENTRY_META, KINDS, MUTABLE_META
from navigator_core.policy import Role
from navigator_server import accounts, store
from navigator_server.db import Database
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
        "created_seq": seq,
        "updated_seq": seq,
    }


def _flush(conn: Connection, rows: list[dict[str, Any]], feed_rows: list[dict[str, Any]]) -> None:
    if rows:
        store.insert_many(conn, rows)
        conn.execute(changes.insert(), feed_rows)
        rows.clear()
        feed_rows.clear()


def seed_demo(
    db: Database,
    passwords: Passwords,
    settings: Settings,
    password: str,
    *,
    scale: str | Scale = "small",
    seed: int = 1,
) -> str:
    """Create the demo team and its data (`scale` by name, or the counts themselves); returns what
    to tell the administrator."""
    team, rows = generate(Scale.named(scale) if isinstance(scale, str) else scale, seed=seed)
    now = timeutil.now_text()
    count = 0
    with db.write() as conn:
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
    db.checkpoint()
    log.info("demo seeded records=%d users=%d", count, len(team.users))
    lines = [f"Demo team {team.team_name!r}: {count} records, {len(team.users)} users."]
    for user in team.users:  # every one, by name: the administrator enrols laptops with these
        mark = " (the demo caseload)" if user.id == team.demo_user.id else ""
        lines.append(f"  {user.role:10} {user.username:24} {user.display_name}{mark}")
    lines.append("Enrol a laptop with: navigator-server enrol USERNAME")
    return "\n".join(lines)
