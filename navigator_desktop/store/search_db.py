"""The full-text index's own database, and the process that writes pulled records into it.

The index lives in ``navigator-search.db`` (migration 6 moved it out of the records' database),
encrypted with the same data key. The database worker searches it and flushes the queue into it
through its own connection (search_index.py). A sync's apply hands each committed page's records
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

A store opened without a file of its own (tests, tools) gets an index in memory, written inline.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from navigator_desktop.vault.connection import SEARCH_CACHE_MIB

log = logging.getLogger("navigator.search")

# Batches smaller than this are written on the spot (an incremental sync's few records), unless
# the indexer process still has work in hand (the order of writes must be kept).
INLINE_MAX = 2_000
_CHUNK = 500
NEXT_DOCID = "next_docid"
REQUEUE = "requeue"  # set by search migration 3: every record is indexed again once


# One record's place in the index: (kind, record id, index table (search_names or search_text),
# its text or None when it must not be found (deleted, gone from this laptop), client id). A plain
# tuple: hundreds of thousands are made, and sent to the indexer, on an initial sync.
Entry = tuple[str, str, str, str | None, str | None]


def write(
    conn: Any,
    entries: Sequence[Entry] | Iterable[Sequence[Entry]],
    batches: Iterable[int] = (),
    *,
    chunks: bool = False,
) -> None:
    """Replace these records' documents (in `conn`'s database) and mark `batches` (search_pending
    numbers) as written, in one transaction. With `chunks`, `entries` is an iterable of lists of
    entries, taken one at a time (the indexer decodes each as it goes)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for chunk in entries if chunks else [entries]:
            _replace(conn, chunk)  # type: ignore[arg-type]
        mark(conn, batches)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def mark(conn: Any, batches: Iterable[int]) -> None:
    """Inside the caller's transaction: these batches are written."""
    conn.executemany("INSERT OR IGNORE INTO search_batches (seq) VALUES (?)", [(seq,) for seq in batches])


def _replace(conn: Any, given: Sequence[Entry]) -> None:
    # A record pulled twice in one batch (it changed again further on in the feed) counts once,
    # at its last place.
    last: dict[str, Entry] = {}
    for entry in given:
        last.pop(entry[1], None)
        last[entry[1]] = entry
    entries = list(last.values())
    ids = list(last)
    old: list[tuple[int, str]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        old += conn.execute(
            f"SELECT docid, record_id FROM search_docs WHERE record_id IN ({marks})", chunk
        ).fetchall()
    if old:
        table_of = {record_id: table for _, record_id, table, _, _ in entries}
        for table in ("search_names", "search_text"):
            gone = [(docid,) for docid, record_id in old if table_of[record_id] == table]
            conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", gone)
        conn.executemany(
            "DELETE FROM search_docs WHERE record_id = ?", [(record_id,) for _, record_id in old]
        )
    kept = [e for e in entries if e[3] is not None]
    if not kept:
        return
    first = int(conn.execute("SELECT value FROM search_state WHERE name = ?", (NEXT_DOCID,)).fetchone()[0])
    conn.execute("UPDATE search_state SET value = ? WHERE name = ?", (first + len(kept), NEXT_DOCID))
    conn.executemany(
        "INSERT INTO search_docs (record_id, docid) VALUES (?, ?)",
        [(e[1], first + i) for i, e in enumerate(kept)],
    )
    for table, column in (("search_names", "names"), ("search_text", "body")):
        # In rowid order: FTS5 writes out its pending terms whenever a rowid goes backwards.
        rows = [
            (first + i, text, kind, record_id, client_id)
            for i, (kind, record_id, index_table, text, client_id) in enumerate(kept)
            if index_table == table
        ]
        if rows:
            conn.executemany(
                f"INSERT INTO {table} (rowid, {column}, kind, record_id, client_id) VALUES (?, ?, ?, ?, ?)",
                rows,
            )


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
        from navigator_desktop.store.indexer import IndexerProcess

        self.conn = conn
        # Made anew while records may exist: everything must be indexed into it again.
        self.rebuild_needed = fresh or self._state(REQUEUE) == 1
        self._indexer = IndexerProcess(path, key, cache_mib) if path is not None else None
        self._failed = False  # the indexer failed: nothing more goes to it until a flush caught up

    @classmethod
    def in_memory(cls) -> SearchIndex:
        from navigator_desktop.vault.migrate import migrate
        from navigator_desktop.vault.migrations import SEARCH_MIGRATIONS

        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        migrate(conn, SEARCH_MIGRATIONS)
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
        for start in range(0, len(batches), _CHUNK):
            chunk = list(batches[start : start + _CHUNK])
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
