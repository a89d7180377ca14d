"""Overdue visits, decided by the central store, so that it works while the navigator is offline.

A visit is **overdue** when it is planned or in progress, has no check-out, and its expected end
(the check-in plus the expected duration once checked in, else the planned start plus the expected
duration) is more than the grace period
(``NAVIGATOR_OVERDUE_GRACE_MINUTES``) in the past. The store marks it so as a change of its own:
the ``status`` field gets a clock stamp from the device ``server``, later than the status it
replaces, and goes into the change feed like a laptop's change. The on-call laptop sees it at its
next sync; the navigator's laptop, when it comes back.

**The merge rule.** "Overdue" is only the store's inference that no check-out has arrived. A
navigator may have checked out offline *before* the store marked the visit; their check-out then
arrives with an older stamp and would lose the status field to the mark (and the field-by-field
merge would record a conflict either way, since neither side saw the other). So after every push
that touches a visit, the store **withdraws its own inference**: a visit that has a check-out and
still says ``overdue`` is settled to ``completed`` with a new server stamp (later than any stamp
on the field, so every laptop converges on it), and the open conflicts between the store's mark
and the navigator's status are settled by a ``conflict_resolution`` entry authored by the store,
so nobody is asked to review a conflict that was never a disagreement between people. The same
holds for a visit the navigator **cancelled or completed** offline (the store's mark is withdrawn
in favour of their status) and for an **extension** (a later ``expected_minutes`` that puts the
expected end back in the future: the visit returns to in progress, or planned, and is watched
again). A status a *person* set (``escalated`` by the on-call worker) is never withdrawn: that
conflict is real.

**Where it runs.** ``sweep`` takes the feed lock first (feed.py) and only then reads what is due,
so several server processes sharing one PostgreSQL mark each visit once: the second waits for the
first to commit and then finds nothing left to do. It reads ``visit_watch``, a small indexed
table of open, not-checked-out visits kept by ``after_push`` in the push's own transaction, never
the whole record table. It runs periodically in each server process (``Sweeper.start``, from the
app's lifespan), at the start of a pull (throttled per process, and skipped after one indexed
look finds nothing due, so a pull pays almost nothing), and from ``navigator-server sweep-overdue``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import hlc, timeutil
from navigator_core.ops import Operation
from navigator_server import store
from navigator_server.db import Database
from navigator_server.feed import FeedWriter
from navigator_server.periodic import Periodic, Timer
from navigator_server.schema import conflicts, records, visit_watch
from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.overdue")

SERVER = store.SERVER  # the device (in clock stamps) and author (in meta) of the store's own changes
WATCHED = frozenset({"planned", "in_progress"})
OVERDUE, COMPLETED = "overdue", "completed"
ENDED = frozenset({COMPLETED, "cancelled"})  # a person's status that answers an overdue mark


def expected_end(values: dict[str, Any]) -> str | None:
    """When the visit should be over: the check-in (once checked in; else the planned start) plus
    the expected duration, as the navigator's own laptop counts it (store/visits.py), so both say
    "overdue" about the same moment, and a navigator who started late or early is not misjudged.
    None when the times cannot be read (such a visit is not watched)."""
    start = values.get("checked_in_at") or values.get("planned_start")
    minutes = values.get("expected_minutes")
    if not isinstance(start, str) or not isinstance(minutes, int) or isinstance(minutes, bool):
        return None
    try:
        return timeutil.to_text(timeutil.parse(start) + timedelta(minutes=max(minutes, 0)))
    except (ValueError, OverflowError):
        return None


def is_watched(stored: store.Stored) -> bool:
    data = stored.data
    return (
        stored.kind == "visit"
        and not stored.deleted
        and data.get("status") in WATCHED
        and not data.get("checked_out_at")
        and expected_end(data) is not None
    )


def server_stamp(after: str, now: datetime | None = None) -> str:
    """A stamp of the store's own, later than `after` (the stamp it replaces) and not behind now."""
    wall = int((now or timeutil.utcnow()).timestamp() * 1000)
    if after:
        prev = hlc.Stamp.parse(after)
        if prev.wall_ms >= wall:
            return str(hlc.Stamp(prev.wall_ms, prev.counter + 1, SERVER))
    return str(hlc.Stamp(wall, 0, SERVER))


def _watch(conn: Connection, stored: store.Stored) -> None:
    conn.execute(visit_watch.delete().where(visit_watch.c.visit_id == stored.id))
    if is_watched(stored):
        ends_at = expected_end(stored.data)
        conn.execute(
            visit_watch.insert().values(
                visit_id=stored.id, team_id=stored.team_id, client_id=stored.client_id, ends_at=ends_at
            )
        )


