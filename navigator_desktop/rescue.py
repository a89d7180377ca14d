"""The rescue file: what a damaged vault had not yet sent, saved where IT can read it.

When the records' file is found damaged, the laptop is rebuilt from the central store (it is
re-enrolled; the next sync brings every record back). What the store never received is what
would be lost: the changes waiting in the outbox and the drafts of forms being typed. They are
read from the damaged file (read-only, table by table, as far as its pages allow) and written to
``navigator-rescue-<time>.json`` in the data folder, encrypted with AES-256-GCM under the vault's
own data key.

Why the data key and not a passphrase of its own: the worker who meets the damage is asked for
nothing new at a bad moment, the file is exactly as well protected as the vault it came from, and
whoever can read it is whoever can unlock that vault: IT, with the worker's passphrase or the
recovery key, and the key file (``navigator.vault``) that stays beside it. ``navigator-desktop
rescue --read FILE`` prints it. No Qt here.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from navigator_desktop.vault import errors
from navigator_desktop.vault import header as header_file
from navigator_desktop.vault.integrity import read_only
from navigator_desktop.vault.vault import Vault

log = logging.getLogger("navigator.rescue")

FORMAT = "navigator-rescue"
VERSION = 1
_UNSENT = {
    "outbox": "SELECT * FROM outbox WHERE acked_at IS NULL ORDER BY seq",
    "drafts": "SELECT * FROM drafts ORDER BY updated_at",
}


@dataclass(frozen=True)
class Rescued:
    path: Path
    changes: int  # outbox entries not yet acknowledged by the central store
    drafts: int
    unreadable: tuple[str, ...]  # tables the damage kept from being read


def _ad(vault_id: str) -> bytes:
    return f"{FORMAT}\x00{VERSION}\x00{vault_id}".encode()


def unsent(conn: sqlcipher3.Connection) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The outbox and the drafts, each as far as its pages can be read."""
    found: dict[str, list[dict[str, Any]]] = {}
    unreadable: list[str] = []
    for table, sql in _UNSENT.items():
        try:
            cursor = conn.execute(sql)
            names = [d[0] for d in cursor.description]
            found[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlcipher3.DatabaseError:
            log.error("the %s table could not be read from the damaged file", table)
            unreadable.append(table)
            found[table] = []
    return found, unreadable


def write(path: Path, data_key: bytes, vault_id: str, content: dict[str, Any]) -> None:
    nonce = os.urandom(12)
    sealed = AESGCM(data_key).encrypt(nonce, json.dumps(content).encode(), _ad(vault_id))
    body = {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": vault_id,
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(body, f)
        f.flush()
        os.fsync(f.fileno())
    temp.replace(path)


def read(path: Path, data_key: bytes) -> dict[str, Any]:
    """What a rescue file holds; VaultError if it is not one, or not this vault's."""
    try:
        body = json.loads(path.read_text("utf-8"))
        if body.get("format") != FORMAT or body.get("version") != VERSION:
            raise ValueError("not a rescue file")
        plain = AESGCM(data_key).decrypt(
            base64.b64decode(body["nonce"]), base64.b64decode(body["ciphertext"]), _ad(body["vault_id"])
        )
        content: dict[str, Any] = json.loads(plain)
    except Exception as exc:
        raise errors.VaultError(
            "This is not a rescue file of this vault, or it is damaged: it could not be read."
        ) from exc
    return content


def export(vault: Vault, data_key: bytes) -> Rescued:
    """Read the unsent work out of a (damaged) vault and write the rescue file beside it."""
    vault_id = header_file.read(vault.header_path, allow_test_kdf=vault.kdf.testing).vault_id
    with read_only(vault, data_key, check_wal=False) as conn:
        found, unreadable = unsent(conn)
    now = datetime.now(UTC)
    path = vault.data_dir / f"navigator-rescue-{now:%Y%m%dT%H%M%S%fZ}.json"
    content = {"created_at": now.isoformat(), "unreadable": unreadable, **found}
    write(path, data_key, vault_id, content)
    log.warning(
        "unsent work saved to a rescue file (%d changes, %d drafts)",
        len(found["outbox"]),
        len(found["drafts"]),
    )
    return Rescued(path, len(found["outbox"]), len(found["drafts"]), tuple(unreadable))
