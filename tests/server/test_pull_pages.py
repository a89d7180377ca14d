"""Pages of the feed as built for the wire: a record held in full goes out exactly as stored, and
pages cut short by their size lose nothing, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest

from navigator_server import pull, store
from navigator_server.db import Database
from tests.server.helpers import World, contact_entry
from tests.server.test_store import new_client, pull_all, send


@pytest.fixture
def world(store_db: Database) -> World:
    w = World(store_db, store_db.settings)
    w.team("North")
    w.person("nina", "North", "navigator")
    w.person("mo", "North", "manager")
    return w


def pages(world: World, who: str, since: int, limit: int, max_bytes: int | None) -> list[dict[str, Any]]:
    got = []
    more = True
    while more:
        with world.db.read() as conn:
            page = pull.pull(conn, world.laptops[who].who.actor, since, limit, max_bytes=max_bytes)
        assert page["cursor"] >= since
        got.append(page)
        since, more = page["cursor"], page["more"]
    return got


def test_a_record_held_in_full_goes_out_as_stored(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina, phone="0113 496 0000")
    [item] = [i for i in pull_all(world, nina)["changes"] if i["id"] == client_id]
    with world.db.read() as conn:
        stored = store.load(conn, client_id)
    assert stored is not None and item["access"] == "full"
    assert (item["data"], item["field_stamps"], item["meta"]) == (
        stored.data,
        stored.field_stamps,
        stored.meta,
    )
    assert set(item["field_stamps"]) <= set(item["data"]) | {"_deleted"}


@pytest.mark.parametrize("max_bytes", [1, 600, 3000])
def test_pages_cut_by_size_lose_nothing(world: World, max_bytes: int) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    send(world, nina, *[nina.append("contact", **contact_entry(client_id, f"note {i}")) for i in range(40)])
    # A record that changes again after many others: it goes out once, at its last place.
    send(world, nina, nina.upsert("client", client_id, phone="0113 496 0001"))
    whole = pull_all(world, nina)["changes"]
    cut = pages(world, "nina", 0, 1000, max_bytes)
    assert len(cut) > 1
    # Applied in order, as a laptop does (a record whose later change is in a later page comes
    # again there), the pages leave what one unbounded page leaves.
    applied: dict[str, dict[str, Any]] = {}
    for page in cut:
        applied.update({item["id"]: item for item in page["changes"]})
    assert applied == {i["id"]: i for i in whole}
    assert applied[client_id]["data"]["phone"] == "0113 496 0001"
    assert cut[-1]["more"] is False
    if not cut[-1]["changes"]:  # a page that filled up on the feed's last change says "more"
        cut = cut[:-1]
    assert all(page["changes"] for page in cut)
    cursors = [page["cursor"] for page in cut]
    assert cursors == sorted(set(cursors))


def test_a_page_always_holds_at_least_one_record(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina, crisis_plan="x" * 5000)
    cut = pages(world, "nina", 0, 1000, 64)
    assert [i["id"] for page in cut for i in page["changes"]] == [client_id]


def test_the_demo_seed_keeps_every_stamped_field_in_the_data(store_db: Database) -> None:
    # What a push stores, the seed stores too: a pull sends a full record's stamps as they are.
    import sqlalchemy as sa

    from navigator_server import seed
    from navigator_server.schema import records
    from navigator_server.security import Passwords

    seed.seed_demo(store_db, Passwords(store_db.settings), store_db.settings, "demo password", scale="small")
    with store_db.read() as conn:
        rows = conn.execute(sa.select(records.c.data, records.c.field_stamps)).all()
    assert rows
    for row in rows:
        data, stamps = store.parse_doc(row.data), store.parse_doc(row.field_stamps)
        assert set(stamps) <= set(data) | {"_deleted"}


def test_documents_stored_before_strict_json_are_made_strict_by_the_migration(world: World) -> None:
    # Written by an earlier server: NaN (the standard library's JSON on SQLite), or a number no
    # double holds (PostgreSQL's JSONB keeps it). Either would make a laptop's page unreadable.
    import json

    import sqlalchemy as sa

    from navigator_server import migrate

    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    db = world.db
    with db.read() as conn:
        stored = store.load(conn, client_id)
    assert stored is not None
    number = "NaN" if db.is_sqlite else "1e400"
    bad = json.dumps(stored.data)[:-1] + f', "score": {number}}}'
    migrate.downgrade(db, "0003")
    with db.write() as conn:
        value = "CAST(:v AS JSONB)" if not db.is_sqlite else ":v"
        conn.execute(
            sa.text(f"UPDATE records SET data = {value} WHERE id = :id"), {"v": bad, "id": client_id}
        )
    migrate.upgrade(db)
    [item] = [i for i in pull_all(world, nina)["changes"] if i["id"] == client_id]
    assert item["data"] == {**stored.data, "score": None}
