"""Live sync, server side: ``GET /v1/changes/wait`` answers when the team's feed moves, on both
engines, and across two server processes sharing one PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from navigator_core import timeutil
from navigator_server.app import create_app
from navigator_server.db import Database
from tests.e2e.harness import free_port, live_server
from tests.server.helpers import Laptop, World


def note(team_id: str, text: str = "Ring the ward before 9.") -> dict[str, Any]:
    return {
        "team_id": team_id,
        "text": text,
        "audience": "team",
        "valid_from": timeutil.now_text(),
        "priority": "urgent",
    }


def push_note(base: str, laptop: Laptop) -> float:
    """A handover note pushed by `laptop`; returns when the push was answered (monotonic)."""
    op = laptop.append("handover_note", **note(laptop.who.team_id))
    answer = httpx.post(f"{base}/v1/push", headers=laptop.headers, json={"ops": [op]}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied"
    return time.monotonic()


def cursor(base: str, laptop: Laptop) -> int:
    answer = httpx.get(f"{base}/v1/changes", headers=laptop.headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["cursor"])


class Waiter(threading.Thread):
    """One laptop's long-poll, held on a thread of the test."""

    def __init__(self, base: str, laptop: Laptop, since: int, timeout: float) -> None:
        super().__init__(daemon=True)
        self.args = base, laptop, since, timeout
        self.status = 0
        self.body: dict[str, Any] = {}
        self.returned = 0.0

    def run(self) -> None:
        base, laptop, since, timeout = self.args
        answer = httpx.get(
            f"{base}/v1/changes/wait",
            params={"since": since, "timeout": timeout},
            headers=laptop.headers,
            timeout=timeout + 30,
        )
        self.returned = time.monotonic()
        self.status, self.body = answer.status_code, answer.json()


def parked(base: str, app_waiting: Any, count: int = 1) -> None:
    """Wait until `count` requests are parked in the notifier (so the push comes after)."""
    deadline = time.monotonic() + 10
    while app_waiting() < count:
        assert time.monotonic() < deadline, "the waiter never parked"
        time.sleep(0.01)


@pytest.fixture
def world(store_db: Database) -> World:
    w = World(store_db, store_db.settings)
    w.team("north")
    w.team("south")
    w.person("ann", "north", "navigator")
    w.person("bob", "north", "navigator")
    w.person("sue", "south", "navigator")
    w.person("root", "north", "admin")
    return w


def waiting_in(app: Any) -> int:
    found = getattr(app.state, "live_notifier", None)
    return found.waiting if found is not None else 0


@pytest.fixture
def served(world: World) -> Iterator[tuple[str, Any]]:
    app = create_app(world.settings, world.db)
    with live_server(app) as base:
        yield base, lambda: waiting_in(app)


def test_a_waiter_returns_within_a_second_of_another_devices_push(
    world: World, served: tuple[str, Any]
) -> None:
    base, waiting = served
    ann, bob = world.laptops["ann"], world.laptops["bob"]
    since = cursor(base, bob)
    waiter = Waiter(base, bob, since, timeout=20)
    waiter.start()
    parked(base, waiting)
    pushed = push_note(base, ann)
    waiter.join(5)
    assert waiter.status == 200
    assert waiter.body["changed"] is True and waiter.body["seq"] > since
    assert waiter.returned - pushed < 1.0
    # What it was woken for is there to pull, and the cursor it then holds waits again.
    assert cursor(base, bob) == waiter.body["seq"]


def test_a_waiter_behind_the_feed_is_answered_at_once(world: World, served: tuple[str, Any]) -> None:
    base, _ = served
    push_note(base, world.laptops["ann"])
    started = time.monotonic()
    answer = httpx.get(
        f"{base}/v1/changes/wait", params={"since": 0}, headers=world.laptops["bob"].headers, timeout=30
    )
    assert answer.json()["changed"] is True
    assert time.monotonic() - started < 1.0


def test_a_waiter_returns_unchanged_at_its_timeout(world: World, served: tuple[str, Any]) -> None:
    base, _ = served
    bob = world.laptops["bob"]
    since = cursor(base, bob)
    started = time.monotonic()
    answer = httpx.get(
        f"{base}/v1/changes/wait", params={"since": since, "timeout": 0.6}, headers=bob.headers, timeout=30
    )
    took = time.monotonic() - started
    assert answer.status_code == 200
    assert answer.json() == {"changed": False, "seq": since}
    assert 0.5 <= took < 3.0


