"""Keeping the full-text index (its own file, search_db.py) current with the records.

Two ways in, one definition of what each kind contributes (``SEARCHABLE``):

* Every write the store makes is noted by the schema's triggers in ``search_queue``, in the
  write's own transaction. ``flush`` brings the index up to date with the queue, reading each
  queued record as it now stands. Search flushes before every query, and bulk loads and the
  retention purge flush when they finish, so what is found is always what is stored.
* A sync's apply writes pulled records by the tens of thousands and has their values in hand. It
  pauses the queue for those writes (``paused``), notes the batch in one ``search_pending`` row
  instead (``hand_over``), and once its transaction commits hands their text to the indexer
  process, which writes it while the apply goes on. ``flush`` first waits for the indexer; if it
  never got to a batch (the app stopped or locked part way through a large sync), every record is
  indexed again; then it indexes the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store import search_db
from navigator_desktop.store.db import Database
from navigator_desktop.store.search_db import Entry, write

log = logging.getLogger("navigator.search")


@dataclass(frozen=True)
class Source:
    """What one kind puts in the index: the index table, the fields whose values (joined by
    spaces) are the text, and whether a deleted record leaves the index."""

    table: str
    fields: tuple[str, ...]
    deletable: bool  # mutable kinds: a tombstone is not found

    def text(self, values: Mapping[str, Any]) -> str:
        if len(self.fields) == 1:  # the value itself, not a copy: a sync holds many at once
            return str(values.get(self.fields[0]) or "")
        return " ".join(str(values.get(name) or "") for name in self.fields)


SEARCHABLE: dict[str, Source] = {
    "client": Source("search_names", ("given_name", "family_name", "preferred_name"), True),
    "risk_flag": Source("search_text", ("description",), True),
    "support_goal": Source("search_text", ("goal",), True),
    "contact": Source("search_text", ("narrative",), False),
    "handover_note": Source("search_text", ("text",), False),
}
_CHUNK = 500
# A flush of many records (the first after an upgrade, a rebuild) writes the index in steps.
_FLUSH_STEP = 20_000


def entry(kind: str, record_id: str, values: Mapping[str, Any] | None, deleted: bool = False) -> Entry:
    """A record's place in the index from its stored values; None values: it is gone."""
    source = SEARCHABLE[kind]
    gone = values is None or (source.deletable and deleted)
    client_id = record_id if kind == "client" else (values or {}).get("client_id")
    return (kind, record_id, source.table, None if gone else source.text(values or {}), client_id)


# -- the sync's way in ---------------------------------------------------------------------------


@contextmanager
def paused(db: Database) -> Iterator[None]:
    """Inside a transaction: the triggers queue nothing for the writes in this block, whose
    records the caller hands over itself (hand_over) before the transaction ends."""
    if not db.in_transaction or db.in_savepoint:
        raise RuntimeError("the search queue is paused only in a transaction, outside savepoints")
    db.execute("INSERT INTO search_pause (id) VALUES (1)")
    try:
        yield
    finally:
        db.execute("DELETE FROM search_pause")


def hand_over(db: Database, entries: Sequence[Entry]) -> None:
    """Inside the transaction that wrote these records: note them in search_pending, and give
    them to the indexer once the transaction commits. All the records a transaction hands over
    go as one batch (an initial sync applies many pages in one transaction)."""
    if not entries:
        return
    if db.in_savepoint:  # a savepoint undone would leave its batch here and its row gone
        raise RuntimeError("records are handed to the index from a transaction, outside savepoints")
    scratch = db.scratch()
    batch: list[Entry] | None = scratch.get("search_batch")
    if batch is None:
        db.execute("INSERT INTO search_pending (records) VALUES (?)", (len(entries),))
        seq = int(db.scalar("SELECT last_insert_rowid()"))
        batch = scratch["search_batch"] = list(entries)
        scratch["search_seq"] = seq
        db.after_commit(lambda: db.search.submit(seq, batch))
    else:
        batch += entries
        db.execute("UPDATE search_pending SET records = ? WHERE seq = ?", (len(batch), scratch["search_seq"]))


