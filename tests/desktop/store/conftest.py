"""A fresh store database for every test, over both drivers the store must work with: the
standard sqlite3 module and SQLCipher (with a fixed raw test key)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from navigator_desktop.store import context
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database, apply_migrations
from navigator_desktop.store.plain import open_plain
from tests.desktop.store.helpers import DEVICE_ID, TEST_KEY_HEX, USER_ID, Clock


def open_cipher(path: Path) -> Database:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{TEST_KEY_HEX}'\"")
    conn.execute("PRAGMA journal_mode = WAL")
    apply_migrations(conn)
    return Database(conn)


@pytest.fixture(params=["sqlite", "sqlcipher"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "store.db"
    database = open_plain(path) if request.param == "sqlite" else open_cipher(path)
    yield database
    database.close()


@pytest.fixture
def plain_db(tmp_path: Path) -> Iterator[Database]:
    """One driver only, for tests about SQL rather than about the driver."""
    database = open_plain(tmp_path / "plain.db")
    yield database
    database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def actor(clock: Clock) -> Actor:
    return context.make_actor(USER_ID, DEVICE_ID, now=clock)
