"""Writing an export (a PDF, a CSV) so that only its owner can read it, and never half-written.

The file is made beside its target with ``tempfile.mkstemp``, which on POSIX creates it with mode
0600 (read and write by the owner only), then renamed over the target, so a crash leaves the old
file or the new one, never a mix. On Windows the mode bits mean nothing; the file takes the
folder's permissions, and the user's Documents folder is the user's own.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

OWNER_ONLY = 0o600


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``, readable by its owner only where the OS supports it."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    restrict(path)


def restrict(path: Path) -> None:
    """Make an existing file readable by its owner only (a file Qt wrote, such as a PDF)."""
    if sys.platform != "win32":
        path.chmod(OWNER_ONLY)
