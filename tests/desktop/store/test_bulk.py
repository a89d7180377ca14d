"""Bulk loads of rows that already exist centrally: no outbox, no audit, indexed for search."""

from __future__ import annotations

import time
from typing import Any

from navigator_core.fields import new_id
from navigator_desktop.store import bulk, clients, contacts, records, search
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.search import queue as search_queue
from navigator_desktop.store.search import writer as search_writer
from navigator_desktop.store.search.index import index_of
from tests.desktop.store.helpers import (
    DEVICE_ID,
    TEAM_ID,
    USER_ID,
    Clock,
    count,
    count_indexed,
    make_client,
    risk_values,
)

WHEN = "2026-01-05T10:00:00.000Z"


def client_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": new_id(),
        "created_by": USER_ID,
        "created_at": WHEN,
        "updated_by": USER_ID,
        "updated_at": WHEN,
        "field_stamps": {"given_name": "1767607200000.00000.other"},
        "deleted": False,
        "given_name": "Malik",
        "family_name": "Hussain",
        "date_of_birth": "1990-01-01",
        "team_id": TEAM_ID,
        "co_worker_ids": [USER_ID],
        "status": "active",
        "interpreter_needed": True,
    }
    row.update(overrides)
    return row


def contact_row(client_id: str, n: int) -> dict[str, Any]:
    return {
        "id": new_id(),
        "author_id": USER_ID,
        "device_id": DEVICE_ID,
        "recorded_at": f"2026-01-05T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        "amends_id": None,
        "amend_reason": None,
        "client_id": client_id,
        "occurred_at": f"2026-01-04T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        "contact_type": "phone",
        "narrative": f"Phone call number {n} about the gardening group and the bus pass.",
        "pathways": ["wellbeing_college"],
        "safeguarding_raised": False,
    }


def test_load_writes_rows_without_outbox_or_audit(db: Database) -> None:
    row = client_row()
    assert bulk.load(db, "client", [row]) == 1
    got = clients.get(db, row["id"])
    assert got is not None
    assert got["co_worker_ids"] == [USER_ID] and got["interpreter_needed"] is True
    assert got["field_stamps"] == row["field_stamps"]
    assert got["refreshed_at"] is not None
    assert count(db, "outbox") == 0 and count(db, "audit_events") == 0


def test_reloading_replaces_mutable_rows_and_keeps_entries(db: Database) -> None:
    row = client_row()
    bulk.load(db, "client", [row])
    bulk.load(db, "client", [{**row, "family_name": "Hussein", "deleted": False}])
    got = clients.get(db, row["id"])
    assert got is not None and got["family_name"] == "Hussein"
    assert [h.record_id for h in search.search(db, "hussein")] == [row["id"]]
    assert search.search(db, "hussain") == []
    entry = contact_row(row["id"], 1)
    bulk.load(db, "contact", [entry])
    bulk.load(db, "contact", [{**entry, "narrative": "changed"}])
    kept = contacts.get(db, entry["id"])
    assert kept is not None and kept["narrative"] == entry["narrative"]
    assert count_indexed(db, "search_text") == 1


def test_loaded_rows_are_searchable_and_triggers_come_back(db: Database, actor: Actor, clock: Clock) -> None:
    row = client_row()
    bulk.load(db, "client", [row])
    bulk.load(db, "contact", [contact_row(row["id"], n) for n in range(30)])
    assert [h.record_id for h in search.search(db, "malik")] == [row["id"]]
    assert len(search.search(db, "gardening", limit=100)) == 30
    assert count(db, "search_queue") == 0
    # Single writes after a bulk load are indexed by the triggers again.
    make_client(db, actor, given_name="Priya")
    assert [h.kind for h in search.search(db, "priya")] == ["client"]


def test_rebuilt_index_matches_the_incremental_one(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor, preferred_name="Aoi")
    records.create(
        db, actor, "risk_flag", {**risk_values(client_id), "status": "active", "raised_on": "2026-01-01"}
    )
    deleted = make_client(db, actor, given_name="Gone")
    records.delete(db, actor, "client", deleted)

    def snapshot() -> list[tuple[Any, ...]]:
        conn = index_of(db).conn
        names = conn.execute("SELECT names AS text, kind, record_id, client_id FROM search_names").fetchall()
        texts = conn.execute("SELECT body AS text, kind, record_id, client_id FROM search_text").fetchall()
        return sorted(tuple(r) for r in names + texts)

    assert search_queue.pending(db) > 0
    search_writer.flush(db)
    assert search_queue.pending(db) == 0
    incremental = snapshot()
    assert len(incremental) == 2  # the live client and its risk flag; the deleted client is gone
    search_writer.rebuild(db)
    assert snapshot() == incremental


def test_load_stream_counts_by_kind_in_one_transaction(db: Database) -> None:
    row = client_row()
    counts = bulk.load_stream(db, [("client", row), ("contact", contact_row(row["id"], 1))])
    assert counts == {"client": 1, "contact": 1}


def test_contacts_load_fast(plain_db: Database) -> None:
    """≥ 20k contacts a second on plain SQLite (with a margin for slow CI machines)."""
    row = client_row()
    bulk.load(plain_db, "client", [row])
    rows = [contact_row(row["id"], n) for n in range(20_000)]
    started = time.perf_counter()
    bulk.load(plain_db, "contact", rows)
    rate = len(rows) / (time.perf_counter() - started)
    assert rate >= 10_000, f"{rate:.0f} rows/s"
