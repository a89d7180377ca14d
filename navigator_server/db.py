"""The one way the server reaches its database: an engine per process and short transactions.

PostgreSQL is reached with psycopg 3. SQLite gets WAL, foreign keys, a busy timeout, and
``BEGIN IMMEDIATE`` for transactions that write, so two writers queue instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine, Row

from navigator_server.settings import Settings

log = logging.getLogger("navigator_server.db")


def json_text(value: Any) -> str:
    """How the JSON columns are written on both engines: compact, and strict (orjson refuses what
    JSON cannot say). A pull sends a stored document's text as it is (pull.py)."""
    return orjson.dumps(value).decode()


def bulk_insert(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], json_columns: tuple[str, ...]
) -> None:
    """Many rows at once: COPY on PostgreSQL (several times an INSERT's rate), executemany else."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json_text(row[n]) if n in json_columns else row[n] for n in names])


SQLITE_MMAP_BYTES = 1 << 30
_T = TypeVar("_T")


def one_of(column: sa.ColumnElement[Any], postgres: bool) -> sa.ColumnElement[bool]:
    """`column` is one of the list bound as ``ids``. PostgreSQL: one array parameter (= ANY), not a
    parameter per id (half the time for 500); elsewhere an expanding IN."""
    if postgres:
        return column == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.String)))
    return column.in_(sa.bindparam("ids", expanding=True))


def per_engine(build: Callable[[bool], _T]) -> dict[bool, _T]:
    """A statement built once for each kind of engine (keyed: is it PostgreSQL), not per call:
    building a statement and its cache key cost more than running it on a sync's few rows."""
    return {postgres: build(postgres) for postgres in (False, True)}


def rows_for_ids(
    conn: Connection, queries: Mapping[bool, sa.Executable], ids: Iterable[str], chunk: int = 500
) -> Iterator[Row[Any]]:
    """The rows of `queries` (per_engine, with a one_of) for these ids, `chunk` ids at a time."""
    query = queries[conn.dialect.name == "postgresql"]
    wanted: Sequence[str] = sorted(set(ids))
    for start in range(0, len(wanted), chunk):
        yield from conn.execute(query, {"ids": wanted[start : start + chunk]}).all()


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    # hide_parameters: an error message must never carry record content into a log.
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, hide_parameters=True, json_serializer=json_text, connect_args={"timeout": 30}
        )
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(
        url,
        hide_parameters=True,
        json_serializer=json_text,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size if settings else 5,
        max_overflow=settings.db_max_overflow if settings else 10,
        pool_timeout=settings.db_pool_timeout_seconds if settings else 30.0,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Reads come straight from the operating system's file cache instead of a copy per page
        # read (a laptop's initial sync reads the team's whole store: a fifth of the server's
        # time went on those copies). Address space only: the pages are the file cache's own.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def storable_text(text: str) -> bool:
    """Whether both engines can store `text`: PostgreSQL refuses NUL characters, and no UTF-8
    encoder takes an unpaired surrogate (which JSON's \\ud800 escapes can smuggle in)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Database:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.url = settings.sqlalchemy_url
        self.engine = make_engine(self.url, settings)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A transaction for reading; on SQLite it does not take the write lock."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="DEFERRED")
            with conn.begin():
                yield conn

    @contextmanager
    def lookup(self) -> Iterator[Connection]:
        """One reading statement, outside a transaction on PostgreSQL (autocommit): no BEGIN and
        COMMIT around it, a round trip fewer for what every request does first (the caller
        behind its token). Several statements that must agree belong in read()."""
        if self.is_sqlite:
            with self.read() as conn:
                yield conn
            return
        with self.engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file and empty it. After a bulk load
        in one transaction (the demo seed) the log holds the whole database, and every read would
        look pages up in it until the next write happened to checkpoint. Nothing on PostgreSQL."""
        if self.is_sqlite:
            raw = self.engine.raw_connection()  # outside any transaction, as a checkpoint must be
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                raw.close()

    def ping(self) -> bool:
        try:
            with self.read() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError as exc:
            # The class only: driver messages can carry connection details.
            log.warning("database did not answer the health check: %s", type(exc).__name__)
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
