"""Fixtures for the server tests: a throwaway PostgreSQL database per session (never skipped: the
tests fail loudly when PostgreSQL is missing), an SQLite file per test, and a `store` fixture that
runs the same storage tests on both engines."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from navigator_server import migrate
from navigator_server.db import Database
from tests.server.helpers import empty_postgres, make_settings

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A uniquely named, freshly migrated PostgreSQL database, dropped after the session."""
    admin_url = os.environ.get("NAVIGATOR_TEST_POSTGRES_URL", DEFAULT_PG)
    name = f"navtest_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is unreachable at {admin_url} ({exc.__class__.__name__}). The server tests need it: "
            "start it or set NAVIGATOR_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    db = Database(make_settings(url))
    migrate.upgrade(db)
    db.dispose()
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "navigator.db"
    db = Database(make_settings(f"sqlite:///{path}"))
    migrate.upgrade(db)
    db.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "navigator.db"
    shutil.copy(sqlite_template, path)
    db = Database(make_settings(f"sqlite:///{path}"))
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database(make_settings(pg_url))
    empty_postgres(db)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_db(request: pytest.FixtureRequest) -> Database:
    """The storage suite's database: every test using it runs once per engine."""
    fixture = "sqlite_db" if request.param == "sqlite" else "pg_db"
    db: Database = request.getfixturevalue(fixture)
    return db
