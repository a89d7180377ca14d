"""The full-text index's own database: its connection, beside the records' (the Session holds
both), and the indexer process that writes pulled records into it.

The index lives in ``navigator-search.db`` (migration 6 moved it out of the records' database),
encrypted with the same data key. The database worker searches it and flushes the queue into it
through its own connection (writer.py). A sync's apply hands each committed page's records
to ``submit``: a few are written there and then; a large pull goes to an indexer process
(indexer.py) that writes while the database worker applies the next pages. On a team's initial
sync the index is half the work, and in a process of its own it runs beside the records on the
other core (a thread would share the records' interpreter lock with them, and did: it gained
almost nothing).

Nothing is lost if the indexer does not get there (a crash, a lock, a sync killed part way): the
apply also wrote, in the records' own transaction, a ``search_pending`` row naming the batch it
handed over, and this file marks each batch it has written (``search_batches``), in the
transaction that writes the batch's entries. The next flush finds every batch that has a row and
no mark, and indexes the records again from the records themselves. (One high-water mark, as
before, could not tell a batch a killed sync never handed over from those below a later batch.)
Before it reads the queue, a flush waits for the indexer to finish (``drain``), so a person's
later edit is always indexed after the pulled version it replaced.

The store's functions take the records' ``Database`` only; ``index_of`` finds the index the
session attached beside it (``attach``). A store opened without a file of its own (tests, tools)
gets an index in memory, written inline.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from navigator_desktop.store.db import PLAIN_PRAGMAS, Database
from navigator_desktop.store.search.index_file import CHUNK, Entry, write
from navigator_desktop.store.search.indexer import IndexerProcess
from navigator_desktop.vault import migrate
from navigator_desktop.vault.connection import SEARCH_CACHE_MIB
from navigator_desktop.vault.migrations import SEARCH_MIGRATIONS

log = logging.getLogger("navigator.search")

# Batches smaller than this are written on the spot (an incremental sync's few records), unless
# the indexer process still has work in hand (the order of writes must be kept).
INLINE_MAX = 2_000
REQUEUE = "requeue"  # set by search migration 3: every record is indexed again once

_BESIDE: weakref.WeakKeyDictionary[Database, SearchIndex] = weakref.WeakKeyDictionary()


class SearchIndex:
    """The index's connection (the database worker's) and, for a file, its indexer process.

    `path` and `key` say how the indexer opens the file (key None: a plain file, for tests and
    the benchmark's unencrypted twin); without a path every batch is written inline."""

    def __init__(
        self,
        conn: Any,
        *,
        path: Path | None = None,
        key: bytes | None = None,
        cache_mib: int = SEARCH_CACHE_MIB,
        fresh: bool = False,
    ) -> None:
        self.conn = conn
        # Made anew while records may exist: everything must be indexed into it again.
        self.rebuild_needed = fresh or self._state(REQUEUE) == 1
        self._indexer = IndexerProcess(path, key, cache_mib) if path is not None else None
        self._failed = False  # the indexer failed: nothing more goes to it until a flush caught up

    @classmethod
    def in_memory(cls) -> SearchIndex:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        migrate.migrate(conn, SEARCH_MIGRATIONS)
        return cls(conn)

    def submit(self, pending_seq: int, entries: list[Entry]) -> None:
        """Index `entries`, committed in the records' database with search_pending `pending_seq`."""
        indexer = self._indexer
        if self._failed:
            return  # the next flush indexes them from the records
        if indexer is not None and indexer.dead:
            # What it lost is below this batch: writing this one here would mark those done.
            log.warning("the search indexer stopped; the next search catches up from the records")
            self._failed = True
            return
        if indexer is None or (len(entries) < INLINE_MAX and indexer.idle()):
            write(self.conn, entries, [pending_seq])
            return
        if not indexer.send(pending_seq, entries):
            log.warning("the search indexer stopped; the next search catches up from the records")
            self._failed = True

    def drain(self, timeout: float = 120.0) -> bool:
        """Wait until the indexer has written everything submitted; False if it failed or did not
        finish within `timeout` (it is then ended, and the flush indexes from the records)."""
        if self._indexer is None:
            return True
        if not self._indexer.drain(timeout):
            self._failed = True
            return False
        return True

    def caught_up(self) -> None:
        """A flush has indexed everything pending: the indexer may be given work again (a new
        process, if the last one failed)."""
        self._failed = False
        if self._indexer is not None:
            self._indexer.restart_if_dead()

    def marked(self, batches: Sequence[int]) -> set[int]:
        """Which of these search_pending numbers (in the records' database) are written here."""
        found: set[int] = set()
        for start in range(0, len(batches), CHUNK):
            chunk = list(batches[start : start + CHUNK])
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT seq FROM search_batches WHERE seq IN ({marks})", chunk)
            found.update(int(row[0]) for row in rows)
        return found

    def forget_marks(self, upto: int) -> None:
        """The records' database no longer names batches up to `upto`: their marks can go."""
        self.conn.execute("DELETE FROM search_batches WHERE seq <= ?", (upto,))

    def requeued(self) -> None:
        """Every record was queued for the index again (see rebuild_needed)."""
        self.rebuild_needed = False
        self.conn.execute("DELETE FROM search_state WHERE name = ?", (REQUEUE,))

    def _state(self, name: str) -> int | None:
        row = self.conn.execute("SELECT value FROM search_state WHERE name = ?", (name,)).fetchone()
        return None if row is None else int(row[0])

    def close(self) -> None:
        """Stop the indexer (what it has not written, the next flush indexes) and close the
        connection, checkpointed."""
        if self._indexer is not None:
            self._indexer.stop()
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:
            log.warning("search index checkpoint failed while closing", exc_info=True)
        self.conn.close()


def attach(db: Database, index: SearchIndex) -> Database:
    """`index` is the search index beside `db` (the session's, or a plain file's): the store's
    functions find it with index_of, and it closes before the records do. `db` itself knows
    nothing of it."""
    _BESIDE[db] = index
    db.on_close(index.close)
    return db


def index_of(db: Database) -> SearchIndex:
    """The search index beside `db`; one in memory, made on first use, when none was attached."""
    index = _BESIDE.get(db)
    if index is None:
        index = _BESIDE[db] = SearchIndex.in_memory()
    return index


def plain_path(records_path: Path) -> Path:
    return records_path.with_name(f"{records_path.stem}-search.db")


def open_plain(records_path: Path) -> SearchIndex:
    """An unencrypted index file beside an unencrypted records file (tests, the benchmark)."""
    path = plain_path(records_path)
    fresh = not path.exists()
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in PLAIN_PRAGMAS:
        conn.execute(pragma)
    migrate.migrate(conn, migrations=SEARCH_MIGRATIONS)
    return SearchIndex(conn, path=path, fresh=fresh)
