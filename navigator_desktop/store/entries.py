"""Reading append-only entries: what the usual views show, and the full history behind them.

An entry is *current* unless another entry amends it (it is *superseded*) or an
``entered_in_error`` entry names it. The usual views show current entries only; the history
shows every version with its state. When the newest version of an entry is marked entered in
error, the whole chain is hidden: the correction chain as a whole was a mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from navigator_core.kinds import kind as kind_spec
from navigator_desktop.store import codec
from navigator_desktop.store.db import Database

Record = dict[str, Any]

CURRENT = "current"
SUPERSEDED = "superseded"
ENTERED_IN_ERROR = "entered_in_error"


def visible(alias: str, table: str) -> str:
    """SQL condition: the entry `alias` (a row of `table`) is current. Both look-ups are indexed
    (entered_in_errors by target_id, amendments by amends_id)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM entered_in_errors eie WHERE eie.target_id = {alias}.id) "
        f"AND NOT EXISTS (SELECT 1 FROM {table} newer WHERE newer.amends_id = {alias}.id)"
    )


def versions(db: Database, kind: str, entry_id: str) -> list[Record]:
    """Every version of the entry `entry_id` belongs to, oldest first, each with its `state`
    (and, when entered in error, `error_reason`, `error_by`, `error_at`)."""
    table = kind_spec(kind).table
    rows = db.query(
        f"""
        WITH RECURSIVE
        up(id, amends_id) AS (
            SELECT id, amends_id FROM {table} WHERE id = ?
            UNION SELECT t.id, t.amends_id FROM {table} t JOIN up ON t.id = up.amends_id
        ),
        -- the oldest version held here (the original may not be on this laptop)
        root(id) AS (
            SELECT id FROM up WHERE amends_id IS NULL OR amends_id NOT IN (SELECT id FROM up)
        ),
        down(id, depth) AS (
            SELECT id, 0 FROM root
            UNION SELECT t.id, down.depth + 1 FROM {table} t JOIN down ON t.amends_id = down.id
        )
        SELECT t.* FROM {table} t JOIN down ON down.id = t.id ORDER BY down.depth, t.recorded_at, t.id
        """,
        (entry_id,),
    )
    return annotate(db, kind, rows)


def history(db: Database, kind: str, client_id: str) -> list[Record]:
    """Every entry of a kind about a client, hidden ones included, oldest first, with `state`."""
    table = kind_spec(kind).table
    rows = db.query(f"SELECT * FROM {table} WHERE client_id = ? ORDER BY recorded_at, id", (client_id,))
    return annotate(db, kind, rows)


def annotate(db: Database, kind: str, rows: Sequence[Record]) -> list[Record]:
    """Decode rows and add each one's `state`."""
    spec = kind_spec(kind)
    ids = [r["id"] for r in rows]
    errors: dict[str, Record] = {}
    superseded: set[str] = set()
    for chunk in _chunks(ids, 500):
        marks = ", ".join("?" * len(chunk))
        for e in db.query(
            "SELECT target_id, reason, author_id, recorded_at FROM entered_in_errors "
            f"WHERE target_id IN ({marks})",
            chunk,
        ):
            errors[e["target_id"]] = e
        superseded.update(
            db.column(f"SELECT amends_id FROM {spec.table} WHERE amends_id IN ({marks})", chunk)
        )
    result = []
    for row in rows:
        record = codec.decode_row(spec, row)
        error = errors.get(record["id"])
        if error is not None:
            record.update(
                state=ENTERED_IN_ERROR,
                error_reason=error["reason"],
                error_by=error["author_id"],
                error_at=error["recorded_at"],
            )
        else:
            record["state"] = SUPERSEDED if record["id"] in superseded else CURRENT
        result.append(record)
    return result


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
