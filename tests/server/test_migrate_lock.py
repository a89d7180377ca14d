"""Two hosts migrating one PostgreSQL database at the same moment take turns (an advisory lock)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from navigator_server import migrate
from navigator_server.db import Database
from tests.server.conftest import DEFAULT_PG
from tests.server.helpers import make_settings

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database() -> Iterator[str]:
    admin_url = os.environ.get("NAVIGATOR_TEST_POSTGRES_URL", DEFAULT_PG)
    name = f"navtest_migrate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_two_processes_migrating_at_once_both_succeed(empty_database: str) -> None:
    env = {**os.environ, "NAVIGATOR_DATABASE_URL": empty_database, "PYTHONPATH": str(ROOT)}
    # A lock held here first, so that both processes are surely waiting on it together.
    with psycopg.connect(empty_database, autocommit=False) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (migrate.MIGRATION_LOCK,))
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "navigator_server", "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        waiting = 0
        for _ in range(300):
            waiting = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone()[0]  # type: ignore[index]
            if waiting == 2:
                break
            holder.execute("SELECT pg_sleep(0.05)")
        assert waiting == 2, "both migrations should wait on the lock"
        holder.rollback()  # let them go, at the same moment
    outcomes = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outcomes
    db = Database(make_settings(empty_database))
    try:
        assert migrate.is_current(db)
    finally:
        db.dispose()
