"""After a sync, the clients retention removed are announced on the change bus, as the unlock
purge announces them, so the caseload drops them at once."""

from __future__ import annotations

from typing import Any

from navigator_desktop.store.changes import Action
from navigator_desktop.sync.engine import SyncReport
from navigator_desktop.ui.retention_hook import announce_purged


class Bus:
    def __init__(self) -> None:
        self.published: list[Any] = []

    def publish(self, result: Any) -> None:
        self.published.append(result)


def test_purged_clients_are_published_as_client_deletes() -> None:
    bus = Bus()
    announce_purged(bus, SyncReport(purged=["c1", "c2"]))
    [result] = bus.published
    assert [(c.kind, c.record_id, c.client_id, c.action) for c in result.changes] == [
        ("client", "c1", "c1", Action.DELETE),
        ("client", "c2", "c2", Action.DELETE),
    ]
    announce_purged(bus, SyncReport())
    assert len(bus.published) == 1, "nothing purged, nothing published"
