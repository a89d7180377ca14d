"""The central store's side of retention: a discharged client with no service discharge date
stops going to laptops once the period has passed since the status became discharged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import orjson

from navigator_core.fields import new_id
from navigator_core.timerules import Limits
from navigator_server import pull, push, store
from navigator_server.db import Database
from navigator_server.retention import clients_off_laptops
from tests.server.helpers import World, client_values, contact_entry, risk_values

LIMITS = Limits(drift=timedelta(hours=24))

TODAY = date(2026, 11, 23)


def _stamp(day: date) -> str:
    return f"{int(datetime.combine(day, time(12), UTC).timestamp() * 1000):013d}.00000.device"


def _client(db: Database, status: str, stamp_day: date, discharge_date: str | None = None) -> str:
    cid = new_id()
    data = {"status": status, **({"service_discharge_date": discharge_date} if discharge_date else {})}
    stamps = {"status": _stamp(stamp_day)}
    with db.write() as conn:
        store.insert(conn, store.Stored(cid, "client", new_id(), cid, data, stamps, {}, False), 1)
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


def _access(page: bytes) -> dict[str, str]:
    return {item["id"]: item["access"] for item in orjson.loads(page)["changes"]}


def test_a_page_withholds_a_client_past_retention_whether_or_not_its_own_row_is_on_it(
    store_db: Database,
) -> None:
    """pull.page_json reads the retention rule's values from the page's own client rows, and for
    clients not on the page from the same query as their policy facts (store.load_clients). A
    record the laptop never held is left out; one it held goes as "none", so that it forgets it."""
    world = World(store_db, store_db.settings)
    world.team("North")
    nina = world.person("nina", "North", "navigator")
    team = world.teams["North"]
    gone = nina.create("client", **client_values(team, nina.who.user_id, status="discharged",
                                                 service_discharge_date="2024-01-05"))  # fmt: skip
    kept = nina.create("client", **client_values(team, nina.who.user_id))
    flags = [nina.create("risk_flag", **risk_values(c["record_id"])) for c in (gone, kept)]
    with store_db.write() as conn:
        applied = push.push(conn, nina.who, [gone, kept, *flags], limits=LIMITS)
    assert {r.status.value for r in applied} == {"applied"}
    since = max(r.seq or 0 for r in applied)
    raised = [nina.upsert("risk_flag", f["record_id"], severity="high") for f in flags]
    notes = [nina.append("contact", **contact_entry(c["record_id"])) for c in (gone, kept)]
    with store_db.write() as conn:
        push.push(conn, nina.who, [*raised, *notes], limits=LIMITS)
    with store_db.read() as conn:
        whole = _access(pull.page_json(conn, nina.who.actor, 0, 100, retention_days=30))
        tail = _access(pull.page_json(conn, nina.who.actor, since, 100, retention_days=30))
    ids = [r["record_id"] for r in (gone, kept, *flags, *notes)]
    assert [whole.get(i) for i in ids] == [None, "full", None, "full", None, "full"]
    # No client row on the second page: the clients' facts and discharge come from load_clients.
    assert [tail.get(i) for i in ids] == [None, None, "none", "full", None, "full"]
