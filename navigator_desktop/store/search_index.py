"""Keeping the full-text index current.

The schema's triggers (migration 3) note every insert, change and removal of a searchable record
in ``search_queue``; ``flush`` turns the queue into index changes with a few set-based statements.
Search flushes before every query, and bulk loads flush when they finish, so what is found is
always what is stored. The text each kind contributes is defined once, here.
"""

from __future__ import annotations

from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store.db import Database

_NAMES = (
    "coalesce(t.given_name, '') || ' ' || coalesce(t.family_name, '') || ' ' "
    "|| coalesce(t.preferred_name, '')"
)
# kind -> (index table, its text column, the text indexed, the client column, which rows count)
SOURCES: dict[str, tuple[str, str, str, str, str]] = {
    "client": ("search_names", "names", _NAMES, "t.id", "t.deleted = 0"),
    "risk_flag": ("search_text", "body", "coalesce(t.description, '')", "t.client_id", "t.deleted = 0"),
    "support_goal": ("search_text", "body", "coalesce(t.goal, '')", "t.client_id", "t.deleted = 0"),
    "contact": ("search_text", "body", "coalesce(t.narrative, '')", "t.client_id", "1"),
    "handover_note": ("search_text", "body", "coalesce(t.text, '')", "t.client_id", "1"),
}


def pending(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM search_queue"))


def flush(db: Database) -> int:
    """Bring the index up to date with the queue; how many queued changes were applied."""
    if db.scalar("SELECT 1 FROM search_queue LIMIT 1") is None:
        return 0
    with db.transaction(savepoint=False):
        queued = pending(db)
        # Forget the documents of every queued record; those that still exist are indexed anew.
        for fts in ("search_names", "search_text"):
            kinds = ", ".join(f"'{k}'" for k, source in SOURCES.items() if source[0] == fts)
            db.execute(
                f"DELETE FROM {fts} WHERE rowid IN (SELECT d.docid FROM search_docs d "
                f"WHERE d.record_id IN (SELECT record_id FROM search_queue WHERE kind IN ({kinds})))"
            )
        db.execute("DELETE FROM search_docs WHERE record_id IN (SELECT record_id FROM search_queue)")
        first_new = int(db.scalar("SELECT coalesce(max(docid), 0) FROM search_docs")) + 1
        exists = " OR ".join(
            f"(q.kind = '{kind}' AND EXISTS (SELECT 1 FROM {kind_spec(kind).table} t "
            f"WHERE t.id = q.record_id AND {where}))"
            for kind, (_, _, _, _, where) in SOURCES.items()
        )
        # New document ids in the order the records were written (the queue's order).
        db.execute(
            "INSERT INTO search_docs (record_id) SELECT q.record_id FROM search_queue q "
            "WHERE q.seq = (SELECT max(l.seq) FROM search_queue l WHERE l.record_id = q.record_id) "
            f"AND ({exists}) ORDER BY q.seq"
        )
        for kind, (fts, column, text, client, _) in SOURCES.items():
            # In rowid order: FTS5 writes out its pending terms whenever a rowid goes backwards.
            db.execute(
                f"INSERT INTO {fts} (rowid, {column}, kind, record_id, client_id) "
                f"SELECT d.docid, {text}, ?, t.id, {client} FROM search_docs d "
                f"JOIN {kind_spec(kind).table} t ON t.id = d.record_id WHERE d.docid >= ? ORDER BY d.docid",
                (kind, first_new),
            )
        db.execute("DELETE FROM search_queue")
    return queued


def rebuild(db: Database) -> None:
    """Index every searchable record afresh (e.g. after the index was found damaged)."""
    with db.transaction():
        db.execute("DELETE FROM search_names")
        db.execute("DELETE FROM search_text")
        db.execute("DELETE FROM search_docs")
        for kind in SOURCES:
            table = kind_spec(kind).table
            order = "updated_at" if kind_spec(kind).mutable else "recorded_at"
            db.execute(
                f"INSERT INTO search_queue (kind, record_id) SELECT ?, id FROM {table} ORDER BY {order}",
                (kind,),
            )
        flush(db)
