"""Staff contact details for alerts: e-mail, mobile and the channels to try, in order.

Kept on the server beside the user (``staff_contacts``), set with the admin CLI and API, and never
written to a log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_server import accounts
from navigator_server.schema import staff_contacts, users

CHANNELS = ("email", "sms", "notify_email", "webhook")
DEFAULT_CHANNELS = ("email", "sms")
_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")
_MOBILE = re.compile(r"^\+?[0-9]{10,15}$")


@dataclass(frozen=True)
class Contact:
    user_id: str
    display_name: str
    email: str | None
    mobile: str | None
    channels: tuple[str, ...]


def parse_channels(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [n for n in names if n not in CHANNELS]
    if unknown or not names:
        raise accounts.AccountError(f"channels are a comma-separated list of {', '.join(CHANNELS)}")
    return names


def normal_mobile(text: str) -> str:
    digits = re.sub(r"[\s()-]", "", text)
    if not _MOBILE.match(digits):
        raise accounts.AccountError("a mobile number is 10 to 15 digits, optionally after +")
    return digits


def set_contact(
    conn: Connection,
    user_id: str,
    *,
    email: str | None,
    mobile: str | None,
    channels: str | None = None,
    actor_id: str | None = None,
) -> Contact:
    """Replace a user's contact details; None or "" clears a field."""
    if conn.execute(sa.select(users.c.id).where(users.c.id == user_id)).first() is None:
        raise accounts.AccountError("no such user")
    email = (email or "").strip() or None
    if email is not None and not _EMAIL.match(email):
        raise accounts.AccountError("that is not an e-mail address")
    phone = normal_mobile(mobile) if mobile and mobile.strip() else None
    order = parse_channels(channels) if channels else DEFAULT_CHANNELS
    values = {"email": email, "mobile": phone, "channels": ",".join(order), "updated_at": timeutil.now_text()}
    if conn.execute(sa.select(staff_contacts.c.user_id).where(staff_contacts.c.user_id == user_id)).first():
        conn.execute(staff_contacts.update().where(staff_contacts.c.user_id == user_id).values(**values))
    else:
        conn.execute(staff_contacts.insert().values(user_id=user_id, **values))
    accounts.audit(conn, "set_contact", actor_id=actor_id, target_kind="user", target_id=user_id)
    found = contacts_of(conn, [user_id])
    return found[user_id]


def contacts_of(conn: Connection, user_ids: list[str]) -> dict[str, Contact]:
    """Active users among `user_ids` with their contact details (none set: no address, default order)."""
    if not user_ids:
        return {}
    query = (
        sa.select(users.c.id, users.c.display_name, users.c.username, staff_contacts)
        .select_from(users.outerjoin(staff_contacts, staff_contacts.c.user_id == users.c.id))
        .where(users.c.id.in_(sorted(set(user_ids))), users.c.active.is_(True))
    )
    found: dict[str, Contact] = {}
    for row in conn.execute(query):
        order = tuple(row.channels.split(",")) if row.channels else DEFAULT_CHANNELS
        found[row.id] = Contact(row.id, row.display_name or row.username, row.email, row.mobile, order)
    return found
