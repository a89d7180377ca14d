"""Field-by-field merge of a mutable record: pure functions, no database.

Each field keeps the clock stamp of its current value. An incoming change wins when its stamp is
higher. A change whose ``base`` is not the current stamp was made without seeing the current
value: that is a concurrent edit, and whichever value loses is kept as a conflict for a person to
review, never dropped. The same change arriving twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from navigator_core.ops import FieldChange

DELETED = "_deleted"  # the tombstone merges like a field, by stamp


@dataclass(frozen=True)
class Version:
    value: Any
    stamp: str  # its device part says where the value came from


@dataclass(frozen=True)
class FieldConflict:
    field: str
    winner: Version
    loser: Version


@dataclass
class MergeResult:
    data: dict[str, Any]
    stamps: dict[str, str]
    changed: list[str] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)


def merge_changes(
    data: dict[str, Any],
    stamps: dict[str, str],
    changes: dict[str, FieldChange],
) -> MergeResult:
    """Apply `changes` to a record's `data` whose fields carry `stamps`; returns new copies."""
    data, stamps = dict(data), dict(stamps)
    result = MergeResult(data, stamps)
    for name, change in sorted(changes.items()):
        current = stamps.get(name, "")
        if change.stamp == current:
            continue  # seen already
        incoming_wins = change.stamp > current
        clean = current == "" or (change.base == current and incoming_wins)
        if not clean and data.get(name) != change.value:
            mine = Version(change.value, change.stamp)
            theirs = Version(data.get(name), current)
            winner, loser = (mine, theirs) if incoming_wins else (theirs, mine)
            result.conflicts.append(FieldConflict(name, winner, loser))
        if incoming_wins:
            data[name] = change.value
            stamps[name] = change.stamp
            result.changed.append(name)
    return result


def merge_delete(stamps: dict[str, str], stamp: str) -> tuple[dict[str, str], bool]:
    """The stamps after a tombstone at `stamp`, and whether it took effect."""
    if stamp <= stamps.get(DELETED, ""):
        return stamps, False
    return {**stamps, DELETED: stamp}, True
