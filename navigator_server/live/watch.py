"""A locked on-call laptop's narrow watch: a short-lived token whose only power is counts.

While unlocked, the laptop exchanges its device token for a **watch token** (``POST
/v1/watch-token``) and keeps it in memory only; while locked it asks ``GET /v1/watch`` how many of
its team's visits are overdue and how many urgent handover notes it has not acknowledged. The
answer holds two numbers and a time: no ids, no names, nothing about anyone.

The token is ``nvw_<device>.<expires>.<signature>``: HMAC-SHA256 with the store's own key (made at
random the first time, kept in ``server_secrets`` so every process shares it). The store keeps no
row per token; each use checks the signature, the expiry, and that the device is not revoked and
its user still active, so revoking the laptop ends its watch too. Its prefix is not the device
tokens' (``nvd_``), so every other endpoint refuses it as an unknown token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_server import store
from navigator_server.schema import devices, records, server_secrets, users

PREFIX = "nvw_"
KEY_NAME = "watch_signing_key"
OVERDUE = ("overdue", "escalated")
FOR_EVERYONE = ("on_call", "team")


@dataclass(frozen=True)
class Watcher:
    user_id: str
    team_id: str


def _key(conn: Connection) -> bytes:
    query = sa.select(server_secrets.c.value).where(server_secrets.c.name == KEY_NAME)
    row = conn.execute(query).first()
    if row is None:
        value = secrets.token_urlsafe(32)
        try:
            with conn.begin_nested():
                conn.execute(
                    server_secrets.insert().values(name=KEY_NAME, value=value, created_at=timeutil.now_text())
                )
        except sa.exc.IntegrityError:  # another process made it first
            row = conn.execute(query).first()
            assert row is not None
            value = row.value
        return str(value).encode()
    return str(row.value).encode()


def _sign(key: bytes, what: str) -> str:
    digest = hmac.new(key, ("watch:" + what).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue(conn: Connection, device_id: str, hours: float) -> tuple[str, str]:
    """A watch token for `device_id` and when it expires (in a writing transaction)."""
    expires = timeutil.utcnow() + timedelta(hours=hours)
    what = f"{device_id}.{int(expires.timestamp())}"
    return f"{PREFIX}{what}.{_sign(_key(conn), what)}", timeutil.to_text(expires)


def verify(conn: Connection, token: str) -> Watcher | None:
    """Whose watch `token` is, or None: forged, expired, or its device revoked or user gone."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    what, _, signature = token[len(PREFIX) :].rpartition(".")
    device_id, _, expires = what.partition(".")
    if not device_id or not expires.isdigit():
        return None
    row = conn.execute(sa.select(server_secrets.c.value).where(server_secrets.c.name == KEY_NAME)).first()
    if row is None or not hmac.compare_digest(_sign(str(row.value).encode(), what), signature):
        return None
    if int(expires) <= timeutil.utcnow().timestamp():
        return None
    found = conn.execute(
        sa.select(users.c.id, users.c.team_id, users.c.active, users.c.role, devices.c.revoked_at)
        .select_from(devices.join(users, users.c.id == devices.c.user_id))
        .where(devices.c.id == device_id)
    ).first()
    if found is None or found.revoked_at is not None or not found.active or found.role == "admin":
        return None
    return Watcher(str(found.id), str(found.team_id))


def counts(conn: Connection, who: Watcher) -> dict[str, int | str]:
    """The team's visits overdue now, and the urgent handover notes for on call, the team or this
    user that are valid now, that this user did not write and has not acknowledged."""
    now_text = timeutil.now_text()
    live = (records.c.team_id == who.team_id, records.c.deleted.is_(False))
    overdue = conn.execute(
        sa.select(sa.func.count())
        .select_from(records)
        .where(*live, records.c.kind == "visit", records.c.data["status"].as_string().in_(OVERDUE))
    ).scalar_one()
    notes = conn.execute(
        sa.select(records.c.id, records.c.data, records.c.meta).where(
            *live, records.c.kind == "handover_note", records.c.data["priority"].as_string() == "urgent"
        )
    ).all()
    now = timeutil.parse(now_text)
    urgent = {
        row.id
        for row in notes
        if _for_now(store.parse_doc(row.data), who.user_id, now) and _author(row.meta) != who.user_id
    }
    if urgent:
        acks = conn.execute(
            sa.select(records.c.data, records.c.meta).where(
                *live,
                records.c.kind == "acknowledgement",
                records.c.data["note_id"].as_string().in_(sorted(urgent)),
            )
        ).all()
        for ack in acks:
            if _author(ack.meta) == who.user_id:
                urgent.discard(store.parse_doc(ack.data).get("note_id"))
    return {"overdue_visits": int(overdue), "urgent_notes": len(urgent), "at": now_text}


def _author(meta: object) -> object:
    found = store.parse_doc(meta)
    return found.get("author_id") or found.get("created_by")


def _for_now(note: dict[str, object], user_id: str, now: datetime) -> bool:
    audience, named = note.get("audience"), note.get("for_user_id")
    if audience not in FOR_EVERYONE and named != user_id:
        return False
    try:
        starts = timeutil.parse(str(note.get("valid_from")))
        until = note.get("valid_until")
        ends = timeutil.parse(str(until)) if until else None
    except (ValueError, TypeError):
        return False
    return starts <= now and (ends is None or ends > now)
