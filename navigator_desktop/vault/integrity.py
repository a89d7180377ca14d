"""Looking at a vault without changing it: the read-only side of `navigator-desktop check`.

Opening the records read-write is itself a write: the first statements of a session may save
settings, and closing checkpoints the write-ahead log into the database file (after SQLite has
silently dropped any log frame that fails its checksum, and every frame after it). So a check
opens the file read-only, and with ``immutable=1`` when there is no log (a read-only connection
would otherwise leave new -wal and -shm files behind), and reads the log's frames itself first.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3

from navigator_desktop.vault import errors
from navigator_desktop.vault.connection import connect
from navigator_desktop.vault.migrate import check_not_too_new
from navigator_desktop.vault.vault import Vault, check_integrity

log = logging.getLogger("navigator.vault")

_WAL_HEADER = 32
_FRAME_HEADER = 24
_MAGIC = (0x377F0682, 0x377F0683)  # little-endian and big-endian checksums (SQLite's walformat)


class WalDamaged(errors.DatabaseDamaged):
    title = "Data file damaged"
    message = (
        "Navigator's write-ahead log (navigator.db-wal, where the latest changes wait to be merged "
        "into the data file) is damaged: changes saved after the damaged part cannot be read. "
        "Nothing has been overwritten."
    )


def _checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_is_damaged(wal: Path) -> bool:
    """Whether the write-ahead log holds committed frames that SQLite would drop because a frame
    (or the log's header) before them fails its checksum. A torn tail with no commit after it is
    what a crash leaves, not damage."""
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return False
    if len(data) < _WAL_HEADER:
        return False
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:_WAL_HEADER])
    frame = _FRAME_HEADER + page_size
    frames = (len(data) - _WAL_HEADER) // frame if page_size in range(512, 65537) else 0
    if magic not in _MAGIC or _checksum(data[:24], magic & 1 == 1) != (c0, c1):
        return len(data) >= _WAL_HEADER + _FRAME_HEADER + 512  # a header lost with frames behind it
    big = magic & 1 == 1
    previous, broken = (c0, c1), False
    for n in range(frames):
        at = _WAL_HEADER + n * frame
        _page, commit, s1, s2, f0, f1 = struct.unpack(">6I", data[at : at + _FRAME_HEADER])
        if (s1, s2) != (salt1, salt2):
            continue  # left over from an earlier generation of the log
        body = data[at : at + 8] + data[at + _FRAME_HEADER : at + frame]
        ok = _checksum(body, big, *previous) == (f0, f1)
        if not ok:
            broken = True
        elif broken and commit:
            return True  # a committed transaction after a damaged frame
        previous = (f0, f1)
    return False


@contextmanager
def read_only(vault: Vault, data_key: bytes, *, check_wal: bool = True) -> Iterator[sqlcipher3.Connection]:
    """The records, opened so that nothing in the data folder changes; DatabaseDamaged (or
    WalDamaged) when the log or a page is damaged, DatabaseTooNew for a newer schema. Without
    `check_wal`, a damaged log is read as far as SQLite can (to rescue what is readable)."""
    wal = vault.db_path.with_name(vault.db_path.name + "-wal")
    if check_wal and wal_is_damaged(wal):
        log.error("the write-ahead log has a damaged frame before committed ones")
        raise WalDamaged()
    conn = connect(vault.db_path, data_key, read_only=True, immutable=not wal.exists())
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
