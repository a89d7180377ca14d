"""Concurrent edits that lost the merge, kept for a person to review (DESIGN.md, "Record kinds
and how concurrent edits merge").

The central store decides every conflict once, when it merges the later-arriving change, and sends
it to every laptop that may see the record, so each laptop records the same conflict with the same
winner. A conflict is identified by its record, field and the two stamps, so applying it again
(a replayed page, a re-scoped client) never records it twice.

Resolving is itself a change: choosing the other value writes an ordinary update (a new stamp, so
it wins everywhere), and every choice writes an audit event saying what was chosen and why, and a
``conflict_resolution`` entry that syncs to every laptop holding the conflict and to the central
store, so the same conflict is settled everywhere, not only where the choice was made.

Two people may decide the same conflict on two offline laptops. Both decisions are kept (they are
append-only entries); the conflict shows the EARLIEST recorded one (by ``recorded_at``, then entry
id), which every copy can work out from the entries alone, whatever order they arrive in. A
conflict that arrives after its decision (a re-scoped client re-sends records before conflicts) is
recorded already settled.
Conflicts on risk flags come first in every list: they are always put in front of a person.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from navigator_core import hlc, timeutil
from navigator_desktop.store import codec, records
from navigator_desktop.store.changes import Action, Change, WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

KEEP = "keep"  # keep the value the merge chose
TAKE_OTHER = "take_other"  # put the losing value back
RISK_KIND = "risk_flag"
DECISION_KIND = "conflict_resolution"
# The tag always ends the reason; a person's note comes before it and must not be mistaken for it.
_REASON = re.compile(r"\[conflict (?P<kept>\S+) (?P<lost>\S+)\]\Z")


@dataclass(frozen=True)
class Conflict:
    id: int
    kind: str
    record_id: str
    client_id: str | None
    field: str
    kept_value: Any
    kept_stamp: str
    kept_author: str | None
    lost_value: Any
    lost_stamp: str
    lost_author: str | None
    detected_at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None

    @property
    def is_risk(self) -> bool:
        return self.kind == RISK_KIND

    @property
    def kept_when(self) -> str:
        return _stamp_time(self.kept_stamp)

    @property
    def lost_when(self) -> str:
        return _stamp_time(self.lost_stamp)


def _stamp_time(stamp: str) -> str:
    """When a value was written, from its clock stamp (UTC text)."""
    try:
        wall = hlc.Stamp.parse(stamp).wall_ms
    except hlc.ClockError:
        return ""
    from datetime import UTC, datetime

    return timeutil.to_text(datetime.fromtimestamp(wall / 1000, tz=UTC))


def _row(row: Mapping[str, Any]) -> Conflict:
    values = dict(row)
    for name in ("kept_value", "lost_value"):
        values[name] = None if values[name] is None else codec.loads(values[name])
    return Conflict(**values)


def record(
    db: Database,
    *,
    kind: str,
    record_id: str,
    client_id: str | None,
    field: str,
    kept: tuple[Any, str, str | None],
    lost: tuple[Any, str, str | None],
    detected_at: str,
) -> bool:
    """Keep a conflict (value, stamp, author of each side); False if it was known already."""
    known = db.scalar(
        "SELECT 1 FROM conflicts WHERE record_id = ? AND field = ? AND kept_stamp = ? AND lost_stamp = ?",
        (record_id, field, kept[1], lost[1]),
    )
    if known is not None:
        return False
    db.execute(
        "INSERT INTO conflicts (kind, record_id, client_id, field, kept_value, kept_stamp, kept_author, "
        "lost_value, lost_stamp, lost_author, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            record_id,
            client_id,
            field,
            codec.dumps(kept[0]),
            kept[1],
            kept[2],
            codec.dumps(lost[0]),
            lost[1],
            lost[2],
            detected_at,
        ),
    )
    settle(db, record_id, field, kept[1], lost[1])  # its decision may have arrived first
    return True


_ORDER = "ORDER BY (kind = 'risk_flag') DESC, detected_at, id"


def open_conflicts(db: Database, client_id: str | None = None) -> list[Conflict]:
    """Conflicts waiting for a person, risk flags first."""
    where, params = "resolved_at IS NULL", ()
    if client_id is not None:
        where, params = "resolved_at IS NULL AND client_id = ?", (client_id,)  # type: ignore[assignment]
    return [_row(r) for r in db.query(f"SELECT * FROM conflicts WHERE {where} {_ORDER}", params)]


def all_conflicts(db: Database) -> list[Conflict]:
    return [_row(r) for r in db.query(f"SELECT * FROM conflicts {_ORDER}")]


def get(db: Database, conflict_id: int) -> Conflict | None:
    row = db.one("SELECT * FROM conflicts WHERE id = ?", (conflict_id,))
    return None if row is None else _row(row)


def open_count(db: Database) -> tuple[int, int]:
    """(open conflicts, of which on risk flags)."""
    row = db.one(
        "SELECT count(*) AS n, coalesce(sum(kind = 'risk_flag'), 0) AS risk FROM conflicts "
        "WHERE resolved_at IS NULL"
    )
    assert row is not None
    return int(row["n"]), int(row["risk"])


def forget_record(db: Database, record_id: str) -> None:
    db.execute("DELETE FROM conflicts WHERE record_id = ?", (record_id,))


def resolve(
    db: Database, actor: Actor, conflict_id: int, choice: str, note: str | None = None
) -> WriteResult:
    """A person's decision on a conflict, written with its audit event (and, when they take the
    other value, the update that puts it back) in one transaction; all of it syncs."""
    if choice not in (KEEP, TAKE_OTHER):
        raise ValueError(f"unknown choice {choice!r}")
    with db.transaction():
        conflict = get(db, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            return WriteResult(str(conflict_id), [])
        tag = f"[conflict {conflict.kept_stamp} {conflict.lost_stamp}]"
        said = f" {note.strip()}" if note and note.strip() else ""
        changes: list[Change] = []
        current = records.get(db, conflict.kind, conflict.record_id)
        if choice == TAKE_OTHER and current is not None:
            reason = f"Conflict on {conflict.field}: the other value was chosen.{said} {tag}"
            result = records.update(
                db,
                actor,
                conflict.kind,
                conflict.record_id,
                {conflict.field: conflict.lost_value},
                reason=reason,
            )
            changes += result.changes
        if not changes:
            reason = f"Conflict on {conflict.field}: the current value was kept.{said} {tag}"
            changes.append(
                records.write_audit(
                    db,
                    actor,
                    "update",
                    conflict.kind,
                    conflict.record_id,
                    conflict.client_id,
                    fields=[conflict.field],
                    reason=reason,
                )
            )
        decision = {
            "target_kind": conflict.kind,
            "target_id": conflict.record_id,
            "client_id": conflict.client_id,
            "field": conflict.field,
            "kept_stamp": conflict.kept_stamp,
            "lost_stamp": conflict.lost_stamp,
            "choice": choice,
            "note": note.strip() if note and note.strip() else None,
        }
        changes += records.append(db, actor, DECISION_KIND, decision).changes
        settle(db, conflict.record_id, conflict.field, conflict.kept_stamp, conflict.lost_stamp)
    return WriteResult(
        conflict.record_id,
        [*changes, Change(conflict.kind, conflict.record_id, conflict.client_id, Action.UPDATE)],
    )


def _mark(db: Database, record_id: str, field: str, kept: str, lost: str, by: str | None, how: str) -> int:
    return db.execute(
        "UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE record_id = ? "
        "AND field = ? AND kept_stamp = ? AND lost_stamp = ? AND resolved_at IS NULL",
        (timeutil.now_text(), by, how, record_id, field, kept, lost),
    )


def apply_resolution_event(db: Database, event: Mapping[str, Any]) -> int:
    """A resolution made on another laptop (its audit event arrived by sync): mark the same
    conflict resolved here. How many conflicts it settled."""
    reason = str(event.get("reason") or "")
    match = _REASON.search(reason)
    fields = event.get("fields") or []
    target = event.get("target_id")
    if match is None or not target or not fields:
        return 0
    # The choice is read from the fixed opening words, never from the person's note after them.
    how = TAKE_OTHER if reason.startswith(f"Conflict on {fields[0]}: the other value was chosen.") else KEEP
    return _mark(db, str(target), str(fields[0]), match["kept"], match["lost"], event.get("author_id"), how)


def settle(db: Database, record_id: str, field: str, kept: str, lost: str) -> int:
    """Show on this conflict the earliest decision recorded about it (if any): who, when, what.
    Deterministic on every laptop once it holds the same decisions, in whatever order they came."""
    first = db.one(
        "SELECT author_id, recorded_at, choice FROM conflict_resolutions WHERE target_id = ? AND field = ? "
        "AND kept_stamp = ? AND lost_stamp = ? ORDER BY recorded_at, id LIMIT 1",
        (record_id, field, kept, lost),
    )
    if first is None:
        return 0
    return db.execute(
        "UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE record_id = ? "
        "AND field = ? AND kept_stamp = ? AND lost_stamp = ? "
        "AND (resolved_at IS NOT ? OR resolved_by IS NOT ? OR resolution IS NOT ?)",
        (
            first["recorded_at"],
            first["author_id"],
            first["choice"],
            record_id,
            field,
            kept,
            lost,
            first["recorded_at"],
            first["author_id"],
            first["choice"],
        ),
    )


def apply_decisions(db: Database, rows: Sequence[Mapping[str, Any]]) -> int:
    """Decisions pulled from the central store (made here or on another laptop): settle the
    conflicts they name. How many conflicts changed."""
    keys = {
        (str(r["target_id"]), str(r["field"]), str(r["kept_stamp"]), str(r["lost_stamp"]))
        for r in rows
        if r.get("target_id") and r.get("field")
    }
    return sum(settle(db, *key) for key in sorted(keys))
