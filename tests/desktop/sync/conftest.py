"""A central store on loopback (SQLite) for the worker and CLI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from navigator_server.db import Database
from tests.e2e.harness import Org, live_server
from tests.server.conftest import sqlite_db, sqlite_template  # noqa: F401 - fixtures


@pytest.fixture
def served(sqlite_db: Database) -> Iterator[tuple[Org, str]]:  # noqa: F811
    org = Org(sqlite_db, sqlite_db.settings)
    with live_server(org.app()) as url:
        yield org, url
