"""Keys: the data key, the passphrase-derived key that wraps it, and the recovery key.

The database is encrypted with a random 256-bit data key. The data key is stored only wrapped
(AES-256-GCM) in the header, once under a key derived from the passphrase with Argon2id and
optionally once more under a key derived from a recovery key. Changing the passphrase therefore
rewraps 32 bytes and never re-encrypts the database.

A recovery key is 20 random bytes (160 bits) shown as base32 in groups of four. It is far too
random to guess, so it is not stretched: HKDF-SHA256 with a per-wrapping salt is enough.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from typing import ClassVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from navigator_desktop.vault.passphrase import normalise

DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
RECOVERY_KEY_BYTES = 20
_RECOVERY_CHARS = RECOVERY_KEY_BYTES * 8 // 5  # 32 base32 characters, no padding
_RECOVERY_GROUP = 4
# Characters people type for ones base32 never uses (it has no 0, 1 or 8).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class KdfParamsError(ValueError):
    """Argon2id settings outside what we accept (a tampered or broken header, or a bug)."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id settings. Recorded in the header; unlocking uses what the header says.

    The floor keeps a tampered header from weakening a rewrap; the ceiling keeps it from making
    unlock take minutes or exhaust memory. Only ``for_tests()`` may go below the floor.
    """

    memory_kib: int
    iterations: int
    lanes: int
    testing: bool = False

    MIN_MEMORY_KIB: ClassVar[int] = 64 * 1024
    MAX_MEMORY_KIB: ClassVar[int] = 2 * 1024 * 1024
    MIN_ITERATIONS: ClassVar[int] = 3
    MAX_ITERATIONS: ClassVar[int] = 20
    MAX_LANES: ClassVar[int] = 16
    DEFAULT: ClassVar[KdfParams]

    def __post_init__(self) -> None:
        for name in ("memory_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if type(value) is not int:
                raise KdfParamsError(f"{name} must be an integer")
        if not 1 <= self.lanes <= self.MAX_LANES:
            raise KdfParamsError("lanes out of range")
        if not 8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB:
            raise KdfParamsError("memory out of range")
        if not 1 <= self.iterations <= self.MAX_ITERATIONS:
            raise KdfParamsError("iterations out of range")
        if not self.testing and (
            self.memory_kib < self.MIN_MEMORY_KIB or self.iterations < self.MIN_ITERATIONS
        ):
            raise KdfParamsError("key derivation settings are weaker than the minimum")

    @classmethod
    def for_tests(cls) -> KdfParams:
        """Tiny settings so tests run fast. Never use outside tests."""
        return cls(memory_kib=8, iterations=1, lanes=1, testing=True)

    def to_json(self) -> dict[str, object]:
        return {
            "algorithm": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, value: object, *, allow_testing: bool = False) -> KdfParams:
        if not isinstance(value, dict) or value.get("algorithm") != "argon2id":
            raise KdfParamsError("unknown key derivation")
        return cls(
            memory_kib=value.get("memory_kib"),  # type: ignore[arg-type]  # checked in __post_init__
            iterations=value.get("iterations"),  # type: ignore[arg-type]
            lanes=value.get("lanes"),  # type: ignore[arg-type]
            testing=allow_testing,
        )


# 128 MiB, 3 passes, 2 lanes: about 0.3-0.4 s on the 2-core reference laptop.
KdfParams.DEFAULT = KdfParams(memory_kib=128 * 1024, iterations=3, lanes=2)


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_from_passphrase(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise(passphrase).encode("utf-8"))


def derive_from_recovery_key(recovery_key: bytes, salt: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"navigator-vault recovery key")
    return hkdf.derive(recovery_key)


@dataclass(frozen=True)
class Wrapped:
    """The data key encrypted under one key-encryption key."""

    salt: bytes
    nonce: bytes
    ciphertext: bytes  # 32-byte key + 16-byte GCM tag


def wrap(data_key: bytes, kek: bytes, salt: bytes, associated_data: bytes) -> Wrapped:
    nonce = os.urandom(NONCE_BYTES)
    return Wrapped(salt, nonce, AESGCM(kek).encrypt(nonce, data_key, associated_data))


def unwrap(wrapped: Wrapped, kek: bytes, associated_data: bytes) -> bytes | None:
    """The data key, or None when this key (or the associated data) is not the one it was wrapped with."""
    try:
        key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, associated_data)
    except InvalidTag:
        return None
    return key if len(key) == DATA_KEY_BYTES else None


def new_recovery_key() -> bytes:
    return os.urandom(RECOVERY_KEY_BYTES)


def format_recovery_key(raw: bytes) -> str:
    """'ABCD-EFGH-...': eight groups of four base32 characters, easy to copy by hand."""
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + _RECOVERY_GROUP] for i in range(0, len(text), _RECOVERY_GROUP))


def parse_recovery_key(text: str) -> bytes | None:
    """The raw key from what a person typed (any case, spaces or dashes anywhere), or None if it
    cannot be a recovery key at all."""
    cleaned = re.sub(r"[\s\-]+", "", text).upper().translate(_LOOKALIKES)
    if len(cleaned) != _RECOVERY_CHARS or not re.fullmatch(r"[A-Z2-7]+", cleaned):
        return None
    return base64.b32decode(cleaned)
