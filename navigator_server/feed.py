"""The change feed: every committed change gets a place, and a reader's cursor never skips one.

A sequence number taken when a row is inserted can commit after a higher one; a reader that saw
the higher one and moved its cursor past would never see the lower. So sequence numbers are
handed out under the feed lock: the single ``feed_counter`` row, updated first thing in every
writing transaction and held until it commits. The next writer waits on that row, so numbers are
assigned in commit order on PostgreSQL and SQLite alike, with the same SQL, and several server
processes may share one database. The cost is that pushes are serialised, which a team's volume
of writes (a few per worker per minute) does not notice; it also makes each push's
read-merge-write of a record safe without further locking.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import timeutil
from navigator_server.live.announce import announce
from navigator_server.schema import changes, feed_counter

# The lock (an update that changes nothing, returning the number) and the store of the last number
# handed out, built once: every push runs both.
_LOCK = (
    feed_counter.update()
    .where(feed_counter.c.id == 1)
    .values(last_seq=feed_counter.c.last_seq)
    .returning(feed_counter.c.last_seq)
)
_STORE_LAST = feed_counter.update().where(feed_counter.c.id == 1).values(last_seq=sa.bindparam("last"))


class FeedWriter:
    """Takes the feed lock on creation; hands out sequence numbers until the transaction ends."""

    def __init__(self, conn: Connection, *, buffered: bool = False):
        self.conn = conn
        # Buffered: the feed rows are written together (one executemany) by flush() or close(),
        # still inside the transaction that holds the lock. Nothing may read the feed before then.
        self.buffered = buffered
        self._pending: list[dict[str, object]] = []
        self._last = conn.execute(_LOCK).scalar_one()
        self._start = self._last
        self._teams: dict[str, int] = {}  # each team's last number here, announced at close (live/)

    def next_seq(self) -> int:
        self._last += 1
        return int(self._last)

    def append(
        self, kind: str, record_id: str, team_id: str, client_id: str | None, op_id: str | None = None
    ) -> int:
        seq = self.next_seq()
        self._teams[team_id] = seq
        row = {
            "seq": seq,
            "kind": kind,
            "record_id": record_id,
            "team_id": team_id,
            "client_id": client_id,
            "op_id": op_id,
            "at": timeutil.now_text(),
        }
        if self.buffered:
            self._pending.append(row)
        else:
            self.conn.execute(changes.insert().values(**row))
        return seq

    def flush(self) -> None:
        if self._pending:
            self.conn.execute(changes.insert(), self._pending)
            self._pending = []

    def close(self) -> None:
        """Store the last number handed out; call before the transaction commits."""
        self.flush()
        if self._last != self._start:
            self.conn.execute(_STORE_LAST, {"last": self._last})
            announce(self.conn, self._teams)


def last_seq(conn: Connection) -> int:
    return int(conn.execute(sa.select(feed_counter.c.last_seq).where(feed_counter.c.id == 1)).scalar_one())
