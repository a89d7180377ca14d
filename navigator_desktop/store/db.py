"""The one way the store talks to SQLite (modelled on qutebrowser's misc/sql.py).

``Database`` wraps a DB-API connection opened in autocommit mode (``isolation_level=None``) and
works the same over ``sqlcipher3`` (the app) and the standard ``sqlite3`` module (tests and the
encryption-overhead benchmark): only the DB-API surface both share is used. Environment faults are
turned into ``StoreError`` subclasses (see errors.py); bugs raise as they are.

A Database is used from one thread at a time (the app's database worker); it keeps no lock.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from navigator_desktop.store.errors import StoreError, classify
from navigator_desktop.vault import migrate
from navigator_desktop.vault.migrations import MIGRATIONS, Migration

log = logging.getLogger("navigator.store")

Params = Sequence[Any] | Mapping[str, Any]
Row = dict[str, Any]

# Pragmas for a plain (unencrypted) database, matching what the vault sets on the SQLCipher
# connection, so a benchmark comparing the two measures encryption and nothing else.
PLAIN_PRAGMAS = (
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -65536",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
)


class TransactionDoomedError(RuntimeError):
    """A block that joined the transaction failed and its error was caught; what it half-did
    cannot be undone alone, so the whole transaction was rolled back. A bug of ours."""

    def __init__(self) -> None:
        super().__init__("a block inside this transaction failed; everything was rolled back")


class Database:
    def __init__(self, connection: Any) -> None:
        self._conn = connection
        self._depth = 0  # 0: no transaction of ours; 1: BEGIN IMMEDIATE; >1: nested blocks inside it
        self._doomed = False  # a joined block failed: the transaction must not commit

    @property
    def connection(self) -> Any:
        return self._conn

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the number of rows it changed."""
        with _mapped():
            return int(self._conn.execute(sql, params).rowcount)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with _mapped():
            self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row, each as a dict of column name to value."""
        with _mapped():
            cursor = self._conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, params: Params = ()) -> Row | None:
        with _mapped():
            cursor = self._conn.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                return None
            return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        with _mapped():
            row = self._conn.execute(sql, params).fetchone()
            return None if row is None else row[0]

    def column(self, sql: str, params: Params = ()) -> list[Any]:
        with _mapped():
            return [row[0] for row in self._conn.execute(sql, params).fetchall()]

    @contextmanager
    def transaction(self, *, savepoint: bool = True) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises.

        Nested use never commits early. By default a nested block is a savepoint: its work is kept
        only if the outermost block commits, and a failure inside it that the caller catches
        undoes only that block. With ``savepoint=False`` a nested block simply joins the outer
        transaction (for bulk work: under an open savepoint, in WAL mode with in-memory temp
        storage, SQLite's cost per statement grows with the work already done, so a long bulk load
        in a savepoint crawls); a failure inside it then dooms the whole transaction, which rolls
        back at the end even if the exception was caught.
        """
        if self._depth:
            if savepoint:
                yield from self._savepoint()
            else:
                yield from self._joined()
            return
        # IMMEDIATE takes the write lock now, so a write never fails half-way for want of it.
        self._run("BEGIN IMMEDIATE")
        self._depth = 1
        self._doomed = False
        try:
            yield
            if self._doomed:
                raise TransactionDoomedError()
            self._run("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
            self._doomed = False

    def _joined(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        except BaseException:
            self._doomed = True
            raise
        finally:
            self._depth -= 1

    def _savepoint(self) -> Iterator[None]:
        name = f"navigator_{self._depth}"
        self._run(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._run(f"ROLLBACK TO {name}")
                self._run(f"RELEASE {name}")
            raise
        else:
            self._run(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def _rollback(self) -> None:
        # SQLite has already rolled back by itself after some faults (a full disk, an I/O error).
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except Exception:
            log.exception("rollback failed")

    def _run(self, sql: str) -> None:
        with _mapped():
            self._conn.execute(sql)

    def close(self) -> None:
        self._conn.close()


@contextmanager
def _mapped() -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:
        error = classify(exc)
        if error is None:
            raise
        log.error("database fault: %s", exc)
        raise error(str(exc)) from exc


def apply_migrations(connection: Any, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the schema to the newest version with the vault's runner (the app's own code path,
    so tests and the benchmark migrate exactly as the app does); the version reached."""
    return migrate.migrate(connection, migrations=list(migrations))


def open_plain(path: str | Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> Database:
    """An unencrypted database at `path` (":memory:" allowed) with the same schema as the vault's.

    For tests and the encryption-overhead benchmark only: the app's records live in SQLCipher.
    """
    connection = sqlite3.connect(str(path), isolation_level=None)
    for pragma in PLAIN_PRAGMAS:
        connection.execute(pragma)
    apply_migrations(connection, migrations)
    return Database(connection)
