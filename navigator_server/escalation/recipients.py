"""Who each step of a chain is for, looked up when the step is sent (so "on call" means whoever is
on call then).

- ``worker``: the visit's worker. ``buddy``: the visit's buddy, if one was named.
- ``on_call``: whoever the team's rota has on shift now; with nobody on the rota, the team's users
  with the on-call role.
- ``manager``: the team's managers.
- ``last_resort``: the address in ``NAVIGATOR_ESCALATION_LAST_RESORT_EMAIL`` and the webhook, if set.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_server import store
from navigator_server.escalation.contacts import Contact, contacts_of
from navigator_server.schema import rota, users
from navigator_server.settings import Settings

TARGETS = ("worker", "buddy", "on_call", "manager", "last_resort")
WORDS = {
    "worker": "the worker",
    "buddy": "the buddy",
    "on_call": "on call",
    "manager": "the manager",
    "last_resort": "the last-resort contact",
}
LAST_RESORT_NAME = "Last-resort contact"


@dataclass(frozen=True)
class Found:
    """A step's recipients, and those named by the step whom nothing can reach (for on call)."""

    reachable: list[Contact]
    unreachable: list[Contact]


def parse_targets(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [n for n in names if n not in TARGETS]
    if unknown or not names:
        raise ValueError(f"NAVIGATOR_ESCALATION_STEPS is a comma-separated list of {', '.join(TARGETS)}")
    return names


def _team_role(conn: Connection, team_id: str, role: Role) -> list[str]:
    query = sa.select(users.c.id).where(
        users.c.team_id == team_id, users.c.role == role.value, users.c.active.is_(True)
    )
    return [r.id for r in conn.execute(query.order_by(users.c.username))]


def on_call_now(conn: Connection, team_id: str) -> list[str]:
    now = timeutil.now_text()
    shift = conn.execute(
        sa.select(rota.c.user_id)
        .where(rota.c.team_id == team_id, rota.c.starts_at <= now, rota.c.ends_at > now)
        .order_by(rota.c.starts_at)
    ).all()
    if shift:
        return list(dict.fromkeys(r.user_id for r in shift))
    return _team_role(conn, team_id, Role.ON_CALL)


def user_ids_for(conn: Connection, target: str, visit: store.Stored) -> list[str]:
    if target == "worker":
        return [str(visit.data["worker_id"])] if visit.data.get("worker_id") else []
    if target == "buddy":
        return [str(visit.data["buddy_id"])] if visit.data.get("buddy_id") else []
    if target == "on_call":
        return on_call_now(conn, visit.team_id)
    if target == "manager":
        return _team_role(conn, visit.team_id, Role.MANAGER)
    return []


def reachable(contact: Contact, settings: Settings) -> bool:
    return any(address_for(contact, channel, settings) for channel in contact.channels)


def address_for(contact: Contact, channel: str, settings: Settings) -> str | None:
    """Where `channel` reaches this person, when the channel is configured; else None."""
    if channel == "email" and settings.smtp_host:
        return contact.email
    if channel == "sms" and settings.notify_api_key.get_secret_value() and settings.notify_sms_template_id:
        return contact.mobile
    if (
        channel == "notify_email"
        and settings.notify_api_key.get_secret_value()
        and settings.notify_email_template_id
    ):
        return contact.email
    if channel == "webhook" and settings.webhook_url:
        return contact.user_id or "last_resort"
    return None


def find(conn: Connection, target: str, visit: store.Stored, settings: Settings) -> Found:
    if target == "last_resort":
        email = settings.escalation_last_resort_email.strip() or None
        channels = ("email", "notify_email", "webhook")
        who = Contact("", LAST_RESORT_NAME, email, None, channels)
        # The webhook alone reaches the last resort too (a monitoring centre's system).
        return Found([who], []) if reachable(who, settings) else Found([], [who])
    ids = user_ids_for(conn, target, visit)
    found = contacts_of(conn, ids)
    people = [found[i] for i in ids if i in found]
    return Found(
        [p for p in people if reachable(p, settings)], [p for p in people if not reachable(p, settings)]
    )
