"""The header file (``navigator.vault``): everything needed to turn a passphrase into the data key.

It is small JSON holding no secret in the clear: the vault id, the Argon2id settings, and the
wrapped data key for the passphrase and, optionally, for the recovery key. A checksum over the
rest tells accidental damage (a flipped bit, a truncated copy) apart from a wrong passphrase; it
is not a defence against deliberate tampering, which AES-GCM already catches.

Besides the key slots it holds what must be known *before* unlocking and must not live in a file
that can simply be deleted: the wrong-passphrase count and the time of the last failure (see
``lockout.py``), the organisation's "wipe after N failures" policy, and whether that wipe has
happened. Deleting the header to reset the count gains nothing: without it the data cannot be
opened at all. These fields are optional on reading, so a header written before they existed
still opens, and an older app reading a newer header simply ignores them.

The header is only ever replaced whole: written to a temporary file in the same folder, flushed
to disk, then renamed over the old one, so a crash leaves either the old header or the new.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import os
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from navigator_desktop import private_file
from navigator_desktop.vault import errors
from navigator_desktop.vault.keys import (
    DATA_KEY_BYTES,
    NONCE_BYTES,
    SALT_BYTES,
    KdfParams,
    KdfParamsError,
    Wrapped,
)

FORMAT = "navigator-vault"
VERSION = 1
MAX_HEADER_BYTES = 64 * 1024
PASSPHRASE_SLOT = "passphrase"  # noqa: S105 - the name of a slot, not a secret
RECOVERY_SLOT = "recovery"


@dataclass(frozen=True)
class LockoutState:
    """Wrong passphrases in a row, and when the last one was typed (wall-clock seconds)."""

    failures: int = 0
    last_failure: float = 0.0


@dataclass(frozen=True)
class Header:
    vault_id: str
    kdf: KdfParams
    passphrase: Wrapped
    recovery: Wrapped | None = None
    version: int = VERSION
    lockout: LockoutState = field(default_factory=LockoutState)
    wipe_after_failures: int | None = None  # the organisation's policy, learnt from the central store
    wiped: bool = False  # the policy was applied: the key slots hold random bytes, the database is gone

    def associated_data(self, slot: str) -> bytes:
        return associated_data(self.vault_id, slot, self.version)

    def with_passphrase(self, wrapped: Wrapped, kdf: KdfParams) -> Header:
        return replace(self, passphrase=wrapped, kdf=kdf)

    def with_recovery(self, wrapped: Wrapped | None) -> Header:
        return replace(self, recovery=wrapped)

    def with_lockout(self, state: LockoutState) -> Header:
        return replace(self, lockout=state)

    def with_wipe_after(self, failures: int | None) -> Header:
        return replace(self, wipe_after_failures=failures)

    def as_wiped(self) -> Header:
        """The same header with no usable key: random bytes in the passphrase slot, no recovery slot."""
        junk = Wrapped(
            salt=os.urandom(SALT_BYTES),
            nonce=os.urandom(NONCE_BYTES),
            ciphertext=os.urandom(DATA_KEY_BYTES + 16),
        )
        return replace(self, passphrase=junk, recovery=None, wiped=True)


def associated_data(vault_id: str, slot: str, version: int = VERSION) -> bytes:
    """Binds a wrapping to the header's format version, the vault and the slot, so a wrapped key
    cannot be moved to another vault or from one slot to the other."""
    return f"{FORMAT}\x00{version}\x00{vault_id}\x00{slot}".encode()


def new_vault_id() -> str:
    return str(uuid.uuid4())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wrapped_to_json(w: Wrapped) -> dict[str, str]:
    return {"salt": _b64(w.salt), "nonce": _b64(w.nonce), "wrapped_key": _b64(w.ciphertext)}


def _body(header: Header) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": header.version,
        "vault_id": header.vault_id,
        "kdf": header.kdf.to_json(),
        PASSPHRASE_SLOT: _wrapped_to_json(header.passphrase),
        RECOVERY_SLOT: None if header.recovery is None else _wrapped_to_json(header.recovery),
        "lockout": {"failures": header.lockout.failures, "last_failure": header.lockout.last_failure},
        "policy": {"wipe_after_failures": header.wipe_after_failures},
        "wiped": header.wiped,
    }


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


def to_bytes(header: Header) -> bytes:
    body = _body(header)
    return (json.dumps({**body, "checksum": _checksum(body)}, indent=2) + "\n").encode()


def _bytes_field(obj: dict[str, Any], name: str, length: int) -> bytes:
    value = obj[name]
    if not isinstance(value, str):
        raise ValueError(name)
    data = base64.b64decode(value.encode("ascii"), validate=True)
    if len(data) != length:
        raise ValueError(name)
    return data


def _wrapped_from_json(value: object) -> Wrapped:
    if not isinstance(value, dict):
        raise ValueError("slot")
    return Wrapped(
        salt=_bytes_field(value, "salt", SALT_BYTES),
        nonce=_bytes_field(value, "nonce", NONCE_BYTES),
        ciphertext=_bytes_field(value, "wrapped_key", DATA_KEY_BYTES + 16),
    )


def from_bytes(data: bytes, *, allow_test_kdf: bool = False) -> Header:
    """Parse and check a header. Raises HeaderDamaged or HeaderTooNew, never anything else."""
    try:
        obj = json.loads(data.decode("utf-8"))
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise ValueError("format")
        version = obj.get("version")
        if type(version) is not int or version < 1:
            raise ValueError("version")
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise errors.HeaderDamaged() from exc
    if version > VERSION:
        raise errors.HeaderTooNew()
    try:
        checksum = obj.pop("checksum")
        if checksum != _checksum(obj):
            raise ValueError("checksum")
        vault_id = obj["vault_id"]
        if not isinstance(vault_id, str) or str(uuid.UUID(vault_id)) != vault_id:
            raise ValueError("vault_id")
        recovery = obj[RECOVERY_SLOT]
        wiped = obj.get("wiped", False)
        if type(wiped) is not bool:
            raise ValueError("wiped")
        return Header(
            vault_id=vault_id,
            kdf=KdfParams.from_json(obj["kdf"], allow_testing=allow_test_kdf),
            passphrase=_wrapped_from_json(obj[PASSPHRASE_SLOT]),
            recovery=None if recovery is None else _wrapped_from_json(recovery),
            version=version,
            lockout=_lockout_from_json(obj.get("lockout")),
            wipe_after_failures=_policy_from_json(obj.get("policy")),
            wiped=wiped,
        )
    except (KeyError, TypeError, ValueError, KdfParamsError, binascii.Error) as exc:
        raise errors.HeaderDamaged() from exc


def _lockout_from_json(value: object) -> LockoutState:
    if value is None:  # a header from before the count moved here
        return LockoutState()
    if not isinstance(value, dict):
        raise ValueError("lockout")
    failures, last = value["failures"], value["last_failure"]
    if type(failures) is not int or failures < 0 or type(last) not in (int, float) or not math.isfinite(last):
        raise ValueError("lockout")
    return LockoutState(failures, float(last))


def _policy_from_json(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("policy")
    limit = value.get("wipe_after_failures")
    if limit is not None and (type(limit) is not int or limit < 1):
        raise ValueError("policy")
    return limit


def read(path: Path, *, allow_test_kdf: bool = False) -> Header:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_HEADER_BYTES + 1)
    except FileNotFoundError as exc:
        raise errors.HeaderMissing() from exc
    except IsADirectoryError as exc:
        raise errors.HeaderDamaged() from exc
    except OSError as exc:
        raise errors.VaultError(
            "Navigator could not read its key file (navigator.vault). Check that the data folder "
            "is available, then try again; if it keeps happening, contact your IT service desk."
        ) from exc
    if len(data) > MAX_HEADER_BYTES:
        raise errors.HeaderDamaged()
    return from_bytes(data, allow_test_kdf=allow_test_kdf)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old contents or the new, never a mix."""
    private_file.write(path, data)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable. Not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(path: Path, header: Header) -> None:
    try:
        write_atomically(path, to_bytes(header))
    except OSError as exc:
        raise errors.CannotWrite() from exc
