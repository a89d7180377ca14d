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
from navigator_server.schema import records
from navigator_server.store import among_ids

_DISCHARGED = {
    postgres: sa.select(
        records.c.id,
        records.c.data["service_discharge_date"].as_string().label("discharged_on"),
        records.c.field_stamps["status"].as_string().label("status_stamp"),  # when none was recorded
    ).where(
        among_ids(postgres), records.c.kind == "client", records.c.data["status"].as_string() == "discharged"
    )
    for postgres in (False, True)
}  # built once per engine kind (store.among_ids): a pull asks it for every page


def clients_off_laptops(conn: Connection, client_ids: Iterable[str], today: date, days: int) -> set[str]:
    """Which of these clients are discharged and past the retention period on `today`."""
    wanted = sorted(set(client_ids))
    gone: set[str] = set()
    query = _DISCHARGED[conn.dialect.name == "postgresql"]
    for start in range(0, len(wanted), 500):
        for row in conn.execute(query, {"ids": wanted[start : start + 500]}).all():
            values = {
                "status": "discharged",
                "service_discharge_date": row.discharged_on,
                "field_stamps": {"status": row.status_stamp} if row.status_stamp else {},
            }
            if retention.past_retention(values, today, days):
                gone.add(str(row.id))
    return gone
