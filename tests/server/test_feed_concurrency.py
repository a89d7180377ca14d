"""The change feed never skips a committed change, also when writers overlap.

The hazard: writer A takes sequence number 2, writer B takes 3 and commits first, a reader pulls
and moves its cursor to 3, then A commits 2 and the reader never sees it. These tests drive real
concurrent PostgreSQL transactions through that interleaving, and hammer the feed from several
threads on both engines.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest

from navigator_core.fields import new_id
from navigator_core.timerules import Limits
from navigator_server import pull, push
from navigator_server.db import Database
from tests.server.helpers import Laptop, World, client_values, contact_entry

DRIFT = timedelta(hours=24)


def _world(db: Database) -> tuple[World, Laptop, Laptop, str]:
    world = World(db, db.settings)
    world.team("North")
    nina = world.person("nina", "North", "navigator")
    mo = world.person("mo", "North", "manager")
    client_id = new_id()
    with db.write() as conn:
        push.push(
            conn,
            nina.who,
            [nina.create("client", client_id, **client_values(nina.who.team_id, nina.who.user_id))],
            limits=Limits(drift=DRIFT),
        )
    return world, nina, mo, client_id


def _pull(db: Database, laptop: Laptop, since: int) -> dict[str, Any]:
    with db.read() as conn:
        return pull.pull(conn, laptop.who.actor, since, 1000)


@pytest.mark.postgres
def test_a_writer_that_took_a_number_first_holds_back_later_writers_until_it_commits(pg_db: Database) -> None:
    _, nina, mo, client_id = _world(pg_db)
    reader = mo
    cursor = _pull(pg_db, reader, 0)["cursor"]
    op_a = nina.append("contact", **contact_entry(client_id))
    op_b = mo.append("contact", **contact_entry(client_id))

    conn_a = pg_db.engine.connect()
    tx_a = conn_a.begin()
    # A has its number, uncommitted:
    [result_a] = push.push(conn_a, nina.who, [op_a], limits=Limits(drift=DRIFT))
    b_done = threading.Event()
    b_results: list[Any] = []

    def writer_b() -> None:
        with pg_db.write() as conn_b:
            b_results.extend(push.push(conn_b, mo.who, [op_b], limits=Limits(drift=DRIFT)))
        b_done.set()

    thread = threading.Thread(target=writer_b)
    thread.start()
    try:
        assert not b_done.wait(0.5), "B committed while A, holding an earlier number, was still open"
        between = _pull(pg_db, reader, cursor)
        assert between["changes"] == [] and between["cursor"] == cursor
        tx_a.commit()
    finally:
        conn_a.close()
        thread.join(10)
    assert b_done.is_set()
    after = _pull(pg_db, reader, cursor)
    assert [i["id"] for i in after["changes"]] == [op_a["record_id"], op_b["record_id"]]
    assert result_a.seq is not None and b_results[0].seq == result_a.seq + 1


@pytest.mark.postgres
def test_a_transaction_that_began_first_and_commits_last_is_not_missed(pg_db: Database) -> None:
    _, nina, mo, client_id = _world(pg_db)
    reader = mo
    cursor = _pull(pg_db, reader, 0)["cursor"]
    op_a = nina.append("contact", **contact_entry(client_id))
    op_b = mo.append("contact", **contact_entry(client_id))
    with pg_db.engine.connect() as conn_a:
        tx_a = conn_a.begin()
        conn_a.exec_driver_sql("SELECT txid_current()")  # A is under way (it has its transaction id)
        with pg_db.write() as conn_b:  # B starts later and commits first
            push.push(conn_b, mo.who, [op_b], limits=Limits(drift=DRIFT))
        first = _pull(pg_db, reader, cursor)  # the reader pulls in between
        assert [i["id"] for i in first["changes"]] == [op_b["record_id"]]
        push.push(conn_a, nina.who, [op_a], limits=Limits(drift=DRIFT))
        tx_a.commit()
    second = _pull(pg_db, reader, first["cursor"])
    assert [i["id"] for i in second["changes"]] == [op_a["record_id"]]


@pytest.mark.slow
def test_a_reader_pulling_throughout_concurrent_pushes_misses_nothing(store_db: Database) -> None:
    _, nina, mo, client_id = _world(store_db)
    writers = [nina, mo]
    expected: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    def write(laptop: Laptop) -> None:
        try:
            for _ in range(15):
                ops = [laptop.append("contact", **contact_entry(client_id)) for _ in range(3)]
                with store_db.write() as conn:
                    push.push(conn, laptop.who, ops, limits=Limits(drift=DRIFT))
                with lock:
                    expected.update(op["record_id"] for op in ops)
                time.sleep(0.001)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def read() -> None:
        cursor = _pull(store_db, mo, 0)["cursor"]
        try:
            while True:
                finished = stop.is_set()
                page = _pull(store_db, mo, cursor)
                seen.extend(i["id"] for i in page["changes"])
                cursor = page["cursor"]
                if finished and not page["changes"]:
                    return
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    reader = threading.Thread(target=read)
    threads = [threading.Thread(target=write, args=(w,)) for w in writers for _ in range(2)]
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stop.set()
    reader.join(60)
    assert not errors
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
