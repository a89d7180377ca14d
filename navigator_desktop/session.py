"""What lives on the database worker thread: the vault and, once it is unlocked, the store.

Every method here runs on that one thread (see tasks.py); the GUI never calls them directly.
No Qt in this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.search import index
from navigator_desktop.store.search.index import SearchIndex
from navigator_desktop.vault import KdfParams, Vault, close
from navigator_desktop.vault.connection import CACHE_MIB
from navigator_desktop.vault.vault import StoreConnections

log = logging.getLogger("navigator.session")


class VaultState(StrEnum):
    NEW = "new"  # no vault yet: first run
    LOCKED = "locked"
    UNLOCKED = "unlocked"


class LockedError(RuntimeError):
    """A job needed the store while the vault was locked (e.g. it was queued just before a lock)."""


@dataclass
class Session:
    data_dir: Path
    # Tests pass KdfParams.for_tests(); the app always uses the default.
    kdf: KdfParams = KdfParams.DEFAULT
    # The records' page cache: the app's screens want the default; the command line serves none.
    cache_mib: int = CACHE_MIB

    def __post_init__(self) -> None:
        self.vault = Vault(self.data_dir, kdf=self.kdf, cache_mib=self.cache_mib)
        self._db: Database | None = None
        self._search: SearchIndex | None = None  # the full-text index, beside the records
        self.actor: Actor | None = None
        self.data_key: bytes | None = None  # for the background integrity check (integrity_watch.py)

    @property
    def state(self) -> VaultState:
        if self._db is not None:
            return VaultState.UNLOCKED
        return VaultState.LOCKED if self.vault.exists() else VaultState.NEW

    @property
    def db(self) -> Database:
        if self._db is None:
            raise LockedError("the vault is locked")
        return self._db

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            raise LockedError("the vault is locked")
        return self._search

    def create(self, passphrase: str, recovery_key: bool) -> str | None:
        _vault, key = Vault.create(self.data_dir, passphrase, kdf=self.kdf, recovery_key=recovery_key)
        self.unlock(passphrase)
        return key

    def unlock(self, passphrase: str) -> None:
        opened = self.vault.open_store(passphrase)
        self._open(*store_for(opened))
        self.data_key = opened.data_key

    def unlock_with_recovery_key(self, key: str) -> None:
        opened = self.vault.open_store_with_recovery_key(key)
        self._open(*store_for(opened))
        self.data_key = opened.data_key

    def _open(self, db: Database, search: SearchIndex) -> None:
        from navigator_desktop.store import context

        self._db, self._search = db, search
        self.actor = context.current_actor(db)
        log.info("vault unlocked")

    def lock(self) -> None:
        if self._db is not None:
            if self._search is not None:
                self._search.close()
            close(self._db.connection)
            self._db = self._search = None
            self.actor = None
            self.data_key = None
            log.info("vault locked")


def store_for(opened: StoreConnections) -> tuple[Database, SearchIndex]:
    """The store over an unlocked vault's connections, and its search index in its own file beside
    it (when that file was made anew, every record is queued to go into it again)."""
    from navigator_desktop.store.search.queue import requeue_if_new

    search = SearchIndex(
        opened.search, path=opened.search_path, key=opened.data_key, fresh=opened.search_fresh
    )
    db = Database(opened.records)
    index.attach(db, search)
    requeue_if_new(db)
    return db, search
