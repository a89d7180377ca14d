"""The storage suite: push, merge, idempotency, the feed and scoping, run on SQLite and PostgreSQL
alike (Kinto's habit: one suite, every backend)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from navigator_core.fields import new_id
from navigator_core.timerules import Limits
from navigator_server import feed, migrate, pull, push
from navigator_server.db import SQLITE_MMAP_BYTES, Database
from navigator_server.schema import applied_ops, changes, conflicts, metadata, records
from tests.server.helpers import Laptop, World, client_values, contact_entry, risk_values

DRIFT = timedelta(hours=24)


@pytest.fixture
def world(store_db: Database) -> World:
    w = World(store_db, store_db.settings)
    w.team("North")
    w.team("South")
    w.person("nina", "North", "navigator")
    w.person("niall", "North", "navigator")
    w.person("mo", "North", "manager")
    w.person("sam", "South", "navigator")
    return w


def send(world: World, laptop: Laptop, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    with world.db.write() as conn:
        return [r.as_dict() for r in push.push(conn, laptop.who, list(ops), limits=Limits(drift=DRIFT))]


def pull_all(world: World, laptop: Laptop, since: int = 0, limit: int = 1000) -> dict[str, Any]:
    with world.db.read() as conn:
        return pull.pull(conn, laptop.who.actor, since, limit)


def items_by_id(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in page["changes"]}


def count(world: World, table: sa.Table) -> int:
    with world.db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def new_client(world: World, laptop: Laptop, key_worker: str | None = None, **more: Any) -> str:
    client_id = new_id()
    values = client_values(laptop.who.team_id, key_worker or laptop.who.user_id, **more)
    [result] = send(world, laptop, laptop.create("client", client_id, **values))
    assert result["status"] == "applied", result
    return client_id


def test_migrations_match_the_table_definitions(store_db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert migrate.is_current(store_db)
    with store_db.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diff == []


def test_sqlite_reads_through_a_memory_map(sqlite_db: Database) -> None:
    raw = sqlite_db.engine.raw_connection()
    try:
        assert raw.cursor().execute("PRAGMA mmap_size").fetchone()[0] == SQLITE_MMAP_BYTES
    finally:
        raw.close()


def test_migrations_go_down_and_up_again(store_db: Database) -> None:
    migrate.downgrade(store_db, "base")
    assert migrate.current_revision(store_db) is None
    migrate.upgrade(store_db)
    assert migrate.is_current(store_db)
    with store_db.read() as conn:
        assert feed.last_seq(conn) == 0


def test_a_created_client_reaches_its_key_worker_in_full(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina, nhs_number="9434765919")
    item = items_by_id(pull_all(world, nina))[client_id]
    assert item["access"] == "full"
    assert item["data"]["nhs_number"] == "9434765919"
    assert set(item["field_stamps"]) >= {"given_name", "nhs_number"}
    assert item["meta"]["created_by"] == nina.who.user_id


def test_a_replayed_batch_is_applied_once(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_id()
    batch = [
        nina.create("client", client_id, **client_values(nina.who.team_id, nina.who.user_id)),
        nina.append("contact", **contact_entry(client_id)),
        nina.create("risk_flag", **risk_values(client_id)),
    ]
    first = send(world, nina, *batch)
    assert [r["status"] for r in first] == ["applied"] * 3
    feed_size, record_count = count(world, changes), count(world, records)
    again = send(world, nina, *batch)
    assert [r["status"] for r in again] == ["already_applied"] * 3
    assert [r["seq"] for r in again] == [r["seq"] for r in first]
    assert (count(world, changes), count(world, records), count(world, applied_ops)) == (
        feed_size,
        record_count,
        3,
    )


def test_concurrent_edits_keep_the_losing_value_as_a_conflict(world: World) -> None:
    nina, mo = world.laptops["nina"], world.laptops["mo"]
    client_id = new_client(world, nina)
    mo.stamps[client_id] = dict(nina.stamps[client_id])  # both laptops saw the created record
    from_nina = nina.upsert("client", client_id, crisis_plan="Plan A")
    from_mo = mo.upsert("client", client_id, crisis_plan="Plan B")
    send(world, nina, from_nina)
    [result] = send(world, mo, from_mo)
    assert result["status"] == "conflict_recorded"
    with world.db.read() as conn:
        [row] = conn.execute(sa.select(conflicts)).all()
        stored = conn.execute(sa.select(records.c.data).where(records.c.id == client_id)).scalar_one()
    winner = max([from_nina, from_mo], key=lambda op: op["changes"]["crisis_plan"]["stamp"])
    loser = from_mo if winner is from_nina else from_nina
    assert stored["crisis_plan"] == winner["changes"]["crisis_plan"]["value"]
    assert row.loser["value"] == loser["changes"]["crisis_plan"]["value"]
    assert row.field == "crisis_plan"
    conflict_item = items_by_id(pull_all(world, nina))[row.id]
    assert conflict_item["kind"] == "conflict" and conflict_item["data"]["loser"] == row.loser


def test_merge_converges_whatever_order_the_changes_arrive_in(world: World) -> None:
    nina, mo = world.laptops["nina"], world.laptops["mo"]
    first, second = new_client(world, nina), new_client(world, nina)
    for cid in (first, second):
        mo.stamps[cid] = dict(nina.stamps[cid])
    a1, b1 = nina.upsert("client", first, phone="111"), mo.upsert("client", first, phone="222")
    a2 = {**a1, "op_id": new_id(), "record_id": second}
    b2 = {**b1, "op_id": new_id(), "record_id": second}
    send(world, nina, a1)
    send(world, mo, b1)
    send(world, mo, b2)
    send(world, nina, a2)
    with world.db.read() as conn:
        phones = dict(
            conn.execute(
                sa.select(records.c.id, records.c.data["phone"].as_string()).where(
                    records.c.id.in_([first, second])
                )
            ).all()
        )
        kept = conn.execute(sa.select(conflicts.c.record_id, conflicts.c.loser)).all()
    assert phones[first] == phones[second]
    assert {r.record_id for r in kept} == {first, second}
    assert all(r.loser["value"] != phones[first] for r in kept)


def test_an_update_that_saw_the_current_value_is_not_a_conflict(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    [result] = send(world, nina, nina.upsert("client", client_id, phone="07700 900000"))
    assert result["status"] == "applied"
    assert count(world, conflicts) == 0


def test_a_delete_is_a_tombstone_that_syncs(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    flag_id = new_id()
    send(world, nina, nina.create("risk_flag", flag_id, **risk_values(client_id)))
    [result] = send(world, nina, nina.delete("risk_flag", flag_id))
    assert result["status"] == "applied"
    item = items_by_id(pull_all(world, nina))[flag_id]
    assert item["deleted"] is True and "_deleted" in item["field_stamps"]


def test_entries_are_never_edited_in_place_but_may_be_amended(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    entry_id = new_id()
    send(world, nina, nina.append("contact", entry_id, **contact_entry(client_id)))
    [again] = send(world, nina, nina.append("contact", entry_id, **contact_entry(client_id, "changed")))
    assert again["status"] == "rejected" and "never edited" in again["reason"]
    amendment = {**contact_entry(client_id, "Corrected."), "amends_id": entry_id, "amend_reason": "typo"}
    [amended] = send(world, nina, nina.append("contact", **amendment))
    assert amended["status"] == "applied"
    [wrong] = send(world, nina, nina.append("contact", **{**amendment, "amends_id": new_id()}))
    assert wrong["status"] == "rejected"


def test_the_feed_pages_in_order_without_gaps_or_repeats(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    sent = [nina.append("contact", **contact_entry(client_id)) for _ in range(25)]
    send(world, nina, *sent)
    seen, cursor = [], 0
    while True:
        page = pull_all(world, nina, cursor, limit=7)
        seen += [item["id"] for item in page["changes"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert seen == [client_id] + [op["record_id"] for op in sent]
    assert pull_all(world, nina, cursor)["changes"] == []


def test_a_record_changed_twice_in_a_page_comes_once_in_its_latest_state(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    send(world, nina, nina.upsert("client", client_id, phone="1"))
    send(world, nina, nina.upsert("client", client_id, phone="2"))
    page = pull_all(world, nina)
    assert [i["id"] for i in page["changes"]] == [client_id]
    assert page["changes"][0]["data"]["phone"] == "2"


def test_pull_gives_the_on_call_summary_outside_the_caseload(world: World) -> None:
    nina, niall = world.laptops["nina"], world.laptops["niall"]
    client_id = new_client(world, nina, exclusion_zones="Town centre", referral_source="Ward 3")
    contact = nina.append("contact", **contact_entry(client_id))
    flag = nina.create("risk_flag", **risk_values(client_id))
    resolved = nina.create("risk_flag", **risk_values(client_id, status="resolved", resolved_reason="moved"))
    goal = nina.create(
        "support_goal", client_id=client_id, pathway="housing", goal="A flat", status="in_progress"
    )
    send(world, nina, contact, flag, resolved, goal)
    got = items_by_id(pull_all(world, niall))
    assert got[client_id]["access"] == "summary"
    assert got[client_id]["data"]["exclusion_zones"] == "Town centre"
    assert "referral_source" not in got[client_id]["data"]
    assert "referral_source" not in got[client_id]["field_stamps"]
    assert got[flag["record_id"]]["access"] == "summary"
    for hidden in (contact, resolved, goal):  # never held, so not even named (issue 19)
        assert hidden["record_id"] not in got


def test_a_first_sync_gets_no_forget_items_for_team_records_out_of_scope(world: World) -> None:
    nina, niall = world.laptops["nina"], world.laptops["niall"]
    client_id = new_client(world, nina)
    hidden = [nina.append("contact", **contact_entry(client_id)) for _ in range(3)]
    hidden.append(nina.create("risk_flag", **risk_values(client_id, status="resolved", resolved_reason="x")))
    send(world, nina, *hidden)
    page = pull_all(world, niall)
    assert [i for i in page["changes"] if i["access"] == "none"] == []
    # ...in whatever pages the sync is cut into.
    since, pages = 0, []
    while True:
        part = pull_all(world, niall, since, limit=2)
        pages += part["changes"]
        since = part["cursor"]
        if not part["more"]:
            break
    assert [i for i in pages if i["access"] == "none"] == []


def test_a_record_that_leaves_scope_after_a_sync_is_forgotten(world: World) -> None:
    nina, niall, mo = world.laptops["nina"], world.laptops["niall"], world.laptops["mo"]
    client_id = new_client(world, nina, co_worker_ids=[niall.who.user_id])
    contact = nina.append("contact", **contact_entry(client_id))
    send(world, nina, contact)
    first = pull_all(world, niall)
    assert items_by_id(first)[contact["record_id"]]["access"] == "full"
    send(world, mo, mo.upsert("client", client_id, co_worker_ids=[]))
    # A contact written after the sync and out of scope at once: never held, never named.
    unseen = nina.append("contact", **contact_entry(client_id))
    send(world, nina, unseen)
    after = items_by_id(pull_all(world, niall, first["cursor"]))
    assert after[contact["record_id"]] == {
        "seq": after[contact["record_id"]]["seq"],
        "kind": "contact",
        "id": contact["record_id"],
        "access": "none",
    }
    assert unseen["record_id"] not in after


def test_nothing_of_another_team_is_pulled(world: World) -> None:
    nina, sam = world.laptops["nina"], world.laptops["sam"]
    client_id = new_client(world, nina)
    send(world, nina, nina.append("contact", **contact_entry(client_id)))
    assert pull_all(world, sam)["changes"] == []


def test_a_new_co_worker_receives_the_clients_history(world: World) -> None:
    nina, niall, mo = world.laptops["nina"], world.laptops["niall"], world.laptops["mo"]
    client_id = new_client(world, nina)
    contact = nina.append("contact", **contact_entry(client_id))
    send(world, nina, contact)
    cursor = pull_all(world, niall)["cursor"]
    [result] = send(world, mo, mo.upsert("client", client_id, co_worker_ids=[niall.who.user_id]))
    assert result["status"] == "applied"
    later = items_by_id(pull_all(world, niall, cursor))
    assert later[contact["record_id"]]["access"] == "full"
    assert later[client_id]["access"] == "full"
    # ...and when the allocation goes, the next pull tells the laptop to forget the history.
    cursor = pull_all(world, niall)["cursor"]
    send(world, mo, mo.upsert("client", client_id, co_worker_ids=[]))
    after = items_by_id(pull_all(world, niall, cursor))
    assert after[contact["record_id"]]["access"] == "none"
    assert after[client_id]["access"] == "summary"


def test_a_navigator_cannot_reallocate_or_reach_outside_the_caseload(world: World) -> None:
    nina, niall = world.laptops["nina"], world.laptops["niall"]
    client_id = new_client(world, nina)
    [grab] = send(world, niall, niall.upsert("client", client_id, key_worker_id=niall.who.user_id))
    [give] = send(world, nina, nina.upsert("client", client_id, co_worker_ids=[niall.who.user_id]))
    [note] = send(world, niall, niall.append("contact", **contact_entry(client_id)))
    assert [grab["status"], give["status"], note["status"]] == ["rejected"] * 3
    assert count(world, changes) == 1


def test_rejected_operations_change_nothing(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    before = (count(world, changes), count(world, records), count(world, applied_ops))
    impersonation = nina.append("contact", **contact_entry(client_id))
    impersonation["author_id"] = world.laptops["niall"].who.user_id
    other_device = {**nina.append("contact", **contact_entry(client_id)), "device_id": new_id()}
    future = nina.upsert("client", client_id, phone="1")
    future["changes"]["phone"]["stamp"] = "9999999999999.00000." + nina.who.device_id
    unknown_client = nina.append("contact", **contact_entry(new_id()))
    results = send(
        world, nina, impersonation, other_device, future, unknown_client, {"op": "nonsense"}, [1, 2]
    )
    assert [r["status"] for r in results] == ["rejected"] * 6
    assert all(r["reason"] for r in results)
    assert (count(world, changes), count(world, records), count(world, applied_ops)) == before


def test_feed_sequence_numbers_are_contiguous_across_batches(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    for _ in range(3):
        send(world, nina, *(nina.append("contact", **contact_entry(client_id)) for _ in range(4)))
    with world.db.read() as conn:
        seqs = [r.seq for r in conn.execute(sa.select(changes.c.seq).order_by(changes.c.seq))]
        assert seqs == list(range(1, 14)) and feed.last_seq(conn) == 13


def test_numbers_that_json_cannot_carry_are_rejected(world: World) -> None:
    nina = world.laptops["nina"]
    client_id = new_id()
    values = client_values(nina.who.team_id, nina.who.user_id, key_contacts=[{"weight": float("nan")}])
    [result] = send(world, nina, nina.create("client", client_id, **values))
    assert result["status"] == "rejected" and "finite" in result["reason"]
    assert count(world, records) == 0


def test_a_batch_sees_its_own_writes_and_repeats(world: World) -> None:
    """A push reads what it needs once up front; later operations in the same batch still see the
    earlier ones' writes, and an operation sent twice in one batch is applied once."""
    nina = world.laptops["nina"]
    client_id = new_client(world, nina)
    first = nina.upsert("client", client_id, crisis_plan="Plan A")
    second = nina.upsert("client", client_id, crisis_plan="Plan B")
    results = send(world, nina, first, second, first)
    assert [r["status"] for r in results] == ["applied", "applied", "already_applied"]
    assert results[2]["seq"] == results[0]["seq"]
    assert count(world, conflicts) == 0
    with world.db.read() as conn:
        stored = conn.execute(sa.select(records.c.data).where(records.c.id == client_id)).scalar_one()
    assert stored["crisis_plan"] == "Plan B"
    assert items_by_id(pull_all(world, nina))[client_id]["data"]["crisis_plan"] == "Plan B"
