"""deploy/backup.sh and deploy/restore.sh, run as an operator would against a throwaway database:
the restored store holds the same records and feed, and a restore never lands on a database that
exists."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from navigator_server.db import Database
from navigator_server.feed import last_seq
from navigator_server.schema import changes, records
from tests.server.helpers import World, client_values, contact_entry, make_settings
from tests.server.test_store import send

pytestmark = pytest.mark.postgres
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _state(db: Database) -> tuple[int, int, int, list[str]]:
    with db.read() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(records)).scalar_one()
        fed = conn.execute(sa.select(sa.func.count()).select_from(changes)).scalar_one()
        texts = list(
            conn.execute(sa.select(sa.cast(records.c.data, sa.Text)).order_by(records.c.id)).scalars()
        )
        return count, fed, last_seq(conn), texts


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_a_backup_restores_into_a_new_database_whole(pg_db: Database, pg_url: str, tmp_path: Path) -> None:
    world = World(pg_db, pg_db.settings)
    team_id = world.team("North")
    nina = world.person("nina", "North", "navigator")
    client_id = "0190c0de-0000-7000-8000-0000000000b1"
    send(world, nina, nina.create("client", client_id, **client_values(team_id, nina.who.user_id)))
    send(world, nina, *[nina.append("contact", **contact_entry(client_id, f"note {i}")) for i in range(5)])
    before = _state(pg_db)

    backup = _run(str(DEPLOY / "backup.sh"), str(tmp_path / "dumps"), env={"NAVIGATOR_DATABASE_URL": pg_url})
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.is_file() and dump.parent == tmp_path / "dumps"
    assert dump.stat().st_mode & 0o077 == 0  # the owner's alone

    name = f"navtest_restore_{uuid.uuid4().hex[:8]}"
    target = pg_url.rsplit("/", 1)[0] + "/" + name
    try:
        restored = _run(str(DEPLOY / "restore.sh"), str(dump), target, env={})
        assert restored.returncode == 0, restored.stderr
        assert "schema revision" in restored.stdout
        db = Database(make_settings(target))
        try:
            assert _state(db) == before
        finally:
            db.dispose()
        again = _run(str(DEPLOY / "restore.sh"), str(dump), target, env={})
        assert again.returncode == 1 and "refusing" in again.stderr  # never over a database that exists
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path: Path) -> None:
    done = _run(str(DEPLOY / "backup.sh"), str(tmp_path), env={"NAVIGATOR_DATABASE_URL": "sqlite:///x.db"})
    assert done.returncode == 2 and "not a PostgreSQL URL" in done.stderr
