"""Shared helpers for the vault tests (a module with a unique name, so it imports cleanly)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSPHRASE = "kettle orbit marble seven"
NEW_PASSPHRASE = "lantern cobble heron ninety"
CANARY = "Canary-Record-Text-7f3a9"  # record content that must never appear in a file


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


SCHEMA = [
    Migration(1, "notes", "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"),
    Migration(2, "note author", "ALTER TABLE note ADD COLUMN author TEXT;"),
]


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def snapshot(directory: Path, *, ignore: tuple[str, ...] = ("navigator.lockout",)) -> dict[str, str]:
    """Every file under `directory` and the SHA-256 of its bytes. For the header, the bytes of
    everything but the wrong-passphrase count (which a failure is meant to change) and the
    checksum over it: the keys, the settings and the policy must stay exactly as they were."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(_comparable(p)).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name not in ignore
    }


def _comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name != "navigator.vault":
        return data
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        return data  # a damaged header is compared byte for byte
    if not isinstance(body, dict):
        return data
    body.pop("lockout", None)
    body.pop("checksum", None)
    return json.dumps(body, sort_keys=True).encode()


def header_json(directory: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((directory / "navigator.vault").read_text())
    return loaded


def write_notes(conn: Any, count: int, body: str = CANARY) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO note (body) VALUES (?)", [(f"{body} {i}",) for i in range(count)])
    conn.execute("COMMIT")


def count_notes(conn: Any) -> int:
    count: int = conn.execute("SELECT count(*) FROM note").fetchone()[0]
    return count
