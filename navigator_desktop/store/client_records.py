"""Everything this laptop holds about one client, found once for the two jobs that need all of it:
the subject-access export (documents/exports.py) and retention's purge (store/retention.py)."""

from __future__ import annotations

from typing import Any

from navigator_core.fields import KindSpec
from navigator_core.kinds import ACKNOWLEDGEMENT, ALL_KINDS, HANDOVER_NOTE
from navigator_desktop.store.db import Database

Record = dict[str, Any]
_CHUNK = 500  # ids per IN (...) list, well below SQLite's limit on bound parameters


def rows_in(db: Database, table: str, column: str, values: list[str]) -> list[Record]:
    """Every row of `table` whose `column` is one of `values`, however many values there are."""
    found: list[Record] = []
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found += db.query(f"SELECT * FROM {table} WHERE {column} IN ({marks})", chunk)
    return found


def rows_by_kind(db: Database, client_id: str) -> dict[KindSpec, list[Record]]:
    """The client's stored rows of every kind that names a client (deleted records, corrections and
    entered-in-error marks included), and the acknowledgements of handover notes about them."""
    found: dict[KindSpec, list[Record]] = {}
    for spec in ALL_KINDS:
        if spec.client_field is None:
            continue
        column = "id" if spec.client_field == "id" else spec.client_field
        rows = db.query(f"SELECT * FROM {spec.table} WHERE {column} = ?", (client_id,))
        if rows:
            found[spec] = rows
    note_ids = [str(n["id"]) for n in found.get(HANDOVER_NOTE, [])]
    acks = rows_in(db, ACKNOWLEDGEMENT.table, "note_id", note_ids)
    if acks:
        found[ACKNOWLEDGEMENT] = acks
    return found
