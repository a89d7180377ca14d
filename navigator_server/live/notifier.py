"""Each server process's half of live sync: wake the waiting requests of a team whose feed moved.

A waiting laptop is a coroutine parked on its team's ``asyncio.Event``: two hundred laptops cost two
hundred small objects and sockets, not threads. One task per process learns of new feed entries:

- PostgreSQL: one connection (psycopg 3, async) holds ``LISTEN navigator_feed``; every writing
  transaction of every process sends ``'<team>:<seq>'`` on commit (announce.py). The connection is
  checked every `KEEPALIVE` seconds and remade after a failure; once listening again, the teams
  that have waiters are read afresh from the feed (whatever committed meanwhile wakes them).
- SQLite: the feed counter (one row) is read every ``NAVIGATOR_LIVE_POLL_SECONDS``; when it moved,
  one grouped query over the new feed entries says which teams did.

Scope: a waiter is woken by any new entry in its **team's** feed, which is what ``/v1/changes``
reads from; the laptop then pulls, and the pull decides what of it the caller may hold (entries it
may not hold move its cursor on all the same, so it does not wake again for them). Deciding the
policy per waiter here would repeat, for every laptop woken, the work its pull does once.

A waiter first makes sure the task is listening, then reads its team's last feed number itself, and
only then waits: a change committed in between is either in that read or announced after it.
The notifier belongs to one event loop; a request on another loop (tests that start an app again)
starts it afresh there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from navigator_server.db import Database
from navigator_server.live.announce import CHANNEL, parse
from navigator_server.schema import changes, feed_counter
from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.live")

KEEPALIVE = 30.0  # seconds between checks that the LISTEN connection is alive
READY_WAIT = 5.0  # a waiter waits at most this long for the listener before relying on its timeout
MAX_RETRY = 10.0  # seconds between attempts to listen again after a failure


def team_latest(conn: Connection, team_id: str) -> int:
    """The team's last feed number (0 when it has none): one index lookup."""
    found = conn.execute(sa.select(sa.func.max(changes.c.seq)).where(changes.c.team_id == team_id)).scalar()
    return int(found or 0)


def teams_latest(conn: Connection, team_ids: list[str]) -> dict[str, int]:
    query = (
        sa.select(changes.c.team_id, sa.func.max(changes.c.seq))
        .where(changes.c.team_id.in_(team_ids))
        .group_by(changes.c.team_id)
    )
    return {str(team): int(seq) for team, seq in conn.execute(query)}


def moved_since(conn: Connection, seen: int) -> tuple[int, dict[str, int]]:
    """The feed counter, and each team with entries after `seen` and its last one (none when
    `seen` is negative: a first look)."""
    counter = int(conn.execute(sa.select(feed_counter.c.last_seq).where(feed_counter.c.id == 1)).scalar_one())
    if counter <= seen or seen < 0:
        return counter, {}
    query = (
        sa.select(changes.c.team_id, sa.func.max(changes.c.seq))
        .where(changes.c.seq > seen)
        .group_by(changes.c.team_id)
    )
    return counter, {str(team): int(seq) for team, seq in conn.execute(query)}


def listen_url(settings: Settings) -> str:
    """The libpq form of the database URL (psycopg connects directly, not through SQLAlchemy)."""
    return settings.sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


class FeedNotifier:
    def __init__(self, db: Database, settings: Settings):
        self.db = db
        self.settings = settings
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._events: dict[str, asyncio.Event] = {}
        self._latest: dict[str, int] = {}  # teams' last feed numbers heard of
        self.waiting = 0  # requests parked now (for tests and the benchmark)

    # -- waiting -------------------------------------------------------------------------------

    async def wait(self, team_id: str, since: int, timeout: float) -> int | None:
        """The team's last feed number as soon as it is beyond `since`; None after `timeout`."""
        await self._started()
        deadline = time.monotonic() + timeout
        event = self._event(team_id)
        latest = await run_in_threadpool(self._read, team_id)
        self._heard(team_id, latest, wake=False)
        while latest <= since:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.waiting += 1
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return None
            finally:
                self.waiting -= 1
            event = self._event(team_id)
            latest = self._latest.get(team_id, 0)
        return latest

    def _read(self, team_id: str) -> int:
        with self.db.read() as conn:
            return team_latest(conn, team_id)

    def _event(self, team_id: str) -> asyncio.Event:
        event = self._events.get(team_id)
        if event is None:
            event = self._events[team_id] = asyncio.Event()
        return event

    def _heard(self, team_id: str, seq: int, *, wake: bool = True) -> None:
        if seq > self._latest.get(team_id, 0):
            self._latest[team_id] = seq
        if wake:
            event = self._events.pop(team_id, None)
            if event is not None:
                event.set()  # its waiters look at _latest; later waiters take a new event

    # -- the task that listens -----------------------------------------------------------------

    async def _started(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            self._loop = loop
            self._ready = asyncio.Event()
            self._events.clear()
            self._latest.clear()
            run = self._poll if self.db.is_sqlite else self._listen
            self._task = loop.create_task(run(), name="navigator-live-feed")
        if not self._ready.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), READY_WAIT)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _poll(self) -> None:
        seen = -1  # the first look only finds where the feed stands
        while True:
            try:
                counter, moved = await run_in_threadpool(self._moved, seen)
                seen = counter
                self._ready.set()
                for team_id, seq in moved.items():
                    self._heard(team_id, seq)
            except sa.exc.SQLAlchemyError as exc:
                log.warning("live sync could not read the feed: %s", type(exc).__name__)
            await asyncio.sleep(self.settings.live_poll_seconds)

    def _moved(self, seen: int) -> tuple[int, dict[str, int]]:
        with self.db.read() as conn:
            return moved_since(conn, seen)

    async def _listen(self) -> None:
        retry = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    listen_url(self.settings), autocommit=True, connect_timeout=10
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    await self._catch_up()
                    self._ready.set()
                    retry = 0.5
                    while True:
                        async for note in conn.notifies(timeout=KEEPALIVE):
                            found = parse(note.payload)
                            if found is not None:
                                self._heard(*found)
                        await conn.execute("SELECT 1")  # raises if the connection died quietly
            except (psycopg.Error, OSError, sa.exc.SQLAlchemyError) as exc:
                log.warning("live sync lost its LISTEN connection (%s); retrying", type(exc).__name__)
                self._ready.set()  # waiters go on; their timeout answers them meanwhile
                await asyncio.sleep(retry)
                retry = min(retry * 2, MAX_RETRY)

    async def _catch_up(self) -> None:
        """After (re)connecting: wake the teams with waiters whose feed moved while nobody listened."""
        teams = list(self._events)
        if not teams:
            return

        def read() -> dict[str, int]:
            with self.db.read() as conn:
                return teams_latest(conn, teams)

        for team_id, seq in (await run_in_threadpool(read)).items():
            self._heard(team_id, seq)
