"""Retention: a discharged client's records leave this laptop once the retention period is over.

Everything about the client goes: every record of every kind, their search-index rows, the
revisions and conflicts of those records, acknowledged outbox rows (which hold copies of the
data). The central store keeps the record. A client with any change still waiting to be sent, or
a form draft about them, is kept until it has been pushed or the draft finished or discarded:
nothing typed here is ever lost. A discharged client with no service discharge date leaves from
when the status became discharged. Only a count of the clients removed is kept (``REMOVED``), so
reports can say who they no longer count.

The period comes from the central store (enrolment or /me) and is kept in the vault's settings;
until it says, ``navigator_core.retention.DEFAULT_RETENTION_DAYS`` applies. Runs after each sync
and at unlock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from navigator_core import retention, timeutil
from navigator_desktop.store import client_records, outbox, settings
from navigator_desktop.store.db import Database
from navigator_desktop.store.search import writer as search_writer

log = logging.getLogger("navigator.store.retention")
RETENTION_DAYS = "retention_days"  # the settings key
REMOVED = "retention_removed_clients"  # how many clients purges have removed here (no identities)


@dataclass
class Purged:
    clients: list[str] = field(default_factory=list)  # ids removed from this laptop
    records: int = 0
    waiting: list[str] = field(default_factory=list)  # past retention, kept until their changes are sent


def retention_days(db: Database) -> int:
    value = settings.get(db, RETENTION_DAYS)
    try:
        return max(0, int(value)) if value is not None else retention.DEFAULT_RETENTION_DAYS
    except ValueError:
        return retention.DEFAULT_RETENTION_DAYS


def set_retention_days(db: Database, days: int) -> None:
    with db.transaction():
        settings.put(db, RETENTION_DAYS, str(max(0, int(days))))


def removed_count(db: Database) -> int | None:
    """How many clients retention has removed from this laptop (a count only), or None if never run."""
    value = settings.get(db, REMOVED)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def due(db: Database, today: date, days: int) -> list[str]:
    """Discharged clients past the period: from the service discharge date, or when none was
    recorded, from when the status became discharged (its field stamp)."""
    rows = db.query(
        "SELECT id, status, service_discharge_date, field_stamps FROM clients WHERE status = 'discharged'"
    )
    return [r["id"] for r in rows if retention.past_retention(r, today, days)]


def _has_draft(db: Database, client_id: str) -> bool:
    """Whether an unsent form draft mentions the client (it is kept like an unsent change)."""
    return bool(db.scalar("SELECT 1 FROM drafts WHERE instr(payload, ?) > 0 LIMIT 1", (client_id,)))


def records_of(db: Database, client_id: str) -> dict[str, list[str]]:
    """Table name -> ids of the client's rows in it (every kind, and acknowledgements of notes about them)."""
    return {
        spec.table: [str(r["id"]) for r in rows]
        for spec, rows in client_records.rows_by_kind(db, client_id).items()
    }


def _in(column: str, ids: list[str]) -> str:
    return f"{column} IN ({', '.join('?' * len(ids))})"


def purge(db: Database, *, today: date | None = None, days: int | None = None) -> Purged:
    """Remove every discharged client past the retention period, except those with changes
    not yet sent (they go on a later run, after the sync has pushed them)."""
    today = today or timeutil.local(timeutil.utcnow()).date()
    days = retention_days(db) if days is None else days
    result = Purged()
    for client_id in due(db, today, days):
        tables = records_of(db, client_id)
        ids = [i for table_ids in tables.values() for i in table_ids]
        waiting = _has_draft(db, client_id)
        for start in range(0, 0 if waiting else len(ids), 500):
            chunk = ids[start : start + 500]
            if db.scalar(
                f"SELECT 1 FROM outbox WHERE {outbox.UNSETTLED} AND {_in('record_id', chunk)} LIMIT 1", chunk
            ):
                waiting = True
                break
        if waiting:
            result.waiting.append(client_id)
            continue
        with db.transaction(savepoint=False):
            for table, table_ids in tables.items():
                for start in range(0, len(table_ids), 500):
                    chunk = table_ids[start : start + 500]
                    result.records += db.execute(f"DELETE FROM {table} WHERE {_in('id', chunk)}", chunk)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                db.execute(f"DELETE FROM revisions WHERE {_in('record_id', chunk)}", chunk)
                db.execute(f"DELETE FROM conflicts WHERE {_in('record_id', chunk)}", chunk)
                db.execute(
                    f"DELETE FROM outbox WHERE acked_at IS NOT NULL AND {_in('record_id', chunk)}", chunk
                )
            db.execute("DELETE FROM conflicts WHERE client_id = ?", (client_id,))
            settings.put(db, REMOVED, str((removed_count(db) or 0) + 1))
        result.clients.append(client_id)
    if result.clients and not db.in_transaction:
        search_writer.flush(db)  # the delete triggers queued the index rows; this removes them
    if removed_count(db) is None:
        with db.transaction():
            settings.put(db, REMOVED, "0")  # purges run here from now on: the count is known
    if result.clients or result.waiting:
        log.info(
            "retention: %d clients left this laptop (%d records); %d kept until their changes are sent",
            len(result.clients), result.records, len(result.waiting),
        )  # fmt: skip
    return result


def purge_if_enrolled(db: Database) -> Purged:
    """``purge`` on an enrolled laptop only: without a central store (a demo vault, a laptop not
    yet enrolled) nothing else holds the records, so nothing is removed."""
    if not settings.get(db, settings.SERVER_URL):
        return Purged()
    return purge(db)
