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


ANY_CLIENT = "*"  # a summary's client: any client may be concerned (see compact)
MANY_CHANGES = 1000  # more than this, and a description is summarised per kind and action


@dataclass(frozen=True)
class Change:
    kind: str
    record_id: str
    client_id: str | None
    action: Action

    def about(self, client_id: str) -> bool:
        """Whether this change may concern `client_id` (a summary may concern any client)."""
        return self.client_id == client_id or self.client_id == ANY_CLIENT


def compact(changes: list[Change], limit: int = MANY_CHANGES) -> list[Change]:
    """The description itself while it is small; beyond `limit` changes (an initial sync, a
    laptop back after weeks offline), one change per kind and action, about any client. Every
    view then refreshes what it shows of those kinds, which it would have done anyway, and the
    GUI thread is not handed hundreds of thousands of objects to scan and free (a 400,000-record
    sync's description held the interpreter lock for 80 ms as it was freed)."""
    if len(changes) <= limit:
        return changes
    seen = dict.fromkeys((c.kind, c.action) for c in changes)
    return [Change(kind, "", ANY_CLIENT, action) for kind, action in seen]


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
