"""A real central store on loopback and laptops with their own vaults, for end-to-end sync tests
(and the sync benchmark).

``live_server`` runs uvicorn in a thread on a free port. ``Laptop`` is one device: an encrypted vault
(test key-derivation settings), a signed-in actor, and a SyncEngine over real HTTP (or any
``httpx`` transport, e.g. the in-process ``AsgiBridge`` the property test uses for speed).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.kinds import ALL_KINDS, KINDS
from navigator_core.policy import Role
from navigator_desktop.session import Session
from navigator_desktop.store import codec, outbox, records, settings, visits
from navigator_desktop.sync.engine import Direct, SyncEngine
from navigator_desktop.sync.transport import Transport
from navigator_desktop.vault import KdfParams
from navigator_server import accounts, overdue, security
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.settings import Settings
from tests.server.helpers import client_values

PASSWORD = "correct horse battery staple"
PASSPHRASE = "a long enough passphrase for tests only"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(app: FastAPI, port: int | None = None) -> Iterator[str]:
    """Serve `app` on loopback in a thread; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


class AsgiBridge(httpx.BaseTransport):
    """A synchronous httpx transport that calls an ASGI app in-process (fast; no sockets)."""

    def __init__(self, app: FastAPI) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> httpx.Response:
            req = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._inner.handle_async_request(req)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        with self._lock:
            return self._loop.run_until_complete(call())

    def close(self) -> None:
        self._loop.close()


@dataclass
class Org:
    """The central store's people: one team, users made directly, enrolment codes issued."""

    db: Database
    settings: Settings
    team_id: str = ""
    users: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        with self.db.write() as conn:
            self.team_id = accounts.create_team(conn, f"Team {new_id()[-8:]}")

    def person(self, username: str, role: str = "navigator") -> str:
        with self.db.write() as conn:
            self.users[username] = accounts.create_user(
                conn,
                security.Passwords(self.settings),
                self.settings,
                username=username,
                team_id=self.team_id,
                role=Role.parse(role),
                password=PASSWORD,
            )
        return self.users[username]

    def code(self, username: str) -> str:
        with self.db.write() as conn:
            code, _ = accounts.issue_enrolment_code(conn, self.settings, self.users[username])
        return code

    def app(self) -> FastAPI:
        return create_app(self.settings, self.db)


def checked_in(session: Session, org: Org, minutes_ago: int, username: str = "ann") -> str:
    """`username`'s new client, and their visit there, checked in `minutes_ago` for an hour (not yet
    pushed); the visit id."""
    worker = org.users[username]
    client = records.create(session.db, session.actor, "client", client_values(org.team_id, worker)).record_id
    start = timeutil.to_text(timeutil.utcnow() - timedelta(minutes=minutes_ago))
    values = {
        "client_id": client,
        "place": "Flat 3, 9 Mill Lane",
        "planned_start": start,
        "expected_minutes": 60,
    }
    visit_id = visits.plan(session.db, session.actor, values).record_id
    visits.start(session.db, session.actor, visit_id, start)
    return visit_id


def visit_gone_overdue(org: Org, url: str, where: Path, username: str = "ann") -> str:
    """A navigator (made now) on a laptop of their own checked in 90 minutes ago for an hour and
    pushed it; the store's sweep marks it overdue. The visit id."""
    org.person(username)
    other = Laptop(where, url)
    try:
        other.enrol(org, username)
        visit_id = checked_in(other.session, org, minutes_ago=90, username=username)
        assert other.sync().rejected == 0
    finally:
        other.close()
    with org.db.write() as conn:
        assert overdue.sweep(conn, org.settings.overdue_grace_minutes) == [visit_id]
    return visit_id


def sqlite_org(path: Path) -> Org:
    """A central store in a new SQLite file at `path` (migrated), with one team: for scripts."""
    from navigator_server.migrate import upgrade
    from tests.server.helpers import make_settings

    db = Database(make_settings(f"sqlite:///{path}"))
    upgrade(db)
    return Org(db, db.settings)


