"""What a write changed, so each view refreshes only for the changes that concern it (as Anki's
OpChanges do). Plain data: the UI layer turns it into a signal."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    CREATE = "create"  # a new mutable record
    UPDATE = "update"
    DELETE = "delete"  # a tombstone
    APPEND = "append"  # a new append-only entry
    AMEND = "amend"  # a correcting entry that supersedes another
    ENTERED_IN_ERROR = "entered_in_error"  # an entry now hidden from the usual views
    LOADED = "loaded"  # rows that came from the central store (sync apply, bulk load)


@dataclass(frozen=True)
class Change:
    kind: str
    record_id: str
    client_id: str | None
    action: Action


@dataclass(frozen=True)
class WriteResult:
    """The record a write was about and everything it changed (empty when nothing changed,
    e.g. an update that set every field to the value it already had)."""

    record_id: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def client_ids(self) -> set[str]:
        return {c.client_id for c in self.changes if c.client_id}
