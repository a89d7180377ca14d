"""Looking at a vault without changing it: the read-only side of `navigator-desktop check`.

Opening the records read-write is itself a write: the first statements of a session may save
settings, and closing checkpoints the write-ahead log into the database file (after SQLite has
silently dropped any log frame that fails its checksum, and every frame after it). So a check
opens the file read-only, and with ``immutable=1`` when there is no log (a read-only connection
would otherwise leave new -wal and -shm files behind), and reads the log's frames itself first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlcipher3

from navigator_desktop.vault.connection import connect
from navigator_desktop.vault.migrate import check_not_too_new
from navigator_desktop.vault.vault import Vault, check_integrity
from navigator_desktop.vault.wal import WalDamaged, wal_is_damaged

log = logging.getLogger("navigator.vault")
# Every page is read once, in order: a large cache would only hold memory beside the app's own.
CHECK_CACHE_MIB = 8


@contextmanager
def read_only(vault: Vault, data_key: bytes, *, check_wal: bool = True) -> Iterator[sqlcipher3.Connection]:
    """The records, opened so that nothing in the data folder changes; DatabaseDamaged (or
    WalDamaged) when the log or a page is damaged, DatabaseTooNew for a newer schema. Without
    `check_wal`, a damaged log is read as far as SQLite can (to rescue what is readable)."""
    wal = vault.db_path.with_name(vault.db_path.name + "-wal")
    if check_wal and wal_is_damaged(wal):
        log.error("the write-ahead log has a damaged frame before committed ones")
        raise WalDamaged()
    immutable = not wal.exists()
    conn = connect(vault.db_path, data_key, read_only=True, immutable=immutable, cache_mib=CHECK_CACHE_MIB)
    try:
        check_not_too_new(conn)
        conn.execute("PRAGMA query_only = ON")
        yield conn
    finally:
        conn.close()


def check(vault: Vault, data_key: bytes) -> None:
    """Read every page of the records without writing a byte; raises as ``read_only`` does."""
    with read_only(vault, data_key) as conn:
        check_integrity(conn)
