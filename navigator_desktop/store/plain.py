"""An unencrypted store in files, with its search index beside it: for tests, tools and the
encryption-overhead benchmark only (the app's records live in SQLCipher, opened by the session)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from navigator_desktop.store.db import PLAIN_PRAGMAS, Database, apply_migrations
from navigator_desktop.store.search import index
from navigator_desktop.store.search.queue import requeue_if_new
from navigator_desktop.vault.migrations import MIGRATIONS, Migration


def open_plain(path: str | Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> Database:
    """An unencrypted database at `path` (":memory:" allowed) with the same schema as the vault's,
    and its search index in a file beside it (``<name>-search.db``; in memory for ":memory:")."""
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in PLAIN_PRAGMAS:
        connection.execute(pragma)
    apply_migrations(connection, migrations)
    db = Database(connection)
    if str(path) == ":memory:":
        return db
    index.attach(db, index.open_plain(Path(path)))
    requeue_if_new(db)
    return db
