"""What the sync indicator shows: enrolled or not, online, syncing, what waits to be sent, open
conflicts, the last sync; read from the store on the database worker (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from navigator_desktop.store import conflicts, outbox, settings
from navigator_desktop.sync.apply import Local


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool = False
    online: bool = False
    syncing: bool = False
    waiting: int = 0  # operations not yet acknowledged
    conflicts: int = 0  # open conflicts
    risk_conflicts: int = 0
    last_sync_at: str | None = None
    message: str = ""
    refused: int = 0  # operations the central store rejected, kept for a person to act on


def read_status(local: Local) -> SyncStatus:
    """The counts the status widget shows (run on the database worker)."""
    db = local.db
    waiting = outbox.pending_count(db)
    open_count, risk = conflicts.open_count(db)
    enrolled = bool(settings.get(db, settings.DEVICE_TOKEN))
    return SyncStatus(
        enrolled,
        False,
        False,
        waiting,
        open_count,
        risk,
        settings.get(db, settings.LAST_SYNC_AT),
        refused=outbox.refused_count(db),
    )
