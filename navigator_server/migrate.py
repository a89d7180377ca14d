"""Schema migrations with Alembic, for PostgreSQL and SQLite alike.

On PostgreSQL an upgrade runs under a transaction-level advisory lock, so two hosts running
``navigator-server migrate`` at once (each one's deploy starting) take turns: the second waits for
the first to commit and then finds the schema at head. Without it both created the same tables and
one failed halfway. SQLite's write lock (BEGIN IMMEDIATE) already serialises them."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from navigator_server.db import Database

_SCRIPTS = Path(__file__).with_name("migrations")
# The advisory lock's key: any number this database uses for nothing else ("NAVI" in ASCII).
MIGRATION_LOCK = 0x4E415649


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # held until this transaction ends
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(db: Database, revision: str) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def head_revision(db: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(db)).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision(db)
