"""What goes into the full-text index, and the two queues that say what is still to be written.

One definition of what each kind contributes (``SEARCHABLE``), and two ways in:

* Every write the store makes is noted by the schema's triggers in ``search_queue``, in the
  write's own transaction; the writer (writer.py) reads each queued record as it now stands.
* A sync's apply writes pulled records by the tens of thousands and has their values in hand. It
  pauses the queue for those writes (``paused``), notes the batch in one ``search_pending`` row
  instead (``hand_over``), and once its transaction commits hands their text to the index, whose
  indexer process writes it while the apply goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store.db import Database
from navigator_desktop.store.search.index import index_of
from navigator_desktop.store.search.index_file import Entry


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


def entry(kind: str, record_id: str, values: Mapping[str, Any] | None, deleted: bool = False) -> Entry:
    """A record's place in the index from its stored values; None values: it is gone."""
    source = SEARCHABLE[kind]
    gone = values is None or (source.deletable and deleted)
    client_id = record_id if kind == "client" else (values or {}).get("client_id")
    return (kind, record_id, source.table, None if gone else source.text(values or {}), client_id)


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
        db.after_commit(lambda: index_of(db).submit(seq, batch))
    else:
        batch += entries
        db.execute("UPDATE search_pending SET records = ? WHERE seq = ?", (len(batch), scratch["search_seq"]))


def pending(db: Database) -> int:
    """Records waiting to be indexed (queued, or pulled and not yet in)."""
    queued = int(db.scalar("SELECT count(*) FROM search_queue"))
    batches = {int(r["seq"]): int(r["records"]) for r in db.query("SELECT seq, records FROM search_pending")}
    written = index_of(db).marked(list(batches))
    return queued + sum(n for seq, n in batches.items() if seq not in written)


def requeue_if_new(db: Database) -> None:
    """When the index file was made anew (missing, damaged, another vault's), queue every record
    for it: called as the store opens, before anything else can be written or pulled."""
    if index_of(db).rebuild_needed:
        queue_everything(db)
        index_of(db).requeued()


def queue_everything(db: Database) -> None:
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