def rebuild_watch(conn: Connection) -> int:
    """Fill the watch table from the visits held (the migration that adds it calls this)."""
    conn.execute(visit_watch.delete())
    ids = [r.id for r in conn.execute(sa.select(records.c.id).where(records.c.kind == "visit"))]
    count = 0
    for stored in store.load_many(conn, ids).values():
        _watch(conn, stored)
        count += is_watched(stored)
    return count


def _set_status(conn: Connection, writer: FeedWriter, stored: store.Stored, status: str) -> store.Stored:
    stamp = server_stamp(stored.field_stamps.get("status", ""))
    data = {**stored.data, "status": status}
    stamps = {**stored.field_stamps, "status": stamp}
    meta = {**stored.meta, "updated_by": SERVER, "updated_at": timeutil.now_text()}
    seq = writer.append(stored.kind, stored.id, stored.team_id, stored.client_id)
    after = store.Stored(
        stored.id, stored.kind, stored.team_id, stored.client_id, data, stamps, meta, stored.deleted
    )
    store.update(conn, after, seq)
    return after


def _doc(value: Any) -> dict[str, Any]:
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return dict(value) if isinstance(value, dict) else {}


def _is_server_overdue(version: Any) -> bool:
    if not isinstance(version, dict) or version.get("value") != OVERDUE:
        return False
    try:
        return hlc.Stamp.parse(str(version.get("stamp"))).device == SERVER
    except hlc.ClockError:
        return False


def _open_status_conflicts(conn: Connection, record_id: str) -> list[Any]:
    return list(
        conn.execute(
            sa.select(conflicts).where(
                conflicts.c.record_id == record_id,
                conflicts.c.field == "status",
                conflicts.c.resolved_at.is_(None),
            )
        ).all()
    )


def _answered_status(conn: Connection, stored: store.Stored) -> str | None:
    """The status a person set that answers the store's overdue mark, or None: a check-out, or an
    open conflict in which the navigator's ``cancelled`` or ``completed`` lost to the mark (it was
    set offline and arrived after it)."""
    if stored.data.get("checked_out_at"):
        return COMPLETED
    for row in _open_status_conflicts(conn, stored.id):
        winner, loser = _doc(row.winner), _doc(row.loser)
        other = loser if _is_server_overdue(winner) else winner if _is_server_overdue(loser) else None
        if other is not None and other.get("value") in ENDED:
            return str(other["value"])
    return None


def _extended(stored: store.Stored, ops: list[Operation], now: datetime | None = None) -> bool:
    """Did this push extend the visit (a winning ``expected_minutes``, or a check-in, from a
    person) so that its expected end is in the future again?"""
    stamps = stored.field_stamps
    moved = any(
        name in op.changes and op.changes[name].stamp == stamps.get(name)
        for op in ops
        for name in ("expected_minutes", "checked_in_at")
    )
    end = expected_end(stored.data)
    return moved and end is not None and end > timeutil.to_text(now or timeutil.utcnow())


def _settle_conflicts(
    conn: Connection, writer: FeedWriter, stored: store.Stored, note: str = "Checked out"
) -> int:
    """Close the conflicts between the store's overdue mark and the navigator's own status."""
    rows = _open_status_conflicts(conn, stored.id)
    settled = 0
    now = timeutil.now_text()
    for row in rows:
        winner, loser = _doc(row.winner), _doc(row.loser)
        if not (_is_server_overdue(winner) or _is_server_overdue(loser)):
            continue
        choice = "take_other" if _is_server_overdue(winner) else "keep"
        store.resolve_conflict(conn, row.id, now, SERVER)
        entry = {
            "target_kind": "visit",
            "target_id": stored.id,
            "client_id": stored.client_id,
            "field": "status",
            "kept_stamp": str(winner.get("stamp")),
            "lost_stamp": str(loser.get("stamp")),
            "choice": choice,
            "note": f"{note}: the central store withdrew its overdue mark.",
        }
        store.store_entry(conn, writer, "conflict_resolution", stored.team_id, stored.client_id, entry)
        settled += 1
    return settled


