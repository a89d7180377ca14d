"""The write path's half of live sync: tell every server process that a team's feed moved.

Called by ``FeedWriter.close`` (feed.py) inside the writing transaction, after the feed counter is
stored. ``pg_notify`` inside a transaction is delivered when, and only if, it commits, and in
commit order, which is feed order (the feed lock). SQLite has no notifications: the notifier polls.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

CHANNEL = "navigator_feed"


def payload(team_id: str, seq: int) -> str:
    return f"{team_id}:{seq}"


def parse(text: str) -> tuple[str, int] | None:
    """A notification's team and feed number, or None for anything else on the channel."""
    team_id, _, seq = text.rpartition(":")
    if not team_id or not seq.isdigit():
        return None
    return team_id, int(seq)


_NOTIFY = sa.select(sa.func.pg_notify(CHANNEL, sa.bindparam("payload", type_=sa.String)))  # built once


def announce(conn: Connection, latest: Mapping[str, int]) -> None:
    """`latest`: each team the transaction wrote feed entries for, and the last number it got."""
    if conn.dialect.name != "postgresql":
        return
    for team_id, seq in latest.items():
        conn.execute(_NOTIFY, {"payload": payload(team_id, seq)})
