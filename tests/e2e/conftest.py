"""A central store on both engines (a throwaway PostgreSQL database, an SQLite file), reusing the
server tests' fixtures, and an organisation in it."""

from __future__ import annotations

import pytest

from navigator_server.db import Database
from tests.e2e.harness import Org
from tests.server.conftest import pg_db, pg_url, sqlite_db, sqlite_template  # noqa: F401 - fixtures


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server_db(request: pytest.FixtureRequest) -> Database:
    db: Database = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
    return db


@pytest.fixture
def org(server_db: Database) -> Org:
    return Org(server_db, server_db.settings)
