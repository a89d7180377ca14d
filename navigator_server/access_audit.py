"""Who looked at which client, when, from which device and why: the access audit a manager reads.

Two sources, merged newest first: the ``audit_event`` entries laptops push (views, exports and
break-glass looks recorded where they happened, possibly offline and synced later), and the
store's own ``audit_log`` rows for break-glass reads it served (and refused). Changes are not
listed: each record's history already says who changed what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_server import store
from navigator_server.schema import audit_log, devices, records, users

DEVICE_ACTIONS = ("view", "export", "break_glass")
SERVER_ACTIONS = ("break_glass", "break_glass_refused")


@dataclass(frozen=True)
class Query:
    team_id: str
    client_id: str | None = None
    since: str | None = None  # ISO 8601 UTC text, inclusive
    until: str | None = None  # exclusive
    limit: int = 500


def _device_events(conn: Connection, q: Query) -> list[dict[str, Any]]:
    action = records.c.data["action"].as_string()
    at = records.c.meta["recorded_at"].as_string()
    query = sa.select(
        records.c.client_id,
        action.label("action"),
        records.c.data["reason"].as_string().label("reason"),
        records.c.meta["author_id"].as_string().label("user_id"),
        records.c.meta["device_id"].as_string().label("device_id"),
        at.label("at"),
    ).where(records.c.team_id == q.team_id, records.c.kind == "audit_event", action.in_(DEVICE_ACTIONS))
    if q.client_id:
        query = query.where(records.c.client_id == q.client_id)
    if q.since:
        query = query.where(at >= q.since)
    if q.until:
        query = query.where(at < q.until)
    rows = conn.execute(query.order_by(at.desc()).limit(q.limit + 1))
    return [{**dict(r._mapping), "source": "device"} for r in rows]


def _server_events(conn: Connection, q: Query) -> list[dict[str, Any]]:
    query = (
        sa.select(
            audit_log.c.target_id.label("client_id"),
            audit_log.c.action,
            audit_log.c.reason,
            audit_log.c.actor_id.label("user_id"),
            audit_log.c.device_id,
            audit_log.c.at,
        )
        .join(users, users.c.id == audit_log.c.actor_id)
        .where(
            users.c.team_id == q.team_id,
            audit_log.c.action.in_(SERVER_ACTIONS),
            audit_log.c.target_kind == "client",
        )
    )
    if q.client_id:
        query = query.where(audit_log.c.target_id == q.client_id)
    if q.since:
        query = query.where(audit_log.c.at >= q.since)
    if q.until:
        query = query.where(audit_log.c.at < q.until)
    rows = conn.execute(query.order_by(audit_log.c.at.desc()).limit(q.limit + 1))
    return [{**dict(r._mapping), "source": "server"} for r in rows]


def _client_name(values: dict[str, Any]) -> str:
    given = values.get("preferred_name") or values.get("given_name") or ""
    return f"{given} {values.get('family_name') or ''}".strip()


def entries(conn: Connection, q: Query) -> tuple[list[dict[str, Any]], bool]:
    """The entries matching `q`, newest first, and whether there were more than `q.limit`."""
    found = _device_events(conn, q) + _server_events(conn, q)
    found.sort(key=lambda e: (str(e["at"] or ""), e["source"]), reverse=True)
    more = len(found) > q.limit
    found = found[: q.limit]
    people = {
        r.id: r.display_name
        for r in conn.execute(sa.select(users.c.id, users.c.display_name).where(users.c.team_id == q.team_id))
    }
    device_ids = {e["device_id"] for e in found if e["device_id"]}
    names = {}
    if device_ids:
        query = sa.select(devices.c.id, devices.c.name).where(devices.c.id.in_(sorted(device_ids)))
        names = {r.id: r.name for r in conn.execute(query)}
    clients = store.load_many(conn, {e["client_id"] for e in found if e["client_id"]})
    for e in found:
        e["user_name"] = people.get(e["user_id"])
        e["device_name"] = names.get(e["device_id"])
        client = clients.get(e["client_id"] or "")
        ours = client is not None and client.kind == "client" and client.team_id == q.team_id
        e["client_name"] = _client_name(client.data) if ours and client else None
    return found, more
