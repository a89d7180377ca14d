"""Acknowledgement links and short codes: signed, single use, expiring.

A link is ``{NAVIGATOR_PUBLIC_URL}/ack/{id}.{signature}``: `id` is 128 random bits and the
signature is HMAC-SHA256 over it with the store's own key, so a forged link is refused before the
database is asked. The store keeps only a hash of the id, with the chain it belongs to, who it was
sent to, when it expires and when it was used (once). An SMS also carries a short code (8
characters, 40 bits) to type on the ``/ack`` page; it is kept as an HMAC under the same key.

The key is made at random the first time one is needed and kept in ``server_secrets``, so every
server process sharing the database signs and checks with the same key.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_server.db import Database
from navigator_server.schema import ack_tokens, server_secrets

KEY_NAME = "ack_signing_key"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed on a phone
CODE_LENGTH = 8


class Check(enum.Enum):
    GOOD = "good"
    FORGED = "forged"  # malformed, or the signature does not match
    UNKNOWN = "unknown"  # well signed but not ours (another store's, or its chain was removed)
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Issued:
    token: str
    code: str


def ensure_key(db: Database) -> None:
    """Make the signing key if there is none (two processes racing: the second finds the first's)."""
    with db.read() as conn:
        if conn.execute(sa.select(server_secrets.c.name).where(server_secrets.c.name == KEY_NAME)).first():
            return
    try:
        with db.write() as conn:
            conn.execute(
                server_secrets.insert().values(
                    name=KEY_NAME, value=secrets.token_urlsafe(32), created_at=timeutil.now_text()
                )
            )
    except sa.exc.IntegrityError:
        pass


def _key(conn: Connection) -> bytes:
    row = conn.execute(sa.select(server_secrets.c.value).where(server_secrets.c.name == KEY_NAME)).first()
    if row is None:
        raise RuntimeError("the acknowledgement key is missing: tokens.ensure_key runs before any is issued")
    return str(row.value).encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _sign(key: bytes, what: str) -> str:
    return _b64(hmac.new(key, what.encode(), hashlib.sha256).digest())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normal_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def issue(conn: Connection, escalation_id: str, user_id: str | None, channel: str, hours: float) -> Issued:
    key = _key(conn)
    token_id = _b64(secrets.token_bytes(16))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = timeutil.utcnow()
    conn.execute(
        ack_tokens.insert().values(
            token_hash=_digest(token_id),
            code_hash=_sign(key, "code:" + code),
            escalation_id=escalation_id,
            user_id=user_id,
            channel=channel,
            created_at=timeutil.to_text(now),
            expires_at=timeutil.to_text(now + timedelta(hours=hours)),
        )
    )
    return Issued(f"{token_id}.{_sign(key, 'ack:' + token_id)}", code)


def _checked(row: Any) -> Check:
    if row is None:
        return Check.UNKNOWN
    if row.used_at is not None:
        return Check.USED
    if row.expires_at <= timeutil.now_text():
        return Check.EXPIRED
    return Check.GOOD


def find(conn: Connection, token: str) -> tuple[Check, Any]:
    """The token's row (locked for the caller's transaction) and whether it may be used now."""
    token_id, dot, signature = token.partition(".")
    if not dot or not token_id or len(token) > 200:
        return Check.FORGED, None
    if not hmac.compare_digest(_sign(_key(conn), "ack:" + token_id), signature):
        return Check.FORGED, None
    row = conn.execute(
        sa.select(ack_tokens).where(ack_tokens.c.token_hash == _digest(token_id)).with_for_update()
    ).first()
    return _checked(row), row


def find_code(conn: Connection, code: str) -> tuple[Check, Any]:
    code = normal_code(code)
    if len(code) != CODE_LENGTH:
        return Check.FORGED, None
    digest = _sign(_key(conn), "code:" + code)
    row = conn.execute(
        sa.select(ack_tokens).where(ack_tokens.c.code_hash == digest).with_for_update()
    ).first()
    return _checked(row), row


def use(conn: Connection, row: Any) -> bool:
    """Mark the token used; False when another request used it first (single use)."""
    done = conn.execute(
        ack_tokens.update()
        .where(ack_tokens.c.token_hash == row.token_hash, ack_tokens.c.used_at.is_(None))
        .values(used_at=timeutil.now_text())
    )
    return done.rowcount == 1