def test_another_teams_push_does_not_wake_a_waiter(world: World, served: tuple[str, Any]) -> None:
    base, waiting = served
    bob = world.laptops["bob"]
    waiter = Waiter(base, bob, cursor(base, bob), timeout=1.5)
    waiter.start()
    parked(base, waiting)
    push_note(base, world.laptops["sue"])
    waiter.join(10)
    assert waiter.body["changed"] is False


def test_the_wait_is_bounded_by_the_setting(world: World) -> None:
    world.settings.live_wait_max_seconds = 0.5
    app = create_app(world.settings, world.db)
    with live_server(app) as base:
        bob = world.laptops["bob"]
        since = cursor(base, bob)
        started = time.monotonic()
        answer = httpx.get(
            f"{base}/v1/changes/wait",
            params={"since": since, "timeout": 600},
            headers=bob.headers,
            timeout=30,
        )
        assert answer.json()["changed"] is False
        assert time.monotonic() - started < 3.0


def test_the_wait_needs_a_device_token_and_no_administrator(world: World, served: tuple[str, Any]) -> None:
    base, _ = served
    assert httpx.get(f"{base}/v1/changes/wait", timeout=30).status_code == 401
    answer = httpx.get(f"{base}/v1/changes/wait", headers=world.laptops["root"].headers, timeout=30)
    assert answer.status_code == 403


def test_more_waiters_than_the_thread_pool_are_all_parked_and_woken(
    world: World, served: tuple[str, Any]
) -> None:
    """The server's worker threads are anyio's pool of 40: were a waiter to hold one, no more than
    40 could be parked at once."""
    base, waiting = served
    bob = world.laptops["bob"]
    since = cursor(base, bob)
    waiters = [Waiter(base, bob, since, timeout=30) for _ in range(100)]
    for w in waiters:
        w.start()
    parked(base, waiting, 100)
    pushed = push_note(base, world.laptops["ann"])
    for w in waiters:
        w.join(10)
    assert all(w.body["changed"] for w in waiters)
    assert max(w.returned for w in waiters) - pushed < 2.0


@pytest.mark.postgres
def test_a_push_on_one_process_wakes_a_waiter_on_another(pg_db: Database, pg_url: str) -> None:
    world = World(pg_db, pg_db.settings)
    world.team("north")
    ann, bob = world.person("ann", "north", "navigator"), world.person("bob", "north", "navigator")
    with serve(pg_url) as first, serve(pg_url) as second:
        since = cursor(second, bob)
        waiter = Waiter(second, bob, since, timeout=20)
        waiter.start()
        time.sleep(1.0)  # the other process parks it (it cannot be asked how many it holds)
        assert waiter.is_alive()
        pushed = push_note(first, ann)
        waiter.join(10)
        assert waiter.body["changed"] is True
        assert waiter.returned - pushed < 1.0


@contextlib.contextmanager
def serve(database_url: str) -> Iterator[str]:
    """A server process of its own (uvicorn) on loopback."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.serve_for_tests", database_url, str(port)], env={**os.environ}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.mark.postgres
def test_a_lost_listen_connection_is_made_again_and_what_came_meanwhile_wakes(
    pg_db: Database, pg_url: str
) -> None:
    world = World(pg_db, pg_db.settings)
    world.team("north")
    ann, bob = world.person("ann", "north", "navigator"), world.person("bob", "north", "navigator")
    app = create_app(world.settings, world.db)
    with live_server(app) as base:
        since = cursor(base, bob)
        waiter = Waiter(base, bob, since, timeout=20)
        waiter.start()
        parked(base, lambda: waiting_in(app))
        with world.db.write() as conn:  # the database drops the listener (a restart, a network cut)
            killed = conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                )
            ).all()
        assert len(killed) == 1
        push_note(base, ann)
        waiter.join(10)
        assert waiter.body["changed"] is True
        # and it listens again: the next push wakes the next waiter at once
        waiter = Waiter(base, bob, waiter.body["seq"], timeout=20)
        waiter.start()
        parked(base, lambda: waiting_in(app))
        pushed = push_note(base, ann)
        waiter.join(10)
        assert waiter.body["changed"] is True and waiter.returned - pushed < 1.0
