"""Keeping the full-text index (its own file, index.py) current with the records.

Two ways in, one definition of what each kind contributes (``SEARCHABLE``):

* Every write the store makes is noted by the schema's triggers in ``search_queue``, in the
  write's own transaction. ``flush`` brings the index up to date with the queue, reading each
  queued record as it now stands. Search flushes before every query, and bulk loads and the
  retention purge flush when they finish, so what is found is always what is stored.
* A sync's apply writes pulled records by the tens of thousands and has their values in hand. It
  pauses the queue for those writes (``paused``), notes the batch in one ``search_pending`` row
  instead (``hand_over``), and once its transaction commits hands their text to the indexer
  process, which writes it while the apply goes on. ``flush`` first waits for the indexer; if a
  batch was never marked written (the app stopped, locked or was killed part way through a large
  sync), every record is indexed again; then it indexes the queue.

``compare`` sets the index beside the records, kind by kind (counts, and a checksum of the text
each record has in the index), and ``repair`` writes again what differs: what `check` runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store.db import Database
from navigator_desktop.store.search.index import index_of
from navigator_desktop.store.search.index_file import Entry, mark, transaction, write
from navigator_desktop.store.search.queue import SEARCHABLE, entry, queue_everything

log = logging.getLogger("navigator.search")

_CHUNK = 500
# A flush of many records (the first after an upgrade, a rebuild) writes the index in steps.
FLUSH_STEP = 20_000


def flush(db: Database) -> int:
    """Bring the index up to date with the records; how many queued records were indexed. Not
    inside a transaction: the index must only ever hold what has committed."""
    if db.in_transaction:
        raise RuntimeError("flush the search index after the transaction, not inside it")
    index = index_of(db)
    index.drain()
    batches = [int(seq) for seq in db.column("SELECT seq FROM search_pending ORDER BY seq")]
    if batches and len(index.marked(batches)) < len(batches):
        # Pulled records the indexer never wrote (the app stopped, locked or was killed part way
        # through a large sync): which records they were is not kept, so every record is
        # indexed again (the index is emptied and every batch marked, in one transaction).
        log.warning("the search index missed part of a sync; it is rebuilt from the records")
        queue_everything(db)
        _clear(index.conn, batches)
    queued = db.query("SELECT seq, kind, record_id FROM search_queue ORDER BY seq")
    if not queued:
        _forget_batches(db, batches)
        index.caught_up()
        return 0
    # Each record once, at its last place (document ids follow the order records were written).
    wanted: dict[tuple[str, str], None] = {}
    for row in queued:
        key = (row["kind"], row["record_id"])
        wanted.pop(key, None)
        wanted[key] = None
    targets = [key for key in wanted if key[0] in SEARCHABLE]
    for start in range(0, len(targets), FLUSH_STEP):
        write(index.conn, entries_now(db, targets[start : start + FLUSH_STEP]))
    with db.transaction():
        db.execute("DELETE FROM search_queue WHERE seq <= ?", (queued[-1]["seq"],))
    _forget_batches(db, batches)
    index.caught_up()
    return len(targets)


def _forget_batches(db: Database, batches: list[int]) -> None:
    """These batches are all written: their rows, then their marks, go (a mark left by a crash in
    between names a number never used again: AUTOINCREMENT)."""
    if not batches:
        return
    with db.transaction():
        db.execute("DELETE FROM search_pending WHERE seq <= ?", (batches[-1],))
    index_of(db).forget_marks(batches[-1])


def rebuild(db: Database) -> None:
    """Index every searchable record afresh (e.g. after the index was found damaged)."""
    if db.in_transaction:
        raise RuntimeError("rebuild the search index after the transaction, not inside it")
    index_of(db).drain()
    queue_everything(db)
    _clear(index_of(db).conn)
    flush(db)


def _clear(conn: Any, batches: Sequence[int] = ()) -> None:
    """Empty the index and mark `batches` written (their records are queued again)."""
    with transaction(conn):
        for table in ("search_names", "search_text", "search_docs"):
            conn.execute(f"DELETE FROM {table}")
        mark(conn, batches)


def entries_now(db: Database, targets: Sequence[tuple[str, str]]) -> list[Entry]:
    """The records' index entries as they are stored now (gone: not in the index)."""
    by_kind: dict[str, list[str]] = {}
    for kind, record_id in targets:
        by_kind.setdefault(kind, []).append(record_id)
    found: dict[tuple[str, str], Entry] = {}
    for kind, ids in by_kind.items():
        source = SEARCHABLE[kind]
        spec = kind_spec(kind)
        columns = ["id", *source.fields]
        if kind != "client":
            columns.append("client_id")
        if source.deletable:
            columns.append("deleted")
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for row in db.query(
                f"SELECT {', '.join(columns)} FROM {spec.table} WHERE id IN ({marks})", chunk
            ):
                found[(kind, row["id"])] = entry(kind, row["id"], row, bool(row.get("deleted")))
    return [found.get((kind, record_id)) or entry(kind, record_id, None) for kind, record_id in targets]
