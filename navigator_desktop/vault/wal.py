"""Reading SQLite's write-ahead log frame by frame, to find damage SQLite would pass over.

SQLite stops reading the log at the first frame whose checksum fails and treats everything after
it as never written; the next checkpoint then overwrites it. A crash leaves at most a torn tail
(frames after the last commit), which is lost work only in the sense SQLite promises. A damaged
frame with committed frames after it is damage: the changes in them would be lost without a
word. Format: https://www.sqlite.org/fileformat2.html#walformat
"""

from __future__ import annotations

import struct
from pathlib import Path

from navigator_desktop.vault import errors

_WAL_HEADER = 32
_FRAME_HEADER = 24
_MAGIC = (0x377F0682, 0x377F0683)  # little-endian and big-endian checksums (SQLite's walformat)


class WalDamaged(errors.DatabaseDamaged):
    title = "Data file damaged"
    message = (
        "Navigator's write-ahead log (navigator.db-wal, where the latest changes wait to be merged "
        "into the data file) is damaged: changes saved after the damaged part cannot be read. "
        "Nothing has been overwritten. Contact your IT service desk: they save what was not yet "
        "sent (navigator-desktop rescue) and rebuild the laptop from the central store."
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
