"""The index beside the records, kind by kind: how many records should be found, how many
entries the index holds, a checksum of the text on each side, and what differs; and the repair
that writes again what differs. What `navigator-desktop check` runs (the index is derived data:
it is repaired only once the records were found healthy)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import orjson

from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store.db import Database
from navigator_desktop.store.search.index import index_of
from navigator_desktop.store.search.index_file import transaction, write
from navigator_desktop.store.search.queue import SEARCHABLE
from navigator_desktop.store.search.writer import FLUSH_STEP, entries_now, flush


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
    docs = dict(index_of(db).conn.execute("SELECT record_id, docid FROM search_docs").fetchall())
    checks = []
    for kind, source in SEARCHABLE.items():
        ids = db.column(f"SELECT id FROM {kind_spec(kind).table}")
        wanted = {e[1]: (e[3], e[4]) for e in entries_now(db, [(kind, i) for i in ids]) if e[3] is not None}
        held: dict[str, tuple[str | None, str | None]] = {}
        twice: set[str] = set()
        orphans: list[tuple[str, int]] = []
        rows = index_of(db).conn.execute(
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
    conn = index_of(db).conn
    for check in differed:
        if check.orphans:
            with transaction(conn):
                for table, rowid in check.orphans:
                    conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        targets = [(check.kind, record_id) for record_id in check.differing]
        for start in range(0, len(targets), FLUSH_STEP):
            write(conn, entries_now(db, targets[start : start + FLUSH_STEP]))
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
