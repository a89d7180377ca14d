"""Retention on the central store's side: a discharged client past the laptops' retention period
is no longer sent to any laptop (a newly enrolled one never receives them); the store keeps every
record. The rule itself is navigator_core.retention, shared with the laptops' own purge: from the
service discharge date or, when none was recorded, from when the status became discharged (the
wall time of its field stamp)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy.engine import Connection

from navigator_core import retention
from navigator_server import store


def off_laptops(discharged: Mapping[str, store.Discharge], today: date, days: int) -> set[str]:
    """Which of these discharged clients (store.load_clients) are past the retention period."""
    gone: set[str] = set()
    for client_id, (discharged_on, status_stamp) in discharged.items():
        values = {
            "status": "discharged",
            "service_discharge_date": discharged_on,
            "field_stamps": {"status": status_stamp} if status_stamp else {},
        }
        if retention.past_retention(values, today, days):
            gone.add(client_id)
    return gone


def clients_off_laptops(conn: Connection, client_ids: Iterable[str], today: date, days: int) -> set[str]:
    """Which of these clients are discharged and past the retention period on `today`."""
    discharged: dict[str, store.Discharge] = {}
    store.load_clients(conn, client_ids, discharged)
    return off_laptops(discharged, today, days)
