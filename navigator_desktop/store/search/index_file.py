"""The index file's writes: one record's entry, and the transaction that replaces records' entries
and marks the batches they came in (``search_batches``, search migration 3).

Shared by the database worker's index (index.py) and the indexer process (indexer.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

CHUNK = 500
NEXT_DOCID = "next_docid"


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
    with transaction(conn):
        for chunk in entries if chunks else [entries]:
            _replace(conn, chunk)  # type: ignore[arg-type]
        mark(conn, batches)


@contextmanager
def transaction(conn: Any) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT on the index's connection, or ROLLBACK when the block raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
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
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
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
