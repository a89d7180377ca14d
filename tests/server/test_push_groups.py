"""Pushes waiting in one process go to the database together (api/push_queue.py, push.push_many).

A group must answer each push exactly as if it had had a transaction of its own in that order,
one push's failure must not fail the others, and a burst of pushes through the API must come
back applied, each with its own answer, while the pushes wait without holding a connection.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.pool import QueuePool

from navigator_core.fields import new_id
from navigator_core.timerules import Limits
from navigator_server import pull, push
from navigator_server.api.push_queue import Grouped
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import changes, feed_counter
from tests.server.helpers import World, contact_entry, risk_values
from tests.server.test_feed_concurrency import _world
from tests.server.test_overdue import ago, load, send, setup_visit
from tests.server.test_overdue import sweep as overdue_sweep

LIMITS = Limits(drift=timedelta(hours=24))


class Recorder:
    """`together` and `alone` for Grouped that record the groups; the first group waits for
    `release` so that the items submitted meanwhile queue behind it."""

    def __init__(self, bad: str = "") -> None:
        self.groups: list[list[str]] = []
        self.alone_calls: list[str] = []
        self.release = threading.Event()
        self.bad = bad

    def together(self, items: Sequence[str]) -> list[str]:
        if not self.groups:
            self.release.wait(10)
        self.groups.append(list(items))
        if self.bad in items:
            raise RuntimeError("one of them broke the transaction")
        return [f"done {i}" for i in items]

    def alone(self, item: str) -> str:
        self.alone_calls.append(item)
        if item == self.bad:
            raise ValueError(f"{item} is bad")
        return f"done {item}"


async def _submit_while_first_waits(
    grouped: Grouped[str, str], recorder: Recorder, names: list[str]
) -> list[Any]:
    first = asyncio.ensure_future(grouped.submit(names[0]))
    await asyncio.sleep(0.05)  # the first is on the thread pool, held there
    rest = [asyncio.ensure_future(grouped.submit(n)) for n in names[1:]]
    await asyncio.sleep(0.05)
    recorder.release.set()
    return await asyncio.gather(first, *rest, return_exceptions=True)


def test_pushes_that_arrive_while_a_group_is_applied_go_together_in_order() -> None:
    recorder = Recorder()
    # The first group is one item: `alone` answers it, so let `together` see every group.
    grouped: Grouped[str, str] = Grouped(recorder.together, lambda i: recorder.together([i])[0], len, 100)
    answers = asyncio.run(_submit_while_first_waits(grouped, recorder, ["a", "b", "c", "d"]))
    assert answers == ["done a", "done b", "done c", "done d"]
    assert recorder.groups == [["a"], ["b", "c", "d"]]
    assert (grouped.groups, grouped.items) == (2, 4)


def test_a_group_holds_at_most_its_size_and_a_larger_item_goes_alone() -> None:
    recorder = Recorder()
    grouped: Grouped[str, str] = Grouped(recorder.together, lambda i: recorder.together([i])[0], len, 4)
    names = ["a", "bb", "cc", "ddddd", "e"]  # sizes 1, 2, 2, 5, 1
    answers = asyncio.run(_submit_while_first_waits(grouped, recorder, names))
    assert answers == [f"done {n}" for n in names]
    assert recorder.groups == [["a"], ["bb", "cc"], ["ddddd"], ["e"]]


def test_when_a_group_fails_each_push_is_applied_alone_and_only_the_bad_one_fails() -> None:
    recorder = Recorder(bad="c")
    grouped: Grouped[str, str] = Grouped(recorder.together, recorder.alone, len, 100)
    recorder.groups.append(["(a group before)"])  # so that `together` does not wait
    recorder.release.set()

    async def burst() -> list[Any]:
        first = asyncio.ensure_future(grouped.submit("a"))
        rest = [asyncio.ensure_future(grouped.submit(n)) for n in ("b", "c", "d")]
        return await asyncio.gather(first, *rest, return_exceptions=True)

    answers = asyncio.run(burst())
    assert answers[0] == "done a" and answers[1] == "done b" and answers[3] == "done d"
    assert isinstance(answers[2], ValueError) and str(answers[2]) == "c is bad"
    assert recorder.groups[1:] == [["a", "b", "c", "d"]]  # tried together, rolled back, then one by one
    assert recorder.alone_calls == ["a", "b", "c", "d"]


def test_pushes_applied_together_answer_as_if_each_had_its_own_transaction(store_db: Database) -> None:
    world, _, _, client_id = _world(store_db)
    nina, mo = world.laptops["nina"], world.laptops["mo"]
    note = nina.append("contact", **contact_entry(client_id))
    risk_id = new_id()
    with store_db.read() as conn:
        before = conn.execute(sa.select(feed_counter.c.last_seq)).scalar_one()
    pushes = [
        (nina.who, [note]),
        (mo.who, [mo.create("risk_flag", risk_id, **risk_values(client_id))]),
        (nina.who, [note]),  # sent again (a retry): already applied by the first, in this transaction
        (mo.who, [{"op_id": "not-an-id"}]),  # malformed: rejected, and the others stand
    ]
    with store_db.write() as conn:
        answers = push.push_many(conn, pushes, limits=LIMITS)
    statuses = [[r.status.value for r in results] for results in answers]
    assert statuses[0] == ["applied"] and statuses[1] == ["applied"]
    assert statuses[2] == ["already_applied"] and answers[2][0].seq == answers[0][0].seq
    assert statuses[3] == ["rejected"]
    # One feed lock: consecutive numbers, the counter moved once to the last of them.
    first, second = answers[0][0].seq, answers[1][0].seq
    assert (first, second) == (before + 1, before + 2)
    with store_db.read() as conn:
        assert conn.execute(sa.select(feed_counter.c.last_seq)).scalar_one() == before + 2
        assert conn.execute(sa.select(sa.func.count()).where(changes.c.seq > before)).scalar_one() == 2
        page = pull.pull(conn, mo.who.actor, before, 100)
    assert [c["id"] for c in page["changes"]] == [note["record_id"], risk_id]


def test_a_burst_of_pushes_through_the_api_is_applied_each_with_its_own_answer(store_db: Database) -> None:
    world, _, _, client_id = _world(store_db)
    nina = world.laptops["nina"]
    notes = [nina.append("contact", **contact_entry(client_id)) for _ in range(24)]
    with TestClient(create_app(world.settings, store_db)) as api:

        def send(op: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
            answer = api.post("/v1/push", json={"ops": [op]}, headers=nina.headers)
            return answer.status_code, answer.json()["results"]

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, notes))
        services = api.app.state.services  # type: ignore[attr-defined]
        groups, items = services.pushes.groups, services.pushes.items
        page = api.get("/v1/changes?since=0", headers=nina.headers).json()
    assert [status for status, _ in answers] == [200] * 24
    assert [[r["op_id"] for r in results] for _, results in answers] == [[n["op_id"]] for n in notes]
    assert {r["status"] for _, results in answers for r in results} == {"applied"}
    assert len({r["seq"] for _, results in answers for r in results}) == 24
    assert items == 24 and 1 <= groups <= 24
    assert {n["record_id"] for n in notes} <= {c["id"] for c in page["changes"]}


@pytest.mark.postgres
def test_pushes_waiting_for_the_feed_lock_hold_no_connection(pg_db: Database) -> None:
    """While another transaction holds the feed lock, a burst of pushes queues in the process: at
    most one of them holds a pooled connection (waiting on the lock), and the pulls still get one."""
    world, _, _, client_id = _world(pg_db)
    nina = world.laptops["nina"]
    notes = [nina.append("contact", **contact_entry(client_id)) for _ in range(12)]
    settings = world.settings.model_copy(
        update={"db_pool_size": 3, "db_max_overflow": 0, "db_pool_timeout_seconds": 3}
    )
    db = Database(settings)
    try:
        with TestClient(create_app(settings, db)) as api, ThreadPoolExecutor(12) as pool:
            services = api.app.state.services  # type: ignore[attr-defined]
            connections = db.engine.pool
            assert isinstance(connections, QueuePool)
            holder = pg_db.engine.connect()
            tx = holder.begin()
            holder.execute(sa.update(feed_counter).values(last_seq=feed_counter.c.last_seq))  # the lock
            try:
                sent = [
                    pool.submit(api.post, "/v1/push", json={"ops": [n]}, headers=nina.headers) for n in notes
                ]
                queued = _until(lambda: services.pushes.items == 0 and connections.checkedout() == 1)
                held = connections.checkedout()
                pulled = api.get("/v1/changes?since=0", headers=nina.headers)  # a connection is free for it
            finally:
                tx.rollback()
                holder.close()
            answers = [f.result(timeout=30) for f in sent]
    finally:
        db.dispose()
    assert queued, f"{held} of 3 connections held while another transaction had the feed lock"
    assert pulled.status_code == 200
    assert [a.status_code for a in answers] == [200] * 12
    assert {a.json()["results"][0]["status"] for a in answers} == {"applied"}


def _until(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_later_push_in_a_group_sees_what_the_overdue_rules_changed_after_an_earlier_one(
    store_db: Database,
) -> None:
    """The first push's extension withdraws the store's overdue mark (overdue.after_push, after
    the push's own writes); the second push, in the same group, edits the same visit. It must
    merge into the visit as the withdrawal left it, not as the first push left it."""
    world = World(store_db, store_db.settings)
    world.team("North")
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    checked_in = nav.upsert("visit", visit, status="in_progress", checked_in_at=ago(120))
    assert send(store_db, nav, checked_in) == ["applied"]
    assert overdue_sweep(store_db) == [visit]
    extend = nav.upsert("visit", visit, expected_minutes=180)
    move = nav.upsert("visit", visit, place="The cafe on the corner")
    with store_db.write() as conn:
        answers = push.push_many(conn, [(nav.who, [extend]), (nav.who, [move])], limits=LIMITS)
    assert [[r.status.value for r in results] for results in answers] == [["applied"], ["applied"]]
    stored = load(store_db, visit)
    assert stored.data["status"] == "in_progress"  # the mark stays withdrawn
    assert (stored.data["place"], stored.data["expected_minutes"]) == ("The cafe on the corner", 180)
