"""Telling the screens about clients retention removed after a sync, as the unlock purge does
(``PlanFlow.purge_retained`` in flows/plan.py): a client-deleted change per client on the app's
change bus, so the caseload and any open client drop them at once instead of at their next refresh."""

from __future__ import annotations

from typing import Any

from navigator_core.kinds import CLIENT
from navigator_desktop.store.changes import Action, Change, WriteResult


def announce_purged(bus: Any, report: Any) -> None:
    """Publish the clients a sync's retention purge removed (``SyncReport.purged``), if any."""
    purged = list(getattr(report, "purged", None) or [])
    if purged:
        bus.publish(WriteResult(purged[0], [Change(CLIENT.name, cid, cid, Action.DELETE) for cid in purged]))