class Laptop:
    """One enrolled device with its own encrypted vault."""

    def __init__(
        self,
        data_dir: Path,
        url: str,
        *,
        http_transport: httpx.BaseTransport | None = None,
        push_batch: int = 500,
        page_size: int = 1000,
    ) -> None:
        self.session = Session(data_dir, KdfParams.for_tests())
        if self.session.vault.exists():
            self.session.unlock(PASSPHRASE)
        else:
            self.session.create(PASSPHRASE, recovery_key=False)
        self.url = url
        self.http_transport = http_transport
        self.engine = SyncEngine(
            Direct(self.session),
            self._transport,
            push_batch=push_batch,
            page_size=page_size,
            wipe=self._wipe,
        )
        self.wiped = False

    def _transport(self, url: str, token: str | None) -> Transport:
        return Transport(url, token, http_transport=self.http_transport, backoff=0.01, retries=3)

    def _wipe(self) -> None:
        from navigator_desktop.sync.wipe import wipe_session

        wipe_session(self.session)
        self.wiped = True

    @property
    def db(self) -> Any:
        return self.session.db

    @property
    def actor(self) -> Any:
        assert self.session.actor is not None
        return self.session.actor

    def enrol(self, org: Org, username: str) -> None:
        self.engine.enrol(self.url, username, org.code(username), PASSWORD, device_name=username)

    def sync(self) -> Any:
        return self.engine.sync()

    # writes, as the screens make them
    def create(self, kind: str, **values: Any) -> str:
        return records.create(self.db, self.actor, kind, values).record_id

    def update(self, kind: str, record_id: str, **values: Any) -> None:
        records.update(self.db, self.actor, kind, record_id, values)

    def delete(self, kind: str, record_id: str) -> None:
        records.delete(self.db, self.actor, kind, record_id)

    def append(self, kind: str, **values: Any) -> str:
        return records.append(self.db, self.actor, kind, values).record_id

    def get(self, kind: str, record_id: str) -> dict[str, Any] | None:
        return records.get(self.db, kind, record_id, include_deleted=True)

    def close(self) -> None:
        self.session.lock()


def dump_local(db: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record on a laptop in a canonical form: fields, stamps, tombstone (no local-only columns)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for spec in ALL_KINDS:
        for row in db.query(f"SELECT * FROM {spec.table}"):
            record = codec.decode_row(spec, row)
            found[(spec.name, record["id"])] = _canonical(spec.name, record)
    return found


def dump_server(url: str, token: str, http_transport: httpx.BaseTransport | None = None) -> dict[Any, Any]:
    """What the store would give this device from scratch: every record in its scope."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    with Transport(url, token, http_transport=http_transport) as transport:
        since, more = 0, True
        while more:
            page = transport.changes(since, 1000)
            for item in page["changes"]:
                if item["kind"] == "conflict":
                    continue
                key = (item["kind"], item["id"])
                if item["access"] == "none":
                    found.pop(key, None)
                    continue
                record = {**item.get("data", {}), **(item.get("meta") or {}), "id": item["id"]}
                if KINDS[item["kind"]].mutable:
                    record["field_stamps"] = item.get("field_stamps", {})
                    record["deleted"] = bool(item.get("deleted"))
                found[key] = _canonical(item["kind"], record)
            since, more = page["cursor"], page["more"]
    return found


def _canonical(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    spec = KINDS[kind]
    values = {name: record.get(name) for name in spec.field_names if record.get(name) is not None}
    if spec.mutable:
        values["_stamps"] = dict(record.get("field_stamps") or {})
        values["_deleted"] = bool(record.get("deleted"))
    return values


def conflicts_of(db: Any) -> set[tuple[str, str, str, str]]:
    rows = db.query("SELECT record_id, field, kept_stamp, lost_stamp FROM conflicts")
    return {(r["record_id"], r["field"], r["kept_stamp"], r["lost_stamp"]) for r in rows}


def token(laptop: Laptop) -> str:
    value = settings.get(laptop.db, settings.DEVICE_TOKEN)
    assert value
    return str(value)


def assert_converged(url: str, *laptops: Laptop) -> None:
    """Nothing waiting anywhere, and each laptop holds exactly what the store gives it from scratch."""
    for laptop in laptops:
        assert outbox.pending_count(laptop.db) == 0
        assert dump_local(laptop.db) == dump_server(url, token(laptop))
