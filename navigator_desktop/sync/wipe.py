"""A revoked device removes its local data (the store told it to: 403 ``device_revoked``)."""

from __future__ import annotations

import logging
from pathlib import Path

from navigator_desktop.session import Session
from navigator_desktop.vault.vault import DB_NAME, HEADER_NAME, LOCKOUT_NAME, SEARCH_DB_NAME

log = logging.getLogger("navigator.sync.wipe")


def wipe_session(session: Session) -> None:
    """Close the store and remove the vault. The header goes first: without it nothing can
    decrypt the database, even if removing the database itself then fails."""
    session.lock()
    wipe_files(session.data_dir)


def wipe_files(data_dir: Path) -> None:
    names = [HEADER_NAME, LOCKOUT_NAME]
    for db in (DB_NAME, SEARCH_DB_NAME):  # the records, then the search index (names, notes' words)
        names += [db, f"{db}-wal", f"{db}-shm", f"{db}-journal"]
    for name in names:
        try:
            (data_dir / name).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("could not remove a vault file", exc_info=True)
    log.warning("local data wiped: this device was revoked")
