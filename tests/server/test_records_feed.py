"""The feed as a pull reads it: the team's records by their last place in the feed, with the
conflicts merged in at theirs, on SQLite and PostgreSQL alike; the author kept as a column and the
clients' facts as a table beside the records; and the migration that brought all of it to stores
written before."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from navigator_core.policy import ClientFacts
from navigator_server import feed, migrate, store
from navigator_server.db import Database
from navigator_server.feed import FeedWriter
from navigator_server.schema import changes, records
from tests.server.helpers import World, contact_entry, risk_values
from tests.server.test_pull_pages import pages
from tests.server.test_store import new_client, pull_all, send


@pytest.fixture
def world(store_db: Database) -> World:
    w = World(store_db, store_db.settings)
    w.team("North")
    w.person("nina", "North", "navigator")
    w.person("niall", "North", "navigator")
    w.person("mo", "North", "manager")
    return w


def _conflict(world: World, client_id: str, field: str) -> None:
    """nina and mo change the same field of the client from the same state: a conflict."""
    nina, mo = world.laptops["nina"], world.laptops["mo"]
    mo.stamps[client_id] = dict(nina.stamps[client_id])
    send(world, nina, nina.upsert("client", client_id, **{field: "nina's"}))
    [result] = send(world, mo, mo.upsert("client", client_id, **{field: "mo's"}))
    assert result["status"] == "conflict_recorded"


@pytest.mark.parametrize(("limit", "max_bytes"), [(1, None), (2, None), (3, None), (5, 700), (1000, 1)])
def test_conflicts_come_in_their_places_among_the_records_in_every_paging(
    world: World, limit: int, max_bytes: int | None
) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    send(world, nina, *[nina.append("contact", **contact_entry(client_id)) for _ in range(3)])
    _conflict(world, client_id, "crisis_plan")
    send(world, nina, *[nina.append("contact", **contact_entry(client_id)) for _ in range(3)])
    _conflict(world, client_id, "phone")
    send(world, nina, nina.append("contact", **contact_entry(client_id)))
    whole = pull_all(world, world.laptops["mo"])["changes"]
    assert [i["kind"] for i in whole].count("conflict") == 2
    assert [i["seq"] for i in whole] == sorted(i["seq"] for i in whole)

    cut = pages(world, "mo", 0, limit, max_bytes)
    got = [item for page in cut for item in page["changes"]]
    assert [i["seq"] for i in got] == sorted({i["seq"] for i in got})  # in order, none twice
    assert got == whole
    assert all(page["changes"] for page in cut[:-1]) and cut[-1]["more"] is False


def test_a_conflict_before_the_next_unread_record_comes_first(world: World) -> None:
    nina, mo = world.laptops["nina"], world.laptops["mo"]
    client_id = new_client(world, nina)
    _conflict(world, client_id, "crisis_plan")
    nina.stamps[client_id] = dict(mo.stamps[client_id])
    send(world, nina, nina.upsert("client", client_id, phone="0113 496 0003"))  # the client moves on
    team = mo.who.team_id
    with world.db.read() as conn:
        [conflict_seq] = conn.execute(sa.select(changes.c.seq).where(changes.c.kind == "conflict")).scalars()
        first = store.feed_page(conn, team, 0, 1)
        second = store.feed_page(conn, team, first[1], 1)
    assert first[0] is True and first[1] == conflict_seq and [r[1] for r in first[2]] == ["conflict"]
    assert second[0] is True and [r[1] for r in second[2]] == ["client"] and second[1] > conflict_seq
    with world.db.read() as conn:
        assert store.feed_page(conn, team, second[1], 1) == (False, second[1], [])


def test_a_record_announced_again_moves_to_its_new_place(world: World) -> None:
    # A client's new co-worker gets the client's history: each record is put in the feed again,
    # and a pull reads records by their last place, so the record's place must move with it.
    nina, niall, mo = world.laptops["nina"], world.laptops["niall"], world.laptops["mo"]
    client_id = new_client(world, nina)
    contact = nina.append("contact", **contact_entry(client_id))
    send(world, nina, contact)
    cursor = pull_all(world, niall)["cursor"]
    send(world, mo, mo.upsert("client", client_id, co_worker_ids=[niall.who.user_id]))
    with world.db.read() as conn:
        place = conn.execute(
            sa.select(records.c.updated_seq).where(records.c.id == contact["record_id"])
        ).scalar_one()
        last = conn.execute(
            sa.select(sa.func.max(changes.c.seq)).where(changes.c.record_id == contact["record_id"])
        ).scalar_one()
    assert place == last > cursor
    assert pull_all(world, niall, cursor)["changes"][-1]["id"] in {contact["record_id"], client_id}


def test_every_write_keeps_the_author_column(world: World) -> None:
    nina, mo = world.laptops["nina"], world.laptops["mo"]
    client_id = new_client(world, nina)
    send(world, nina, nina.append("contact", **contact_entry(client_id)))
    send(world, nina, nina.create("risk_flag", **risk_values(client_id)))
    send(world, mo, mo.upsert("client", client_id, phone="0113 496 0002"))  # created by nina still
    with world.db.write() as conn:
        writer = FeedWriter(conn)
        store.store_entry(conn, writer, "contact", nina.who.team_id, client_id, contact_entry(client_id))
        writer.close()
    with world.db.read() as conn:
        rows = conn.execute(sa.select(records.c.id, records.c.author_id)).all()
        stored = store.load_many(conn, [r.id for r in rows])
    assert len(rows) == 4
    assert {r.id: r.author_id for r in rows} == {i: s.author_id for i, s in stored.items()}
    assert {r.author_id for r in rows} == {nina.who.user_id, store.SERVER}


def test_the_records_documents_are_kept_as_written_on_postgresql(pg_db: Database) -> None:
    with pg_db.read() as conn:
        found = dict(
            conn.execute(
                sa.text(
                    "SELECT column_name, data_type FROM information_schema.columns"
                    " WHERE table_name = 'records' AND column_name IN ('data', 'field_stamps', 'meta')"
                )
            ).all()
        )
    # json, not jsonb: a pull sends a document's text as stored, with no conversion per record.
    assert found == {"data": "json", "field_stamps": "json", "meta": "json"}


def test_the_migration_sets_last_places_and_authors_for_a_store_written_before(world: World) -> None:
    nina, niall, mo = world.laptops["nina"], world.laptops["niall"], world.laptops["mo"]
    client_id = new_client(world, nina)
    contact = nina.append("contact", **contact_entry(client_id))
    send(world, nina, contact)
    _conflict(world, client_id, "crisis_plan")
    cursor = pull_all(world, niall)["cursor"]
    db = world.db
    migrate.downgrade(db, "0006")
    # As the server before it re-announced a record: a new place in the feed, the record's own
    # updated_seq left where it was.
    with db.write() as conn:
        writer = FeedWriter(conn)
        again = writer.append("contact", contact["record_id"], nina.who.team_id, client_id)
        writer.close()
        authors = {
            r.id: r.meta for r in conn.execute(sa.text("SELECT id, CAST(meta AS TEXT) AS meta FROM records"))
        }
    migrate.upgrade(db)
    with db.read() as conn:
        rows = {
            r.id: r for r in conn.execute(sa.select(records.c.id, records.c.author_id, records.c.updated_seq))
        }
        assert feed.last_seq(conn) == again
    assert rows[contact["record_id"]].updated_seq == again
    assert {i: r.author_id for i, r in rows.items()} == {
        i: store.author_of(store.parse_doc(m)) for i, m in authors.items()
    }
    assert rows[client_id].author_id == nina.who.user_id
    kept, worked_out = _facts_both_ways(db)  # filled in from the clients' records
    assert kept == worked_out and client_id in kept[0]
    # A laptop whose cursor was past the record's earlier place is sent it again, and the
    # conflict is still in the team's feed.
    later = pull_all(world, niall, cursor)["changes"]
    assert [i["id"] for i in later] == [contact["record_id"]]
    assert any(i["kind"] == "conflict" for i in pull_all(world, mo)["changes"])
    [written] = send(world, nina, nina.append("contact", **contact_entry(client_id)))
    assert written["status"] == "applied"


def _facts_both_ways(db: Database) -> tuple[Any, Any]:
    """Every client's facts and retention values from the table the store keeps, and worked out
    from the client's documents as they stand."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                records.c.id, sa.cast(records.c.data, sa.Text), sa.cast(records.c.field_stamps, sa.Text)
            ).where(records.c.kind == "client")
        ).all()
        discharged: dict[str, store.Discharge] = {}
        kept = store.load_clients(conn, [r[0] for r in rows], discharged)
    from_documents: dict[str, ClientFacts] = {}
    gone: dict[str, store.Discharge] = {}
    for client_id, data, stamps in rows:
        values = store.parse_doc(data)
        from_documents[client_id] = ClientFacts.from_values(client_id, values)
        store.discharge_of(client_id, values, stamps, gone)
    return (kept, discharged), (from_documents, gone)


