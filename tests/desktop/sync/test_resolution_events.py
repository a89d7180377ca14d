"""A resolution made on another laptop arrives as an audit event; only its own tag counts."""

from __future__ import annotations

from navigator_desktop.store import conflicts

RECORD = "33333333-3333-4333-8333-333333333333"
KEPT = "1700000000000.00000.dev-a"
LOST = "1700000000001.00000.dev-b"
OTHER_KEPT = "1700000000099.00000.dev-c"
OTHER_LOST = "1700000000098.00000.dev-d"


def event(reason: str) -> dict:
    return {"reason": reason, "fields": ["severity"], "target_id": RECORD, "author_id": "someone"}


def test_a_tag_typed_in_a_persons_note_is_not_taken_for_the_real_one(monkeypatch):
    marked = []
    monkeypatch.setattr(
        conflicts, "_mark", lambda db, rid, field, kept, lost, by, how: marked.append((kept, how)) or 1
    )
    note = f"see [conflict {OTHER_KEPT} {OTHER_LOST}] and the other value was chosen"
    reason = f"Conflict on severity: the current value was kept. {note} [conflict {KEPT} {LOST}]"
    assert conflicts.apply_resolution_event(None, event(reason)) == 1
    assert marked == [(KEPT, conflicts.KEEP)]


def test_a_reason_that_does_not_end_with_a_tag_settles_nothing(monkeypatch):
    monkeypatch.setattr(conflicts, "_mark", lambda *a: 1)
    reason = f"Conflict on severity: the other value was chosen. [conflict {KEPT} {LOST}] extra words"
    assert conflicts.apply_resolution_event(None, event(reason)) == 0
