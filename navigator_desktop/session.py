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
from navigator_desktop.vault import KdfParams, Vault, close

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

    def __post_init__(self) -> None:
        self.vault = Vault(self.data_dir, kdf=self.kdf)
        self._db: Database | None = None
        self.actor: Actor | None = None

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

    def create(self, passphrase: str, recovery_key: bool) -> str | None:
        _vault, key = Vault.create(self.data_dir, passphrase, kdf=self.kdf, recovery_key=recovery_key)
        self.unlock(passphrase)
        return key

    def unlock(self, passphrase: str) -> None:
        connection = self.vault.unlock(passphrase)
        self._open(Database(connection))

    def unlock_with_recovery_key(self, key: str) -> None:
        self._open(Database(self.vault.unlock_with_recovery_key(key)))

    def _open(self, db: Database) -> None:
        from navigator_desktop.store import settings

        self._db = db
        self.actor = settings.current_actor(db)
        log.info("vault unlocked")

    def lock(self) -> None:
        if self._db is not None:
            close(self._db.connection)
            self._db = None
            self.actor = None
            log.info("vault locked")
