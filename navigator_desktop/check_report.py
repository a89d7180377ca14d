"""What `navigator-desktop check` prints about the records, read without changing a byte."""

from __future__ import annotations

from typing import TextIO

from navigator_desktop.vault import errors
from navigator_desktop.vault.integrity import read_only
from navigator_desktop.vault.vault import Vault, check_integrity

WAY_FORWARD = (
    "What to do: do not delete or copy over anything in the data folder. Save what was not yet "
    "sent to the central store with `navigator-desktop rescue --data-dir DIR` (an encrypted "
    "rescue file beside the vault; `rescue --read FILE` shows it). Then rebuild the laptop from "
    "the central store: move the data folder aside, run `navigator-desktop init` and "
    "`navigator-desktop enrol` again, and the next sync brings every record back."
)


def check_read_only(vault: Vault, data_key: bytes, out: TextIO) -> None:
    """Integrity of every page, then counts per record kind and what waits to be sent; raises
    DatabaseDamaged with the way forward when the records are damaged."""
    from navigator_core.kinds import ALL_KINDS
    from navigator_desktop.store import conflicts, outbox, settings
    from navigator_desktop.store.db import Database

    try:
        with read_only(vault, data_key) as conn:
            check_integrity(conn)
            print("integrity ok", file=out)
            db = Database(conn)
            tables = set(db.column("SELECT name FROM sqlite_master WHERE type = 'table'"))
            for spec in ALL_KINDS:
                if spec.table in tables:
                    print(f"{spec.name:22} {db.scalar(f'SELECT count(*) FROM {spec.table}')}", file=out)
            waiting, risk = conflicts.open_count(db)
            print(f"{'outbox waiting':22} {outbox.pending_count(db)}", file=out)
            print(f"{'conflicts to review':22} {waiting} (risk flags {risk})", file=out)
            print(f"{'last sync':22} {settings.get(db, settings.LAST_SYNC_AT) or 'never'}", file=out)
    except errors.DatabaseDamaged as exc:
        raise type(exc)(f"{exc.message}\n{WAY_FORWARD}") from exc
