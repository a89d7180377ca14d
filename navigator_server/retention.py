"""Retention on the central store's side: a discharged client past the laptops' retention period
is no longer sent to any laptop (a newly enrolled one never receives them); the store keeps every
record. The rule itself is navigator_core.retention, shared with the laptops' own purge: from the
service discharge date or, when none was recorded, from when the status became discharged (the
wall time of its field stamp)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import retention
from navigator_server.db import one_of, per_engine, rows_for_ids
from navigator_server.schema import records

# Built once per engine kind (db.per_engine): a pull asks it for every page.
_DISCHARGED = per_engine(
    lambda postgres: sa.select(
        records.c.id,
        records.c.data["service_discharge_date"].as_string().label("discharged_on"),
        records.c.field_stamps["status"].as_string().label("status_stamp"),  # when none was recorded
    ).where(
        one_of(records.c.id, postgres),
        records.c.kind == "client",
        records.c.data["status"].as_string() == "discharged",
    )
)


def clients_off_laptops(conn: Connection, client_ids: Iterable[str], today: date, days: int) -> set[str]:
    """Which of these clients are discharged and past the retention period on `today`."""
    gone: set[str] = set()
    for row in rows_for_ids(conn, _DISCHARGED, client_ids):
        values = {
            "status": "discharged",
            "service_discharge_date": row.discharged_on,
            "field_stamps": {"status": row.status_stamp} if row.status_stamp else {},
        }
        if retention.past_retention(values, today, days):
            gone.add(str(row.id))
    return gone
