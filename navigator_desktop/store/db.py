"""The one way the store talks to SQLite (modelled on qutebrowser's misc/sql.py).

``Database`` wraps a DB-API connection opened in autocommit mode (``isolation_level=None``) and
works the same over ``sqlcipher3`` (the app) and the standard ``sqlite3`` module (tests and the
encryption-overhead benchmark): only the DB-API surface both share is used. Environment faults are
turned into ``StoreError`` subclasses (see errors.py); bugs raise as they are.

A Database is used from one thread at a time (the app's database worker); it keeps no lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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
    """The records' connection. (The full-text index is the session's, beside it: search/index.py.)"""

    def __init__(self, connection: Any) -> None:
        self._conn = connection
        self._on_close: list[Callable[[], None]] = []
        self._depth = 0  # 0: no transaction of ours; 1: BEGIN IMMEDIATE; >1: nested blocks inside it
        self._doomed = False  # a joined block failed: the transaction must not commit
        self._after_commit: list[Callable[[], None]] = []
        self._scratch: dict[str, Any] = {}  # what blocks of one transaction share (see scratch)
        self._savepoints = 0  # savepoints open inside the transaction

    @property
    def connection(self) -> Any:
        return self._conn

    @property
    def in_savepoint(self) -> bool:
        return self._savepoints > 0

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the open transaction has committed (never if it rolls back, nor if
        the savepoint it was registered in does)."""
        if not self._depth:
            raise RuntimeError("after_commit needs an open transaction")
        self._after_commit.append(action)

    def scratch(self) -> dict[str, Any]:
        """A dict that lives as long as the open transaction: for the blocks inside it to share
        (several pulled pages in one transaction hand the search index one batch)."""
        if not self._depth:
            raise RuntimeError("scratch needs an open transaction")
        return self._scratch

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the number of rows it changed."""
        with mapped_errors():
            return int(self._conn.execute(sql, params).rowcount)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with mapped_errors():
            self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row, each as a dict of column name to value."""
        with mapped_errors():
            cursor = self._conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, params: Params = ()) -> Row | None:
        with mapped_errors():
            cursor = self._conn.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                return None
            return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        with mapped_errors():
            row = self._conn.execute(sql, params).fetchone()
            return None if row is None else row[0]

    def column(self, sql: str, params: Params = ()) -> list[Any]:
        with mapped_errors():
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
            self._after_commit.clear()
            self._rollback()
            raise
        finally:
            self._depth = 0
            self._doomed = False
            self._scratch = {}
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            try:
                action()
            except Exception:  # committed all the same; an action must not make it look failed
                log.exception("an action after commit failed")

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
        self._savepoints += 1
        actions = len(self._after_commit)
        try:
            yield
        except BaseException:
            del self._after_commit[actions:]  # what the undone block asked for is undone too
            if self._conn.in_transaction:
                self._run(f"ROLLBACK TO {name}")
                self._run(f"RELEASE {name}")
            raise
        else:
            self._run(f"RELEASE {name}")
        finally:
            self._depth -= 1
            self._savepoints -= 1

    def _rollback(self) -> None:
        # SQLite has already rolled back by itself after some faults (a full disk, an I/O error).
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except Exception:
            log.exception("rollback failed")

    def _run(self, sql: str) -> None:
        with mapped_errors():
            self._conn.execute(sql)

    def on_close(self, action: Callable[[], None]) -> None:
        """Run `action` just before the connection closes (what was opened beside it)."""
        self._on_close.append(action)

    def close(self) -> None:
        actions, self._on_close = self._on_close, []
        for action in actions:
            action()
        self._conn.close()


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Environment faults (a full disk, a damaged file...) raised inside as StoreErrors; the
    same mapping every Database call gets, for code holding another connection."""
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
