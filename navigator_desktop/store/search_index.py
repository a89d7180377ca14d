"""Keeping the full-text index (its own file, search_db.py) current with the records.

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

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson

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
    batches = {int(r["seq"]): int(r["records"]) for r in db.query("SELECT seq, records FROM search_pending")}
    written = db.search.marked(list(batches))
    return queued + sum(n for seq, n in batches.items() if seq not in written)


def flush(db: Database) -> int:
    """Bring the index up to date with the records; how many queued records were indexed. Not
    inside a transaction: the index must only ever hold what has committed."""
    if db.in_transaction:
        raise RuntimeError("flush the search index after the transaction, not inside it")
    index = db.search
    index.drain()
    batches = [int(seq) for seq in db.column("SELECT seq FROM search_pending ORDER BY seq")]
    if batches and len(index.marked(batches)) < len(batches):
        # Pulled records the indexer never wrote (the app stopped, locked or was killed part way
        # through a large sync): which records they were is not kept, so every record is
        # indexed again (the index is emptied and every batch marked, in one transaction).
        log.warning("the search index missed part of a sync; it is rebuilt from the records")
        _queue_everything(db)
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
    for start in range(0, len(targets), _FLUSH_STEP):
        write(index.conn, _entries_now(db, targets[start : start + _FLUSH_STEP]))
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
    db.search.forget_marks(batches[-1])


def rebuild(db: Database) -> None:
    """Index every searchable record afresh (e.g. after the index was found damaged)."""
    if db.in_transaction:
        raise RuntimeError("rebuild the search index after the transaction, not inside it")
    db.search.drain()
    _queue_everything(db)
    _clear(db.search.conn)
    flush(db)


def _clear(conn: Any, batches: Sequence[int] = ()) -> None:
    """Empty the index and mark `batches` written (their records are queued again)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in ("search_names", "search_text", "search_docs"):
            conn.execute(f"DELETE FROM {table}")
        search_db.mark(conn, batches)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def requeue_if_new(db: Database) -> None:
    """When the index file was made anew (missing, damaged, another vault's), queue every record
    for it: called as the store opens, before anything else can be written or pulled."""
    if db.search.rebuild_needed:
        _queue_everything(db)
        db.search.requeued()


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


# -- comparing with the records (check) ----------------------------------------------------------


@dataclass(frozen=True)
class KindCheck:
    """One kind's records beside its index entries: how many of each, a checksum of the text each
    side holds, and which records differ."""

    kind: str
    records: int  # records that should be found
    indexed: int  # index entries of this kind
    records_digest: str
    indexed_digest: str
    missing: int  # should be found and are not
    stale: int  # found with other text (or another client) than the record has
    extra: int  # entries for records that are gone, deleted, or in the index twice
    differing: tuple[str, ...] = ()  # the records to write again
    orphans: tuple[tuple[str, int], ...] = ()  # (table, rowid) of entries no document owns

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def compare(db: Database) -> list[KindCheck]:
    """Set the index beside the records, kind by kind (read only; flush first to compare what has
    committed and been handed over)."""
    docs = dict(db.search.conn.execute("SELECT record_id, docid FROM search_docs").fetchall())
    checks = []
    for kind, source in SEARCHABLE.items():
        ids = db.column(f"SELECT id FROM {kind_spec(kind).table}")
        wanted = {e[1]: (e[3], e[4]) for e in _entries_now(db, [(kind, i) for i in ids]) if e[3] is not None}
        held: dict[str, tuple[str | None, str | None]] = {}
        twice: set[str] = set()
        orphans: list[tuple[str, int]] = []
        rows = db.search.conn.execute(
            f"SELECT rowid, record_id, {'names' if source.table == 'search_names' else 'body'}, client_id "
            f"FROM {source.table} WHERE kind = ?",
            (kind,),
        )
        for rowid, record_id, text, client_id in rows:
            if docs.get(record_id) != rowid:
                orphans.append((source.table, rowid))
                twice.add(record_id)
            else:
                held[record_id] = (text, client_id)
        missing = wanted.keys() - held.keys()
        stale = {i for i in wanted.keys() & held.keys() if wanted[i] != held[i]}
        extra = (held.keys() - wanted.keys()) | (twice - missing - stale)
        checks.append(
            KindCheck(
                kind,
                records=len(wanted),
                indexed=len(held) + len(orphans),
                records_digest=_digest(wanted),
                indexed_digest=_digest(held, orphans),
                missing=len(missing),
                stale=len(stale),
                extra=len(extra),
                differing=tuple(sorted(missing | stale | extra)),
                orphans=tuple(orphans),
            )
        )
    return checks


def repair(db: Database) -> list[KindCheck]:
    """Write again every record whose entry differs from the record (and drop entries no
    document owns); what differed, kind by kind (those that did)."""
    flush(db)
    differed = [c for c in compare(db) if not c.ok]
    conn = db.search.conn
    for check in differed:
        if check.orphans:
            conn.execute("BEGIN IMMEDIATE")
            for table, rowid in check.orphans:
                conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            conn.execute("COMMIT")
        targets = [(check.kind, record_id) for record_id in check.differing]
        for start in range(0, len(targets), _FLUSH_STEP):
            write(conn, _entries_now(db, targets[start : start + _FLUSH_STEP]))
    return differed


def _digest(
    entries: Mapping[str, tuple[str | None, str | None]], orphans: Sequence[tuple[str, int]] = ()
) -> str:
    """A checksum of (record, text, client) over the entries, in record order."""
    digest = hashlib.sha256()
    for record_id in sorted(entries):
        text, client_id = entries[record_id]
        digest.update(orjson.dumps([record_id, text, client_id]))
    digest.update(orjson.dumps(list(orphans)))
    return digest.hexdigest()[:16]
