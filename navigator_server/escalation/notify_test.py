"""``navigator-server notify-test --user U``: a test message through each channel configured for
the user, and what each channel said. Nothing about any visit or client is in it."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from navigator_server import accounts
from navigator_server.escalation import recipients
from navigator_server.escalation.channels import Channel, ChannelError, build
from navigator_server.escalation.contacts import contacts_of
from navigator_server.escalation.messages import Message
from navigator_server.settings import Settings

TEST_MESSAGE = Message(
    "Navigator test alert: no action needed",
    "This is a test of Navigator's lone-working alerts. No action is needed.",
    "(no link in a test)",
    "TEST",
    False,
    "V-TEST",
)


def run(
    conn: Connection, settings: Settings, username: str, channels: dict[str, Channel] | None = None
) -> list[tuple[str, str]]:
    """(channel, result) for each of the user's channels, in their order."""
    user = accounts.user_by_name(conn, username)
    if user is None:
        raise accounts.AccountError("no such user")
    contact = contacts_of(conn, [user.id]).get(user.id)
    if contact is None:
        raise accounts.AccountError("that user is not active")
    channels = channels or build(settings)
    results: list[tuple[str, str]] = []
    for name in contact.channels:
        address = recipients.address_for(contact, name, settings)
        if not address:
            results.append((name, "not configured, or no address for this user"))
            continue
        try:
            channels[name].send(TEST_MESSAGE, address)
        except ChannelError as exc:
            results.append((name, f"FAILED: {exc}"))
        else:
            results.append((name, "accepted"))
    return results
