"""Opening the SQLCipher database with the data key, and closing it cleanly."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import sqlcipher3

from navigator_desktop.vault import errors
from navigator_desktop.vault.keys import DATA_KEY_BYTES

log = logging.getLogger("navigator.vault")

# Pragmas set on every connection, after the key. temp_store keeps sort and index scratch space
# out of plain temp files.
PRAGMAS = (
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)
CACHE_MIB = 64
# The search index's file (store/search/index.py) uses larger pages and HMAC-SHA256 (which this
# hardware computes with its SHA extensions): writing a team's index took a sixth less time than
# with SQLCipher 4's defaults (4 KiB, HMAC-SHA512). The records' file keeps the defaults: its
# pages are written where records land, all over the file, and larger pages made that slower. The
# index file is always made by this app, so these settings are part of its format; a file they do
# not open is replaced and rebuilt.
SEARCH_CIPHER = ("PRAGMA cipher_page_size = 16384", "PRAGMA cipher_hmac_algorithm = HMAC_SHA256")
# The search index's connections (the database worker's and the indexer's) keep a smaller page
# cache than the records' own.
SEARCH_CACHE_MIB = 16
# SQLCipher's *enhanced* memory security (wipe and lock every SQLite allocation) is off unless an
# organisation turns it on with NAVIGATOR_CIPHER_MEMORY_SECURITY=1. Measured at team scale it makes
# full-text search 150-400x slower (p95 0.9 s instead of 3 ms) and bulk loads 4x slower, while the
# same record text also sits in Python strings that no pragma can wipe. SQLCipher wipes its own
# key material either way; the app also refuses core dumps (see app.py). The setting is
# process-wide and cannot be turned off again once on.
MEMORY_SECURITY_ENV = "NAVIGATOR_CIPHER_MEMORY_SECURITY"


def _as_is(value: None) -> None:
    return value


# sqlcipher3 looks for an adapter for every parameter that is not exactly an int, float, str or
# bytearray, and for None that search fails the slow way: binding None cost about 1 us (a
# fifth of an initial sync's time in the vault went on it; a pulled record has many empty
# fields). An adapter that hands None back is found at once, and None is still bound as NULL.
sqlcipher3.register_adapter(type(None), _as_is)


def memory_security_wanted() -> bool:
    return os.environ.get(MEMORY_SECURITY_ENV, "").strip().lower() in ("1", "on", "true", "yes")


_NOT_A_DATABASE = "file is not a database"
_MALFORMED = "database disk image is malformed"


def is_damage_error(exc: BaseException) -> bool:
    """True when a SQLCipher error means the file is damaged or tampered with (a page failed its
    HMAC check or is malformed), rather than a bug in a query."""
    text = str(exc)
    return isinstance(exc, sqlcipher3.DatabaseError) and (_NOT_A_DATABASE in text or _MALFORMED in text)


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, sqlcipher3.Error) and "database or disk is full" in str(exc)


def connect(
    db_path: Path,
    data_key: bytes,
    *,
    create: bool = False,
    read_only: bool = False,
    immutable: bool = False,
    cache_mib: int = CACHE_MIB,
    cipher: Sequence[str] = (),
) -> sqlcipher3.Connection:
    """An open, keyed connection with our pragmas set, in autocommit mode (the caller issues
    ``BEGIN IMMEDIATE``/``COMMIT``). Opened with ``check_same_thread=False`` because the app's
    single database worker thread may not be the thread that opened it.

    Raises DatabaseMissing if the file is absent (unless ``create``), DatabaseDamaged if the key,
    which unwrapped correctly, does not decrypt it.

    ``read_only`` is for looking before changing anything: closing a read-write connection
    checkpoints a write-ahead log left by a crash into the database file, a read-only one does not.
    ``immutable`` (with ``read_only``, when there is no write-ahead log) also keeps SQLite from
    making -wal and -shm files beside it (see integrity.py).
    """
    if len(data_key) != DATA_KEY_BYTES:
        raise ValueError("data key must be 32 bytes")
    if not create and not db_path.is_file():
        raise errors.DatabaseMissing()
    # mode=rw never creates a file, so a database deleted between the check and here stays missing.
    mode = "ro&immutable=1" if immutable else "ro" if read_only else "rwc" if create else "rw"
    uri = f"{db_path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=5.0)
    except sqlcipher3.OperationalError as exc:
        if not db_path.is_file():
            raise errors.DatabaseMissing() from exc
        raise errors.VaultError() from exc
    try:
        # The key must be the first statement on the connection.
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        # A wrong key would otherwise print SQLCipher's HMAC errors on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        for setting in cipher:  # before the first read, which decrypts with them
            conn.execute(setting)
        if memory_security_wanted():
            conn.execute("PRAGMA cipher_memory_security = ON")
        for pragma in PRAGMAS:
            conn.execute(pragma)
        conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")
        # The first read decrypts page 1: this is where a wrong or damaged file shows.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not read_only and conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
            raise errors.VaultError()
    except errors.VaultError:
        conn.close()
        raise
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if is_damage_error(exc):
            log.error("database did not decrypt with its key: damaged or replaced")
            raise errors.DatabaseDamaged() from exc
        log.exception("could not set up the database connection")
        raise errors.VaultError() from exc
    return conn


def close(conn: sqlcipher3.Connection) -> None:
    """Checkpoint the write-ahead log into the database, then close: used when locking, so what
    is left on disk is the database file alone."""
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlcipher3.Error:
        log.warning("WAL checkpoint failed while locking", exc_info=True)
    finally:
        conn.close()
