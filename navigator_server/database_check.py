"""Admin commands work on a database they were told about, never on a new one made by accident.

SQLite creates a missing file when it is opened, so ``navigator-server list-devices`` run without
``NAVIGATOR_DATABASE_URL`` used to make an empty store under the data folder and print an empty
table. Only the commands that set a store up (``migrate``, ``seed-demo``) and ``serve`` may start
from nothing; every other command first checks that the database is there.
"""

from __future__ import annotations

from pathlib import Path

from navigator_server.settings import Settings

MAY_CREATE = frozenset({"serve", "migrate", "seed-demo"})
_SQLITE = "sqlite:///"


class NoDatabaseError(ValueError):
    """The command would have created a new, empty database: says what to set instead."""


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file the settings point at; None for PostgreSQL (which never creates a database)."""
    url = settings.sqlalchemy_url
    if not url.startswith(_SQLITE) or url.endswith(":memory:"):
        return None
    return Path(url[len(_SQLITE) :])


def require_existing(settings: Settings, command: str) -> None:
    """Raise NoDatabaseError when `command` would create the database it is about to read."""
    if command in MAY_CREATE:
        return
    path = sqlite_path(settings)
    if path is None or path.exists():
        return
    told = (
        "NAVIGATOR_DATABASE_URL names it"
        if settings.database_url.strip()
        else "NAVIGATOR_DATABASE_URL is not set, so the SQLite file in the data folder was looked for"
    )
    raise NoDatabaseError(
        f"no database at {path} ({told}). Set NAVIGATOR_DATABASE_URL to the central store's database "
        "(postgresql://user@host:5432/navigator), or --data-dir / NAVIGATOR_DATA_DIR to the folder "
        "that holds navigator.db. To start a new store there, run `navigator-server migrate` first."
    )
