"""Live sync, the laptop's half, against a real central store on loopback: the long-poll says
"pull now" when another laptop pushes, stops at once, backs off when the store is away, and the
watch client reads its counts with a token held in memory."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from navigator_core import timeutil
from navigator_desktop.store import records, settings
from navigator_desktop.sync.errors import AuthError
from navigator_desktop.sync.live import LiveSync, WatchClient
from navigator_server import accounts
from navigator_server.app import create_app
from navigator_server.db import Database
from tests.e2e.harness import Laptop, Org, free_port, live_server, token


@dataclass
class Served:
    org: Org
    app: FastAPI
    url: str

    def parked(self, count: int = 1) -> None:
        deadline = time.monotonic() + 10
        while getattr(getattr(self.app.state, "live_notifier", None), "waiting", 0) < count:
            assert time.monotonic() < deadline, "no long-poll was parked"
            time.sleep(0.01)


@dataclass
class Told:
    """What the loop called back, and the config it reads (kept by the test thread)."""

    url: str
    token: str | None
    cursor: int = 0
    calls: int = 0
    event: threading.Event = field(default_factory=threading.Event)

    def config(self) -> tuple[str | None, str | None, int]:
        return self.url, self.token, self.cursor

    def pull_now(self) -> None:
        self.calls += 1
        self.event.set()


@pytest.fixture
def served(sqlite_db: Database) -> Iterator[Served]:
    org = Org(sqlite_db, sqlite_db.settings)
    app = create_app(org.settings, org.db)
    with live_server(app) as url:
        yield Served(org, app, url)


@pytest.fixture
def pair(served: Served, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    served.org.person("ann")
    served.org.person("bob", "on-call")
    a, b = Laptop(tmp_path / "a", served.url), Laptop(tmp_path / "b", served.url)
    a.enrol(served.org, "ann")
    b.enrol(served.org, "bob")
    a.sync()
    b.sync()
    yield a, b
    a.close()
    b.close()


def urgent_note(laptop: Laptop, team_id: str) -> str:
    values = {
        "team_id": team_id,
        "text": "The flat's buzzer is broken: ring first.",
        "audience": "on_call",
        "valid_from": timeutil.now_text(),
        "priority": "urgent",
    }
    return laptop.append("handover_note", **values)


def cursor_of(laptop: Laptop) -> int:
    return int(settings.get(laptop.db, settings.SYNC_CURSOR) or 0)


def test_b_is_told_to_pull_as_soon_as_a_pushes_and_then_holds_the_note(
    served: Served, pair: tuple[Laptop, Laptop]
) -> None:
    a, b = pair
    told = Told(served.url, token(b), cursor_of(b))
    live = LiveSync(told.config, told.pull_now, wait_seconds=20)
    live.start()
    try:
        served.parked()
        note_id = urgent_note(a, served.org.team_id)
        a.sync()
        pushed = time.monotonic()
        assert told.event.wait(5)
        b.sync()  # what the app's sync worker does when told
        pulled = time.monotonic()
        assert records.get(b.db, "handover_note", note_id) is not None
        assert pulled - pushed < 1.0
        told.cursor = cursor_of(b)
        # It waits again from there: not woken by what it has already pulled.
        told.event.clear()
        served.parked()
        assert not told.event.is_set() and told.calls == 1 and live.wakes == 1
    finally:
        live.stop()


def test_stop_ends_a_held_long_poll_at_once_and_nothing_is_called_after(
    served: Served, pair: tuple[Laptop, Laptop]
) -> None:
    a, b = pair
    told = Told(served.url, token(b), cursor_of(b))
    live = LiveSync(told.config, told.pull_now, wait_seconds=25)
    live.start()
    served.parked()
    started = time.monotonic()
    live.stop()
    assert time.monotonic() - started < 1.0
    assert not live.running
    urgent_note(a, served.org.team_id)
    a.sync()
    time.sleep(0.5)
    assert told.calls == 0


def test_it_backs_off_while_the_store_is_away_and_stops_promptly(tmp_path: Path) -> None:
    told = Told(f"http://127.0.0.1:{free_port()}", "nvd_not-a-real-token")
    live = LiveSync(told.config, told.pull_now, wait_seconds=5, min_backoff=0.05, max_backoff=0.2)
    live.start()
    time.sleep(1.0)
    failures = live.failures
    started = time.monotonic()
    live.stop()
    assert time.monotonic() - started < 0.5 and not live.running
    assert 3 <= failures <= 30  # backing off, not spinning
    assert told.calls == 0


def test_a_revoked_device_asks_for_one_sync_and_the_loop_ends(
    served: Served, pair: tuple[Laptop, Laptop]
) -> None:
    _a, b = pair
    told = Told(served.url, token(b), cursor_of(b))
    with served.org.db.write() as conn:
        accounts.revoke_device(conn, str(settings.get(b.db, settings.DEVICE_ID)))
    live = LiveSync(told.config, told.pull_now, wait_seconds=5)
    live.start()
    assert told.event.wait(5)  # the sync it asks for finds the revocation and wipes
    deadline = time.monotonic() + 5
    while live.running:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert told.calls == 1


def test_the_watch_client_reads_counts_with_a_token_it_keeps_in_memory(
    served: Served, pair: tuple[Laptop, Laptop]
) -> None:
    a, b = pair
    watch = WatchClient(served.url)
    with pytest.raises(AuthError):
        watch.watch_counts()
    expires = watch.obtain(token(b))
    assert watch.holding and timeutil.parse(expires) > timeutil.utcnow()
    urgent_note(a, served.org.team_id)
    a.sync()
    counts = watch.watch_counts()
    assert (counts.overdue_visits, counts.urgent_notes) == (0, 1)
    # Nothing of it was written to the laptop's settings.
    stored: Any = [settings.get(b.db, key) for key in (settings.DEVICE_TOKEN, settings.SERVER_URL)]
    assert watch._token not in stored
    watch.forget()
    with pytest.raises(AuthError):
        watch.watch_counts()
