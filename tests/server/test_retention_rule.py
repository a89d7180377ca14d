"""The central store's side of retention: a discharged client with no service discharge date
stops going to laptops once the period has passed since the status became discharged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from navigator_core.fields import new_id
from navigator_server.db import Database
from navigator_server.retention import clients_off_laptops
from navigator_server.schema import records

TODAY = date(2026, 11, 23)


def _stamp(day: date) -> str:
    return f"{int(datetime.combine(day, time(12), UTC).timestamp() * 1000):013d}.00000.device"


def _client(db: Database, status: str, stamp_day: date, discharge_date: str | None = None) -> str:
    cid = new_id()
    data = {"status": status, **({"service_discharge_date": discharge_date} if discharge_date else {})}
    with db.write() as conn:
        conn.execute(
            records.insert().values(
                id=cid, kind="client", team_id=new_id(), client_id=cid, data=data, meta={},
                field_stamps={"status": _stamp(stamp_day)}, deleted=False, created_seq=1, updated_seq=1,
            )
        )  # fmt: skip
    return cid


def test_without_a_discharge_date_the_status_stamp_counts(store_db: Database) -> None:
    old = _client(store_db, "discharged", TODAY - timedelta(days=40))
    recent = _client(store_db, "discharged", TODAY - timedelta(days=3))
    dated = _client(
        store_db, "discharged", TODAY - timedelta(days=40), (TODAY - timedelta(days=2)).isoformat()
    )
    active = _client(store_db, "active", TODAY - timedelta(days=400))
    with store_db.read() as conn:
        assert clients_off_laptops(conn, [old, recent, dated, active], TODAY, 30) == {old}
