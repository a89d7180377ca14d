"""What the escalation chain did, written as ``visit_escalation`` entries authored by the store.

They are written as overdue.py writes the store's own changes (``store.store_entry``): author
and device ``server``, a place in the change feed taken under the feed lock, in the caller's
transaction. So On call on every laptop shows who was told, by which channel, when, and who
answered, with no screen of its own. The notes name staff and channels only, never anything about the client.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_server import store
from navigator_server.feed import FeedWriter
from navigator_server.schema import records

SOS_RAISED = "sos_raised"
NOTIFIED = "notified"
FAILED = "notification_failed"
ACKNOWLEDGED = "acknowledged_by_link"
STOPPED = "alerts_stopped"

NOTES_MAX = 1000


def record(
    conn: Connection, visit: store.Stored, step: str, notes: str, writer: FeedWriter | None = None
) -> str:
    """One entry about `visit`; takes the feed lock unless the caller holds a writer already."""
    own = writer is None
    feed = writer or FeedWriter(conn)
    data = {
        "client_id": visit.data.get("client_id") or visit.client_id,
        "visit_id": visit.id,
        "step": step,
        "occurred_at": timeutil.now_text(),
        "notes": notes[:NOTES_MAX],
    }
    entry_id = store.store_entry(conn, feed, "visit_escalation", visit.team_id, visit.client_id, data)
    if own:
        feed.close()
    return entry_id


def of_visit(conn: Connection, visit_id: str) -> list[dict[str, object]]:
    """The visit's escalation entries (the store's and people's), oldest first."""
    rows = conn.execute(
        sa.select(records.c.id)
        .where(records.c.kind == "visit_escalation", records.c.data["visit_id"].as_string() == visit_id)
        .order_by(records.c.created_seq)
    ).all()
    found = store.load_many(conn, [r.id for r in rows])
    return [dict(found[r.id].data, author_id=found[r.id].author_id) for r in rows if r.id in found]