def after_push(conn: Connection, writer: FeedWriter, parsed: Iterable[Any]) -> None:
    """Called by push.py, under the feed lock, in the push's transaction, after the batch: keep
    the watch table current for the visits it touched and withdraw overdue marks a check-out
    answered: a check-out, a cancellation or completion made offline, or an extension (the
    merge rule above). The watch entry is re-computed from the merged visit, so a push carrying
    ``checked_in_at`` or ``expected_minutes`` moves its due time."""
    ops: dict[str, list[Operation]] = {}
    for p in parsed:
        if isinstance(p, Operation) and p.kind == "visit":
            ops.setdefault(p.record_id, []).append(p)
    if not ops:
        return
    for stored in store.load_many(conn, ops).values():
        if stored.kind != "visit":
            continue
        if not stored.deleted:
            stored = _withdraw(conn, writer, stored, ops.get(stored.id, []))
        _watch(conn, stored)


def _withdraw(
    conn: Connection, writer: FeedWriter, stored: store.Stored, ops: list[Operation]
) -> store.Stored:
    """Withdraw the store's own overdue mark where a person's change answered it."""
    marked = stored.data.get("status") == OVERDUE
    answer = _answered_status(conn, stored)
    if answer is not None:
        if marked:
            stored = _set_status(conn, writer, stored, answer)
        note = "Checked out" if stored.data.get("checked_out_at") else f"Marked {answer}"
        _settle_conflicts(conn, writer, stored, note)
    elif marked and _extended(stored, ops):
        back = "in_progress" if stored.data.get("checked_in_at") else "planned"
        stored = _set_status(conn, writer, stored, back)
        _settle_conflicts(conn, writer, stored, "Visit extended")
    return stored


def cutoff(grace_minutes: float, now: datetime | None = None) -> str:
    return timeutil.to_text((now or timeutil.utcnow()) - timedelta(minutes=grace_minutes))


def anything_due(conn: Connection, grace_minutes: float, now: datetime | None = None) -> bool:
    """One indexed look, without the feed lock: is any watched visit past its end and grace?"""
    query = (
        sa.select(visit_watch.c.visit_id).where(visit_watch.c.ends_at <= cutoff(grace_minutes, now)).limit(1)
    )
    return conn.execute(query).first() is not None


OnMarked = Callable[[Connection, FeedWriter, store.Stored], None]


def sweep(
    conn: Connection, grace_minutes: float, now: datetime | None = None, on_marked: OnMarked | None = None
) -> list[str]:
    """Mark every visit due as overdue; the ids marked. Takes the feed lock *before* reading what
    is due, so a concurrent sweep in another process finds the work done (idempotent).
    `on_marked` is called for each visit marked, in this transaction (the escalation chain)."""
    writer = FeedWriter(conn)
    due = conn.execute(
        sa.select(visit_watch.c.visit_id).where(visit_watch.c.ends_at <= cutoff(grace_minutes, now))
    ).all()
    marked: list[str] = []
    found = store.load_many(conn, [r.visit_id for r in due])
    for row in due:
        stored = found.get(row.visit_id)
        conn.execute(visit_watch.delete().where(visit_watch.c.visit_id == row.visit_id))
        if stored is None or not is_watched(stored):
            continue  # changed since it was watched: nothing to mark
        stored = _set_status(conn, writer, stored, OVERDUE)
        if on_marked is not None:
            on_marked(conn, writer, stored)
        marked.append(stored.id)
    writer.close()
    if marked:
        log.info("overdue sweep marked %d visit(s)", len(marked))
    return marked


_TIMER = Timer("overdue-sweep", log, "periodic overdue sweep failed: %s", at_start=False, join_seconds=10)


class Sweeper(Periodic):
    """One server process's sweeps: on demand, throttled before pulls, and on a timer (every
    ``overdue_sweep_seconds`` from `start` until `stop`)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        super().__init__(settings.overdue_sweep_seconds, _TIMER)
        self.db = db
        self.settings = settings
        self._last = float("-inf")
        self._lock = threading.Lock()
        # Set by the app: start a visit's escalation chain as it is marked, then wake the sender.
        self.on_marked: OnMarked | None = None
        self.after_marked: Callable[[], None] | None = None

    def run(self) -> list[str]:
        """Sweep now, if anything is due (the look first, so an idle sweep never takes the lock)."""
        grace = self.settings.overdue_grace_minutes
        with self.db.read() as conn:
            if not anything_due(conn, grace):
                return []
        with self.db.write() as conn:
            marked = sweep(conn, grace, on_marked=self.on_marked)
        if marked and self.after_marked is not None:
            self.after_marked()
        return marked

    def before_pull(self) -> None:
        """At most once per throttle interval per process; a failure never fails the pull."""
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.settings.overdue_pull_throttle_seconds:
                return
            self._last = now
        try:
            self.run()
        except sa.exc.SQLAlchemyError as exc:
            log.warning("overdue sweep before a pull failed: %s", type(exc).__name__)

    def work(self) -> None:
        self.run()
