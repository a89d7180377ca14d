"""What one incremental sync costs the server, kept small: the caller is read in one statement,
the dependencies that do no I/O stay off the thread pool, statements are built once per engine,
and pages on either side of a fetched chunk still lose nothing."""

from __future__ import annotations

import inspect
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import event

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_server import accounts, store
from navigator_server.api import deps
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import devices, rota, users
from tests.server.helpers import World
from tests.server.test_feed_scale import OTHERS_PER_OURS, THEIRS, _fill


@pytest.fixture
def world(store_db: Database) -> World:
    """Nina, a navigator, and Olu, on call, in one team."""
    made = World(store_db, store_db.settings)
    made.team("North")
    for username, role in (("nina", "navigator"), ("olu", "on_call")):
        made.person(username, "North", role)
    return made


def _caller(world: World, username: str) -> tuple[accounts.Principal, str | None]:
    with world.db.read() as conn:
        found = accounts.authenticate_seen(conn, world.laptops[username].token)
    assert found is not None
    return found


def _shift(world: World, username: str, starts: timedelta, ends: timedelta) -> None:
    now = timeutil.utcnow()
    with world.db.write() as conn:
        conn.execute(
            rota.insert().values(
                id=f"shift-{username}-{starts.total_seconds()}",
                team_id=world.teams["North"],
                user_id=world.laptops[username].who.user_id,
                starts_at=timeutil.to_text(now + starts),
                ends_at=timeutil.to_text(now + ends),
            )
        )


def test_the_caller_comes_with_their_shift_and_when_their_device_was_last_seen(world: World) -> None:
    olu = world.laptops["olu"]
    who, seen = _caller(world, "olu")
    assert (who.user_id, who.team_id, who.role, who.device_id) == (
        olu.who.user_id,
        olu.who.team_id,
        Role.ON_CALL,
        olu.who.device_id,
    )
    assert not who.revoked and not who.on_rota and seen is None
    _shift(world, "olu", timedelta(hours=-3), timedelta(hours=-1))  # over
    _shift(world, "olu", timedelta(hours=1), timedelta(hours=3))  # not begun
    assert not _caller(world, "olu")[0].on_rota
    _shift(world, "olu", timedelta(minutes=-5), timedelta(hours=1))
    with world.db.write() as conn:
        accounts.touch_device(conn, olu.who.device_id)
    who, seen = _caller(world, "olu")
    assert who.on_rota and seen is not None and seen <= timeutil.now_text()
    assert not _caller(world, "nina")[0].on_rota  # someone else's shift is not hers


def test_a_revoked_device_or_a_deactivated_user_is_revoked_and_an_unknown_token_nobody(world: World) -> None:
    nina, olu = world.laptops["nina"], world.laptops["olu"]
    with world.db.write() as conn:
        conn.execute(devices.update().where(devices.c.id == nina.who.device_id).values(revoked_at="x"))
        conn.execute(users.update().where(users.c.id == olu.who.user_id).values(active=False))
    assert _caller(world, "nina")[0].revoked and _caller(world, "olu")[0].revoked
    with world.db.read() as conn:
        assert accounts.authenticate_seen(conn, nina.token + "x") is None
        assert accounts.authenticate_seen(conn, "not a token") is None
        assert accounts.authenticate(conn, world.laptops["nina"].token) == _caller(world, "nina")[0]


def test_a_pull_reads_its_caller_in_one_statement(world: World) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    with TestClient(create_app(world.settings, world.db)) as api:
        nina = world.laptops["nina"]
        assert api.get("/v1/changes?since=0", headers=nina.headers).status_code == 200  # touches the device
        event.listen(world.db.engine, "before_cursor_execute", seen)
        try:
            response = api.get("/v1/changes?since=0", headers=nina.headers)
        finally:
            event.remove(world.db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    about_devices = [s for s in statements if "devices" in s]
    assert len(about_devices) == 1 and "rota" in about_devices[0], statements


def test_dependencies_without_io_are_coroutines() -> None:
    """FastAPI runs a plain function dependency on its thread pool; a coroutine runs in place."""
    assert inspect.iscoroutinefunction(deps.services)
    assert inspect.iscoroutinefunction(deps.require_role(Role.NAVIGATOR, refusal="no"))
    assert not inspect.iscoroutinefunction(deps.principal)  # it reads the database: thread pool


def _walk(db: Database, limit: int) -> tuple[list[int], int]:
    """Every change of the other team read page by page; and how many pages it took."""
    seqs: list[int] = []
    since, more, pages = 0, True, 0
    while more:
        with db.read() as conn:
            more, cursor, rows = store.feed_page(conn, THEIRS, since, limit)
        assert cursor == (rows[-1][0] if rows else since)
        seqs += [r[0] for r in rows]
        since, pages = cursor, pages + 1
    return seqs, pages


@pytest.mark.parametrize(
    "limit", [store._FETCH - 1, store._FETCH, store._FETCH + 1, 2 * store._FETCH + 7, 10_000]
)
def test_pages_on_either_side_of_the_first_chunk_lose_nothing(store_db: Database, limit: int) -> None:
    ours = 3
    _fill(store_db, ours)
    theirs = ours * OTHERS_PER_OURS
    seqs, pages = _walk(store_db, limit)
    assert len(seqs) == theirs and seqs == sorted(set(seqs))
    assert pages == -(-theirs // limit) + (1 if theirs % limit == 0 else 0)


def test_statements_built_once_read_any_number_of_ids(store_db: Database) -> None:
    """load_many (db.rows_for_ids) over more ids than one chunk, some unknown, on either engine."""
    _fill(store_db, 3)
    known = [f"r{seq:08d}" for seq in range(1, 3 * (OTHERS_PER_OURS + 1) + 1)]
    with store_db.read() as conn:
        found = store.load_many(conn, [*known, *known[:10], "no-such-record"])
        assert store.load_many(conn, []) == {}
    assert sorted(found) == known
    assert found[known[0]].data == {"name": "agency 1"}


@pytest.mark.postgres
def test_the_caller_is_read_outside_a_transaction_and_the_connection_goes_back_transactional(
    pg_db: Database,
) -> None:
    """db.lookup: no BEGIN or COMMIT around the one statement, and the pooled connection it used
    is an ordinary transactional one again for the next read or write."""
    world = World(pg_db, pg_db.settings)
    world.team("North")
    nina = world.person("nina", "North", "navigator")
    commits: list[object] = []

    def committed(conn: object) -> None:
        commits.append(conn)

    def status(conn: Any) -> int:
        return int(conn.connection.driver_connection.info.transaction_status)

    event.listen(pg_db.engine, "commit", committed)
    try:
        with pg_db.lookup() as conn:
            assert accounts.authenticate_seen(conn, nina.token) is not None
            assert status(conn) == 0  # idle: no transaction was opened
    finally:
        event.remove(pg_db.engine, "commit", committed)
    assert commits == []
    with pg_db.read() as conn:
        conn.execute(sa.text("SELECT 1"))
        assert status(conn) == 2  # in a transaction