# -- the queue's way in --------------------------------------------------------------------------


def pending(db: Database) -> int:
    """Records waiting to be indexed (queued, or pulled and not yet in)."""
    queued = int(db.scalar("SELECT count(*) FROM search_queue"))
    pulled = db.scalar("SELECT sum(records) FROM search_pending WHERE seq > ?", (db.search.pending_done(),))
    return queued + int(pulled or 0)


def flush(db: Database) -> int:
    """Bring the index up to date with the records; how many queued records were indexed. Not
    inside a transaction: the index must only ever hold what has committed."""
    if db.in_transaction:
        raise RuntimeError("flush the search index after the transaction, not inside it")
    index = db.search
    index.drain()
    done = index.pending_done()
    missed = db.scalar("SELECT max(seq) FROM search_pending WHERE seq > ?", (done,))
    if missed is not None:
        # Pulled records the indexer never wrote (the app stopped or locked part way through a
        # large sync): which records they were is not kept, so every record is indexed again.
        log.warning("the search index missed part of a sync; it is rebuilt from the records")
        _queue_everything(db)
        _clear(index.conn, pending_done=int(missed))
    queued = db.query("SELECT seq, kind, record_id FROM search_queue ORDER BY seq")
    if not queued:
        if done and db.scalar("SELECT 1 FROM search_pending LIMIT 1"):
            with db.transaction():
                db.execute("DELETE FROM search_pending WHERE seq <= ?", (index.pending_done(),))
        index.caught_up()
        return 0
    # Each record once, at its last place (document ids follow the order records were written).
    wanted: dict[tuple[str, str], None] = {}
    for row in queued:
        key = (row["kind"], row["record_id"])
        wanted.pop(key, None)
        wanted[key] = None
    targets = [key for key in wanted if key[0] in SEARCHABLE]
    for start in range(0, len(targets), _FLUSH_STEP):
        write(index.conn, _entries_now(db, targets[start : start + _FLUSH_STEP]))
    with db.transaction():
        db.execute("DELETE FROM search_queue WHERE seq <= ?", (queued[-1]["seq"],))
        db.execute("DELETE FROM search_pending WHERE seq <= ?", (index.pending_done(),))
    index.caught_up()
    return len(targets)


def rebuild(db: Database) -> None:
    """Index every searchable record afresh (e.g. after the index was found damaged)."""
    if db.in_transaction:
        raise RuntimeError("rebuild the search index after the transaction, not inside it")
    db.search.drain()
    _queue_everything(db)
    _clear(db.search.conn)
    flush(db)


def _clear(conn: Any, pending_done: int = 0) -> None:
    conn.execute("BEGIN IMMEDIATE")
    for table in ("search_names", "search_text", "search_docs"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "UPDATE search_state SET value = max(value, ?) WHERE name = ?", (pending_done, search_db.PENDING_DONE)
    )
    conn.execute("COMMIT")


def requeue_if_new(db: Database) -> None:
    """When the index file was made anew (missing, damaged, another vault's), queue every record
    for it: called as the store opens, before anything else can be written or pulled."""
    if db.search.rebuild_needed:
        _queue_everything(db)
        db.search.rebuild_needed = False


def _queue_everything(db: Database) -> None:
    with db.transaction():
        db.execute("DELETE FROM search_queue")
        parts = []
        for kind in SEARCHABLE:
            spec = kind_spec(kind)
            written = "updated_at" if spec.mutable else "recorded_at"
            parts.append(f"SELECT '{kind}' AS kind, id, {written} AS written FROM {spec.table}")
        db.execute(
            f"INSERT INTO search_queue (kind, record_id) SELECT kind, id FROM ({' UNION ALL '.join(parts)}) "
            "ORDER BY written, id"
        )


def _entries_now(db: Database, targets: Sequence[tuple[str, str]]) -> list[Entry]:
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
