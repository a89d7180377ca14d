"""The app-wide change bus: what a write changed, as a signal views can filter by kind and client."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from navigator_desktop.store.changes import Change, WriteResult


class ChangeBus(QObject):
    changed = Signal(object)  # list[Change]

    def publish(self, result: WriteResult) -> None:
        if result.changes:
            self.changed.emit(list(result.changes))


def concerns(changes: list[Change], *, kinds: set[str] | None = None, client_id: str | None = None) -> bool:
    """Whether any change is of one of `kinds` (any kind when None) and about `client_id` (any when None)."""
    return any(
        (kinds is None or c.kind in kinds) and (client_id is None or c.about(client_id)) for c in changes
    )
