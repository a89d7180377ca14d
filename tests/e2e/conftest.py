"""A central store on both engines (a throwaway PostgreSQL database, an SQLite file), reusing the
server tests' fixtures, and an organisation in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from navigator_server.db import Database
from tests.e2e.harness import Laptop, Org, live_server
from tests.server.conftest import pg_db, pg_url, sqlite_db, sqlite_template  # noqa: F401 - fixtures
from tests.server.helpers import client_values


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server_db(request: pytest.FixtureRequest) -> Database:
    db: Database = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
    return db


@pytest.fixture
def org(server_db: Database) -> Org:
    return Org(server_db, server_db.settings)


@pytest.fixture
def url(org: Org) -> Iterator[str]:
    with live_server(org.app()) as base:
        yield base


@pytest.fixture
def pair(org: Org, url: str, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop, str]]:
    """Two navigators who co-work one client, each with an enrolled laptop; the client exists on both."""
    org.person("ann")
    org.person("bob")
    a, b = Laptop(tmp_path / "a", url), Laptop(tmp_path / "b", url)
    a.enrol(org, "ann")
    b.enrol(org, "bob")
    client = a.create(
        "client", **client_values(org.team_id, org.users["ann"], co_worker_ids=[org.users["bob"]])
    )
    a.sync()
    b.sync()
    yield a, b, client
    a.close()
    b.close()
