"""Forward-only schema migrations, tracked in ``PRAGMA user_version``.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together with the bump of
``user_version``, so a failure leaves the database exactly at the previous version. A migration's
SQL is split into single statements with SQLite's own ``complete_statement`` (``executescript``
would commit first and is not transactional). Migration SQL must not contain BEGIN/COMMIT of its
own; the runner checks that the transaction is still open after every statement.

Foreign keys are switched off while a migration runs (they cannot be switched inside a
transaction) so table rebuilds work as SQLite documents, and ``foreign_key_check`` must come back
empty before the migration commits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Protocol

import sqlcipher3

from navigator_desktop.vault import errors
from navigator_desktop.vault.connection import is_damage_error, is_disk_full

log = logging.getLogger("navigator.vault")

# A statement (after any leading comments) that would begin or end the runner's transaction.
_ENDS_TRANSACTION = re.compile(
    r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*(?:BEGIN|COMMIT|END|ROLLBACK)\b", re.IGNORECASE | re.DOTALL
)


class MigrationLike(Protocol):
    @property
    def version(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def sql(self) -> str: ...


def default_migrations() -> Sequence[MigrationLike]:
    from navigator_desktop.vault.migrations import MIGRATIONS

    return MIGRATIONS


def split_statements(sql: str) -> list[str]:
    """Single statements, each ending in ';'. Semicolons inside strings, comments and trigger
    bodies do not split, because a piece is only cut off once SQLite says it is complete."""
    statements: list[str] = []
    current = ""
    for piece in sql.split(";"):
        current += piece + ";"
        if sqlcipher3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    # What follows the last ';' (the split adds one too many). A newline ends any trailing
    # "-- comment" so it can be checked.
    rest = current[:-1].strip()
    if rest:
        if not sqlcipher3.complete_statement(rest + "\n;"):
            raise ValueError("migration SQL ends in an incomplete statement")
        statements.append(rest + "\n;")
    return statements


def schema_version(conn: sqlcipher3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def latest_version(migrations: Sequence[MigrationLike]) -> int:
    return migrations[-1].version if migrations else 0


def _check_order(migrations: Sequence[MigrationLike]) -> None:
    previous = 0
    for m in migrations:
        if m.version <= previous:
            raise ValueError(f"migration versions must increase: {m.version} ({m.name}) after {previous}")
        previous = m.version


def check_not_too_new(conn: sqlcipher3.Connection, migrations: Sequence[MigrationLike] | None = None) -> int:
    """The database's schema version; DatabaseTooNew if this app does not know it."""
    migrations = default_migrations() if migrations is None else migrations
    found, supported = schema_version(conn), latest_version(migrations)
    if found > supported:
        log.error("database schema %d is newer than this app's %d", found, supported)
        raise errors.DatabaseTooNew(found, supported)
    return found


def migrate(conn: sqlcipher3.Connection, migrations: Sequence[MigrationLike] | None = None) -> int:
    """Bring the database up to the latest schema; returns the version it is now at.

    Raises DatabaseTooNew (changing nothing) if the database is newer than every migration we
    know, and MigrationFailed (after rolling that migration back) if one fails.
    """
    migrations = default_migrations() if migrations is None else migrations
    _check_order(migrations)
    current = check_not_too_new(conn, migrations)
    for m in migrations:
        if m.version > current:
            _apply(conn, m)
            current = m.version
    return current


def _apply(conn: sqlcipher3.Connection, m: MigrationLike) -> None:
    log.info("applying schema migration %d (%s)", m.version, m.name)
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        statements = split_statements(m.sql)
        if any(_ENDS_TRANSACTION.match(statement) for statement in statements):
            raise ValueError("migration SQL must not begin or end transactions")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
                if not conn.in_transaction:
                    raise ValueError("migration SQL must not end the transaction")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise ValueError("migration left rows breaking foreign keys")
            conn.execute(f"PRAGMA user_version = {int(m.version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except (sqlcipher3.Error, ValueError) as exc:
        if is_damage_error(exc):
            raise errors.DatabaseDamaged() from exc
        if is_disk_full(exc):
            raise errors.CannotWrite() from exc
        # A bug of ours, not something the person can fix: keep the traceback in the log.
        log.exception("schema migration %d (%s) failed and was rolled back", m.version, m.name)
        raise errors.MigrationFailed() from exc
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