def test_the_clients_facts_follow_every_write_of_a_client(world: World) -> None:
    nina, niall, mo = world.laptops["nina"], world.laptops["niall"], world.laptops["mo"]
    first, second = new_client(world, nina), new_client(world, nina, co_worker_ids=[niall.who.user_id])
    send(world, mo, mo.upsert("client", first, key_worker_id=niall.who.user_id))
    send(world, mo, mo.upsert("client", second, co_worker_ids=[], status="discharged"))
    send(world, mo, mo.upsert("client", second, service_discharge_date="2026-11-30"))
    send(world, mo, mo.delete("client", first))
    kept, worked_out = _facts_both_ways(world.db)
    assert kept == worked_out
    facts, discharged = kept
    assert facts[first].key_worker_id == niall.who.user_id and facts[second].co_worker_ids == frozenset()
    assert discharged[second][0] == "2026-11-30" and discharged[second][1]


def test_the_demo_seed_keeps_the_clients_facts(store_db: Database) -> None:
    from navigator_server import seed
    from navigator_server.security import Passwords

    seed.seed_demo(store_db, Passwords(store_db.settings), store_db.settings, "demo password", scale="small")
    kept, worked_out = _facts_both_ways(store_db)
    assert kept == worked_out and kept[0] and kept[1]  # clients, some of them discharged


def test_the_clients_facts_are_found_for_exactly_the_ids_asked_whatever_they_hold(
    store_db: Database,
) -> None:
    """load_clients sends the ids as one value on PostgreSQL: no id may be split or misread."""
    odd = ["a,b", 'quote"d', "{brace}", "back\\slash", "ünïcode", "NULL", " space "]
    with store_db.write() as conn:
        for seq, client_id in enumerate([*odd, "a", "b"], start=1):
            values = {"team_id": "T", "status": "open", "key_worker_id": None, "co_worker_ids": []}
            store.insert(conn, store.Stored(client_id, "client", "T", client_id, values, {}, {}, False), seq)
    with store_db.read() as conn:
        found = store.load_clients(conn, [*odd, "not there", "a,b"])
        assert store.load_clients(conn, []) == {}
    assert sorted(found) == sorted(odd) and all(found[i].id == i for i in odd)
