"""The vault: the encrypted database in the data folder and the header that unlocks it.

Files in the data folder:

* ``navigator.db`` (with ``-wal``/``-shm`` while open): the SQLCipher database.
* ``navigator-search.db`` (likewise): the full-text index, encrypted with the same data key.
  Everything in it can be rebuilt from the records, so a damaged, missing or too-new one is
  simply replaced by an empty one that the store fills again (see store/search/index.py).
* ``navigator.vault``: the header (see ``header.py``), the data key wrapped under the passphrase
  and optionally under a recovery key.
  The header also holds the wrong-passphrase count (see ``lockout.py``) and the organisation's
  "wipe after N failures" policy, both needed before unlocking.
* ``navigator.lockout``: where older versions kept the count; moved into the header and removed.

Every failure leaves the database and the header's keys exactly as they were; only the count in
the header changes. If the organisation set a wipe after N failures, reaching N destroys the keys
in the header and removes the database (see ``_wipe``); the header stays, marked as wiped, so the
unlock screen can say what happened.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from navigator_desktop.vault import errors, keys
from navigator_desktop.vault import header as header_file
from navigator_desktop.vault.connection import (
    CACHE_MIB,
    SEARCH_CACHE_MIB,
    SEARCH_CIPHER,
    close,
    connect,
    is_damage_error,
)
from navigator_desktop.vault.header import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    Header,
    LockoutState,
    associated_data,
)
from navigator_desktop.vault.keys import KdfParams
from navigator_desktop.vault.lockout import Clock, Lockout, Policy, read_legacy_file
from navigator_desktop.vault.migrate import MigrationLike, check_not_too_new, migrate
from navigator_desktop.vault.passphrase import normalise, weaknesses
from navigator_desktop.vault.wal import WalDamaged, wal_is_damaged

log = logging.getLogger("navigator.vault")

DB_NAME = "navigator.db"
SEARCH_DB_NAME = "navigator-search.db"
HEADER_NAME = "navigator.vault"
LOCKOUT_NAME = "navigator.lockout"
_CREATING_NAME = ".navigator.db.creating"
_SIDE_FILES = ("-wal", "-shm", "-journal")
SAME_AS_OLD = "It is the same as your current passphrase."


def _with_side_files(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in _SIDE_FILES)]


@dataclass
class StoreConnections:
    """What an unlocked vault opens: the records' connection and the search index's, with what
    the indexer process needs to open the index itself (store/search/index.py). `search_fresh` says the
    index file was made anew here, so everything must be indexed into it again."""

    records: sqlcipher3.Connection
    search: sqlcipher3.Connection
    search_path: Path
    data_key: bytes
    search_fresh: bool


class Vault:
    """One data folder's vault. Cheap to construct; nothing is read until asked.

    ``kdf`` is used for new passphrase wrappings (create, change); unlocking uses the settings
    the header records. Only a vault constructed with ``KdfParams.for_tests()`` accepts a header
    with test settings. ``wipe_after`` is a "wipe after N wrong passphrases" limit given by the
    caller; the organisation's own limit is kept in the header (``set_wipe_after``) and the
    lower of the two applies. Off by default.

    ``monotonic`` measures waits inside this run (see ``lockout.py``); it defaults to
    ``time.monotonic`` with the real clock, and to ``clock`` itself when a test passes a fake one.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        kdf: KdfParams = KdfParams.DEFAULT,
        clock: Clock = time.time,
        lockout_policy: Policy | None = None,
        wipe_after: int | None = None,
        migrations: Sequence[MigrationLike] | None = None,
        monotonic: Clock | None = None,
        cache_mib: int = CACHE_MIB,
    ) -> None:
        if wipe_after is not None and wipe_after < 1:
            raise ValueError("wipe_after must be at least 1")
        self.data_dir = data_dir
        self.cache_mib = cache_mib  # the records' page cache (the command line keeps a smaller one)
        self.db_path = data_dir / DB_NAME
        self.search_path = data_dir / SEARCH_DB_NAME
        self.header_path = data_dir / HEADER_NAME
        self.lockout_path = data_dir / LOCKOUT_NAME
        self.kdf = kdf
        self.wipe_after = wipe_after
        if monotonic is None:
            monotonic = time.monotonic if clock is time.time else clock
        self._lockout = Lockout(clock, lockout_policy, monotonic)
        self._migrations = migrations

    # -- creating -------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether there is anything here a new vault would overwrite (header or database)."""
        return self.header_path.exists() or any(p.exists() for p in _with_side_files(self.db_path))

    @classmethod
    def create(
        cls,
        data_dir: Path,
        passphrase: str,
        *,
        kdf: KdfParams = KdfParams.DEFAULT,
        recovery_key: bool = False,
        clock: Clock = time.time,
        migrations: Sequence[MigrationLike] | None = None,
    ) -> tuple[Vault, str | None]:
        """A new vault with an empty, fully migrated database, and the recovery key to show once
        (None unless ``recovery_key``). Raises WeakPassphrase, VaultExists or CannotWrite."""
        reasons = weaknesses(passphrase)
        if reasons:
            raise errors.WeakPassphrase(reasons)
        vault = cls(data_dir, kdf=kdf, clock=clock, migrations=migrations)
        if vault.exists():
            if not vault.is_wiped():
                raise errors.VaultExists()
            # Setting the laptop up again after the organisation's wipe: nothing usable is here.
            _remove(
                [*_with_side_files(vault.db_path), *_with_side_files(vault.search_path), vault.lockout_path]
            )
        data_key = keys.new_data_key()
        vault_id = header_file.new_vault_id()
        hdr = Header(
            vault_id,
            kdf,
            _wrap_with_passphrase(associated_data(vault_id, PASSPHRASE_SLOT), data_key, passphrase, kdf),
        )
        shown: str | None = None
        if recovery_key:
            raw = keys.new_recovery_key()
            hdr = hdr.with_recovery(
                _wrap_with_recovery_key(hdr.associated_data(RECOVERY_SLOT), data_key, raw)
            )
            shown = keys.format_recovery_key(raw)
        vault._create_files(hdr, data_key)
        log.info("vault created (id %s, recovery key: %s)", hdr.vault_id, "yes" if recovery_key else "no")
        return vault, shown

    def _create_files(self, hdr: Header, data_key: bytes) -> None:
        # The database is built under a temporary name and renamed into place only once it is
        # complete, so a failure part way leaves nothing that looks like a vault.
        creating = self.data_dir / _CREATING_NAME
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            _remove(_with_side_files(creating))  # left by a create that crashed; its key is gone
            conn = connect(creating, data_key, create=True)
            try:
                migrate(conn, self._migrations)
            finally:
                close(conn)
            creating.chmod(0o600)
            creating.replace(self.db_path)
            try:
                header_file.write(self.header_path, hdr)
            except BaseException:
                _remove([self.db_path])
                raise
        except (OSError, sqlcipher3.Error) as exc:
            _remove(_with_side_files(creating))
            log.error("could not create the vault: %s", type(exc).__name__)
            raise errors.CannotWrite() from exc
        except BaseException:
            _remove(_with_side_files(creating))
            raise

    # -- unlocking ------------------------------------------------------------------------------

    def unlock(self, passphrase: str) -> sqlcipher3.Connection:
        """A ready connection to the records: keyed, pragmas set, schema migrated. Key derivation
        takes a few hundred milliseconds; everything else is quick (no full integrity check)."""
        _, data_key = self._unwrap_with_passphrase(passphrase, need_database=True)
        return self._open(data_key)

    def data_key(self, passphrase: str) -> bytes:
        """The data key, for looking at the files read-only (integrity.py); a wrong passphrase
        counts towards the slow-down and the wipe as at the unlock screen."""
        _, data_key = self._unwrap_with_passphrase(passphrase, need_database=True)
        return data_key

    def unlock_with_recovery_key(self, text: str) -> sqlcipher3.Connection:
        """As ``unlock``, with the recovery key as typed (any case; spaces and dashes optional)."""
        _, data_key = self._unwrap_with_recovery_key(text, need_database=True)
        return self._open(data_key)

    def open_store(self, passphrase: str) -> StoreConnections:
        """As ``unlock``, with the search index's connections as well (what the app opens)."""
        _, data_key = self._unwrap_with_passphrase(passphrase, need_database=True)
        return self._open_all(data_key)

    def open_store_with_recovery_key(self, text: str) -> StoreConnections:
        _, data_key = self._unwrap_with_recovery_key(text, need_database=True)
        return self._open_all(data_key)

    def _open_all(self, data_key: bytes) -> StoreConnections:
        records = self._open(data_key)
        try:
            search, fresh = self._open_search(data_key)
        except BaseException:
            records.close()
            raise
        return StoreConnections(records, search, self.search_path, data_key, fresh)

    def _open_search(self, data_key: bytes) -> tuple[sqlcipher3.Connection, bool]:
        """The search index's file, made anew when it is missing, damaged, not this vault's or
        from a newer version: it holds nothing that the records do not."""
        fresh = not self.search_path.is_file()
        try:
            return connect_search(self.search_path, data_key), fresh
        except errors.VaultError as exc:
            log.warning("the search index could not be opened (%s); it is made anew", type(exc).__name__)
        _remove(_with_side_files(self.search_path))
        return connect_search(self.search_path, data_key), True

    def _open(self, data_key: bytes) -> sqlcipher3.Connection:
        wal = self.db_path.with_name(self.db_path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            # A write-ahead log left by a crash: closing a read-write connection would merge it
            # into the database file, so look through a read-only one before changing anything.
            # (Without one, a read-only connection would leave new -wal/-shm files behind.)
            if wal_is_damaged(wal):  # opening read-write would drop, then overwrite, its frames
                log.error("the write-ahead log has a damaged frame before committed ones")
                raise WalDamaged()
            probe = connect(self.db_path, data_key, read_only=True)
            try:
                check_not_too_new(probe, self._migrations)
            finally:
                probe.close()
        conn = connect(self.db_path, data_key, cache_mib=self.cache_mib)
        try:
            migrate(conn, self._migrations)
        except BaseException:
            conn.close()
            raise
        log.info("vault unlocked")
        return conn

    # -- changing keys --------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        """Rewrap the data key under ``new``. Rewrites only the header; the database is untouched."""
        self._check_new_passphrase(old, new)
        hdr, data_key = self._unwrap_with_passphrase(old, need_database=False)
        self._rewrap_passphrase(hdr, data_key, new)
        log.info("passphrase changed")

    def change_passphrase_with_recovery_key(self, recovery_key: str, new: str) -> None:
        """For a forgotten passphrase: set ``new`` after proving the recovery key."""
        reasons = weaknesses(new)
        if reasons:
            raise errors.WeakPassphrase(reasons)
        hdr, data_key = self._unwrap_with_recovery_key(recovery_key, need_database=False)
        self._rewrap_passphrase(hdr, data_key, new)
        log.info("passphrase reset with the recovery key")

    def add_recovery_key(self, passphrase: str) -> str:
        """A new recovery key, to show once. Any earlier recovery key stops working."""
        hdr, data_key = self._unwrap_with_passphrase(passphrase, need_database=False)
        raw = keys.new_recovery_key()
        self._write(
            hdr.with_recovery(_wrap_with_recovery_key(hdr.associated_data(RECOVERY_SLOT), data_key, raw))
        )
        log.info("recovery key %s", "replaced" if hdr.recovery else "added")
        return keys.format_recovery_key(raw)

    def _check_new_passphrase(self, old: str, new: str) -> None:
        reasons = weaknesses(new)
        if normalise(old) == normalise(new):
            reasons.append(SAME_AS_OLD)
        if reasons:
            raise errors.WeakPassphrase(reasons)

    # -- checking -------------------------------------------------------------------------------

    @staticmethod
    def check_integrity(conn: sqlcipher3.Connection) -> None:
        """Read every page and check its HMAC and structure; DatabaseDamaged if any is bad.
        Slow on a large database: run it in the background, not at unlock."""
        check_integrity(conn)

    def remove_search_index(self) -> None:
        """Remove the search index's file (with the vault locked): it is made again from the
        records at the next unlock."""
        _remove(_with_side_files(self.search_path))

    # -- internals ------------------------------------------------------------------------------

    def _read_header(self) -> Header:
        """The header, or VaultWiped when the organisation's wipe has happened here."""
        hdr = header_file.read(self.header_path, allow_test_kdf=self.kdf.testing)
        if hdr.wiped:
            raise errors.VaultWiped()
        return hdr

    def is_wiped(self) -> bool:
        """Whether the organisation's wipe happened here (readable before unlocking)."""
        try:
            return header_file.read(self.header_path, allow_test_kdf=self.kdf.testing).wiped
        except errors.VaultError:
            return False

    def has_recovery_key(self) -> bool:
        """Whether a recovery key was set up (readable before unlocking)."""
        return self._read_header().recovery is not None

    def wipe_limit(self, hdr: Header | None = None) -> int | None:
        """Wrong passphrases in a row that wipe this laptop: the lower of the caller's and the
        organisation's limits; None when neither is set."""
        if hdr is None:
            hdr = self._read_header()
        limits = [n for n in (self.wipe_after, hdr.wipe_after_failures) if n is not None]
        return min(limits) if limits else None

    def failures(self) -> int:
        """Wrong passphrases in a row so far (for the unlock screen)."""
        return self._lockout.current(self._read_header().lockout).failures

    def set_wipe_after(self, failures: int | None) -> bool:
        """Keep the organisation's "wipe after N failures" policy in the header, where it can be
        read before unlocking. Call it with the vault unlocked, when the central store says so.
        Returns whether the header changed."""
        if failures is not None and failures < 1:
            raise ValueError("wipe_after_failures must be at least 1")
        hdr = self._read_header()
        if hdr.wipe_after_failures == failures:
            return False
        self._write(hdr.with_wipe_after(failures))
        log.info("wipe after wrong passphrases: %s", failures if failures is not None else "off")
        return True

    def _write_lockout(self, hdr: Header, state: LockoutState) -> Header:
        """Save the count in the header. A write that fails is logged, not raised: the person
        typed a wrong passphrase and should be told so; this process still remembers the count."""
        updated = hdr.with_lockout(state)
        try:
            self._write(updated)
        except errors.CannotWrite:
            log.warning("could not record the wrong-passphrase count in the header")
        return updated

    def _reset_lockout(self, hdr: Header) -> Header:
        self._lockout.succeeded()
        if hdr.lockout == LockoutState():
            return hdr
        return self._write_lockout(hdr, LockoutState())

    def _carry_over_legacy_lockout(self, hdr: Header) -> Header:
        """Once: move the count from an old ``navigator.lockout`` file into the header, then
        remove the file (the higher count wins, so nothing an attacker deletes lowers it)."""
        try:
            text = self.lockout_path.read_text("utf-8")
        except FileNotFoundError:
            return hdr
        except (OSError, UnicodeDecodeError):
            log.warning("old lockout file unreadable; not carried over")
            text = ""
        old = read_legacy_file(text) if text else LockoutState()
        if old.failures > hdr.lockout.failures:
            hdr = hdr.with_lockout(old)
            self._write(hdr)  # CannotWrite: the file stays, and is tried again next time
        _remove([self.lockout_path])
        log.info("moved the wrong-passphrase count into the header")
        return hdr

    def _unwrap_with_passphrase(self, passphrase: str, *, need_database: bool) -> tuple[Header, bytes]:
        hdr = self._carry_over_legacy_lockout(self._read_header())
        wait, state = self._lockout.wait(hdr.lockout)
        if state != hdr.lockout:  # the clock went back: the wait restarts from now
            hdr = self._write_lockout(hdr, state)
        if wait > 0:
            raise errors.TooManyAttempts(wait)
        if need_database and not self.db_path.is_file():
            raise errors.DatabaseMissing()
        kek = keys.derive_from_passphrase(passphrase, hdr.passphrase.salt, hdr.kdf)
        data_key = keys.unwrap(hdr.passphrase, kek, hdr.associated_data(PASSPHRASE_SLOT))
        if data_key is None:
            state = self._lockout.failed(hdr.lockout)
            hdr = self._write_lockout(hdr, state)
            limit = self.wipe_limit(hdr)
            if limit is not None and state.failures >= limit:
                self._wipe(hdr)
                raise errors.VaultWiped()
            raise errors.WrongPassphrase()
        return self._reset_lockout(hdr), data_key

    def _unwrap_with_recovery_key(self, text: str, *, need_database: bool) -> tuple[Header, bytes]:
        # Not rate-limited or counted: 160 random bits cannot be guessed at the keyboard.
        hdr = self._read_header()
        if hdr.recovery is None:
            raise errors.NoRecoveryKey()
        if need_database and not self.db_path.is_file():
            raise errors.DatabaseMissing()
        raw = keys.parse_recovery_key(text)
        if raw is None:
            raise errors.WrongRecoveryKey()
        kek = keys.derive_from_recovery_key(raw, hdr.recovery.salt)
        data_key = keys.unwrap(hdr.recovery, kek, hdr.associated_data(RECOVERY_SLOT))
        if data_key is None:
            raise errors.WrongRecoveryKey()
        return self._reset_lockout(hdr), data_key

    def _write(self, hdr: Header) -> None:
        header_file.write(self.header_path, hdr)

    def _rewrap_passphrase(self, hdr: Header, data_key: bytes, new: str) -> None:
        # New wrappings use this app's settings, so changing the passphrase also upgrades them.
        wrapped = _wrap_with_passphrase(hdr.associated_data(PASSPHRASE_SLOT), data_key, new, self.kdf)
        self._write(hdr.with_passphrase(wrapped, self.kdf))

    def _wipe(self, hdr: Header) -> None:
        """The organisation's wipe. The keys go first: without the wrapped data key nothing can
        decrypt the database, even if removing the database then fails. The header's bytes are
        overwritten where they lie, then replaced by a header marked as wiped with random bytes
        for its keys (so the unlock screen can say what happened). The database is ciphertext and
        overwriting is pointless on SSDs, so it is removed, with its WAL and SHM files."""
        log.warning("too many wrong passphrases: destroying the vault as the organisation's policy requires")
        _overwrite(self.header_path)
        try:
            self._write(hdr.as_wiped())
        except errors.CannotWrite:
            _remove([self.header_path])
        temp_headers = list(self.data_dir.glob(f".{HEADER_NAME}.*.tmp"))
        _remove(
            [
                *temp_headers,
                *_with_side_files(self.db_path),
                *_with_side_files(self.search_path),
                *_with_side_files(self.data_dir / _CREATING_NAME),
                self.lockout_path,
            ]
        )
        self._lockout.succeeded()


def connect_search(path: Path, data_key: bytes) -> sqlcipher3.Connection:
    """A connection to a search index file (made if missing) with its schema brought up to date;
    VaultError when it cannot be opened with this key (see Vault._open_search)."""
    from navigator_desktop.vault.migrations import SEARCH_MIGRATIONS

    conn = connect(path, data_key, create=True, cache_mib=SEARCH_CACHE_MIB, cipher=SEARCH_CIPHER)
    try:
        migrate(conn, SEARCH_MIGRATIONS)
    except BaseException:
        conn.close()
        raise
    path.chmod(0o600)
    return conn


def check_integrity(conn: sqlcipher3.Connection) -> None:
    try:
        bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        quick = conn.execute("PRAGMA quick_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        if is_damage_error(exc):
            raise errors.DatabaseDamaged() from exc
        raise
    if bad_pages or quick != [("ok",)]:
        log.error("integrity check failed: %d pages failed their HMAC check", len(bad_pages))
        raise errors.DatabaseDamaged()


# Wrappings take the associated data of the header they will live in (its own format version),
# so rewrapping inside an older header still unwraps after a format upgrade.
def _wrap_with_passphrase(ad: bytes, data_key: bytes, passphrase: str, kdf: KdfParams) -> keys.Wrapped:
    salt = keys.new_salt()
    kek = keys.derive_from_passphrase(passphrase, salt, kdf)
    return keys.wrap(data_key, kek, salt, ad)


def _wrap_with_recovery_key(ad: bytes, data_key: bytes, raw: bytes) -> keys.Wrapped:
    salt = keys.new_salt()
    kek = keys.derive_from_recovery_key(raw, salt)
    return keys.wrap(data_key, kek, salt, ad)


def _overwrite(path: Path) -> None:
    """Overwrite a file's bytes in place (it is about to be replaced): on a spinning disk the old
    blocks then no longer hold the wrapped keys."""
    try:
        with path.open("r+b") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(0)
            f.write(os.urandom(size))
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        log.warning("could not overwrite the key file before replacing it", exc_info=True)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("could not remove a vault file", exc_info=True)
