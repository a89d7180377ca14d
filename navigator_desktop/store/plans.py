"""Support plans: goals in the client's own words (mutable) and outcomes achieved (append-only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from navigator_core import timeutil
from navigator_core.fields import FieldError, ValidationError
from navigator_core.kinds import OUTCOME, SUPPORT_GOAL
from navigator_desktop.store import codec, entries, records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database

Record = dict[str, Any]
CLOSED_GOAL_STATUSES = ("achieved", "stopped")


def add_goal(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    return records.create(db, actor, SUPPORT_GOAL.name, {"status": "not_started", **values})


def update_goal(db: Database, actor: Actor, goal_id: str, values: Mapping[str, Any]) -> WriteResult:
    """An edit of a goal; moving a past review date on without a review logs that review as missed."""
    with db.transaction():
        goal = records.get(db, SUPPORT_GOAL.name, goal_id)
        log = missed_review(goal, values, actor) if goal and "review_log" not in values else None
        extra = {"review_log": log} if log is not None else {}
        return records.update(db, actor, SUPPORT_GOAL.name, goal_id, {**values, **extra})


def delete_goal(db: Database, actor: Actor, goal_id: str) -> WriteResult:
    return records.delete(db, actor, SUPPORT_GOAL.name, goal_id)


def goals_for_client(db: Database, client_id: str, *, include_closed: bool = True) -> list[Record]:
    """A client's goals by pathway; open goals first."""
    closed = "" if include_closed else f" AND status NOT IN ({', '.join('?' * len(CLOSED_GOAL_STATUSES))})"
    params = [client_id, *([] if include_closed else CLOSED_GOAL_STATUSES)]
    rows = db.query(
        f"SELECT * FROM support_goals WHERE client_id = ? AND deleted = 0{closed} "
        "ORDER BY status IN ('achieved', 'stopped'), pathway, target_date",
        params,
    )
    return [codec.decode_row(SUPPORT_GOAL, r) for r in rows]


def goals_due_for_review(
    db: Database, *, today: str | None = None, client_ids: list[str] | None = None
) -> list[Record]:
    """Open goals whose review date is today or past."""
    today = today or timeutil.now_text()[:10]
    rows = db.query(
        "SELECT * FROM support_goals WHERE deleted = 0 AND review_date <= ? "
        "AND status NOT IN ('achieved', 'stopped') ORDER BY review_date",
        (today,),
    )
    goals = [codec.decode_row(SUPPORT_GOAL, r) for r in rows]
    return goals if client_ids is None else [g for g in goals if g["client_id"] in set(client_ids)]


def record_outcome(db: Database, actor: Actor, values: Mapping[str, Any]) -> WriteResult:
    return records.append(db, actor, OUTCOME.name, values)


def amend_outcome(
    db: Database, actor: Actor, outcome_id: str, values: Mapping[str, Any], reason: str
) -> WriteResult:
    return records.amend(db, actor, OUTCOME.name, outcome_id, values, reason)


def mark_outcome_entered_in_error(db: Database, actor: Actor, outcome_id: str, reason: str) -> WriteResult:
    return records.mark_entered_in_error(db, actor, OUTCOME.name, outcome_id, reason)


def outcomes_for_client(db: Database, client_id: str) -> list[Record]:
    """A client's current outcomes, most recent first."""
    rows = db.query(
        f"SELECT o.* FROM outcomes o WHERE o.client_id = ? AND {entries.visible('o', 'outcomes')} "
        "ORDER BY o.achieved_on DESC",
        (client_id,),
    )
    return [codec.decode_row(OUTCOME, r) for r in rows]


# --- steps and reviews ----------------------------------------------------------------------
# A step is {"step": text, "done": bool, "due": date or None, "done_on": date or None} inside the
# goal's `steps` JSON field, so a tick is an ordinary field change: stamped, revised, audited and
# merged like any other (a concurrent edit of the same goal's steps is kept as a conflict).


def steps_from_lines(text: str, existing: list[Record] | None = None) -> list[Record]:
    """Steps from one-per-line text, keeping what is known about a step whose text is unchanged
    (ticked, its due date), so editing a goal's wording never unticks its steps."""
    known = {str(s.get("step", "")).strip(): s for s in existing or [] if isinstance(s, dict)}
    steps: list[Record] = []
    for line in text.splitlines():
        words = line.strip().lstrip("-•*").strip()
        if words:
            steps.append(dict(known.get(words) or {"step": words, "done": False}))
    return steps


def _steps_of(db: Database, goal_id: str) -> list[Record]:
    goal = records.get(db, SUPPORT_GOAL.name, goal_id)
    if goal is None:
        raise records.RecordNotFoundError(SUPPORT_GOAL.name, goal_id)
    return [dict(s) for s in goal.get("steps") or [] if isinstance(s, dict)]


def add_step(db: Database, actor: Actor, goal_id: str, step: str, due: str | None = None) -> WriteResult:
    words = step.strip()
    if not words:
        raise ValueError("a step needs some words")
    with db.transaction():
        steps = _steps_of(db, goal_id)
        steps.append({"step": words, "done": False, **({"due": due} if due else {})})
        return records.update(db, actor, SUPPORT_GOAL.name, goal_id, {"steps": steps})


def set_step_done(db: Database, actor: Actor, goal_id: str, index: int, done: bool) -> WriteResult:
    """Tick (or untick) one step; ticking notes the day it was done."""
    with db.transaction():
        steps = _steps_of(db, goal_id)
        if not 0 <= index < len(steps):
            raise IndexError(f"goal has no step {index}")
        steps[index]["done"] = done
        steps[index]["done_on"] = timeutil.local(actor.now()).date().isoformat() if done else None
        return records.update(db, actor, SUPPORT_GOAL.name, goal_id, {"steps": steps})


REVIEW_NOTE = "Plan review: "


def review_goal(
    db: Database,
    actor: Actor,
    goal_id: str,
    *,
    next_review: str,
    note: str,
    status: str | None = None,
) -> WriteResult:
    """A review of a goal with the client: appends {due, reviewed_on, by, note} to the goal's
    `review_log` (a synced field, so every laptop counts the same reviews on time), sets the next
    review date (and the status, if it changed). "due" is the review date the goal held when it
    was reviewed. The update's revision note and audit reason say "Plan review: …"."""
    if not note.strip():
        raise ValidationError(SUPPORT_GOAL.name, [FieldError("note", "Say what the review found.")])
    today = timeutil.local(actor.now()).date().isoformat()
    if not next_review or next_review <= today:
        raise ValidationError(
            SUPPORT_GOAL.name, [FieldError("review_date", "The next review must be after today.")]
        )
    values: dict[str, Any] = {"review_date": next_review}
    if status:
        values["status"] = status
    with db.transaction():
        goal = records.get(db, SUPPORT_GOAL.name, goal_id)
        if goal is None:
            raise records.RecordNotFoundError(SUPPORT_GOAL.name, goal_id)
        said = note.strip()
        entry = {"due": goal.get("review_date"), "reviewed_on": today, "by": actor.user_id, "note": said}
        values["review_log"] = [*review_log(goal), entry]
        return records.update(db, actor, SUPPORT_GOAL.name, goal_id, values, reason=REVIEW_NOTE + said)


def review_log(goal: Mapping[str, Any]) -> list[Record]:
    """The goal's review log, oldest first (entries that are not objects are skipped)."""
    return [dict(e) for e in goal.get("review_log") or [] if isinstance(e, dict)]


def missed_review(goal: Mapping[str, Any], values: Mapping[str, Any], actor: Actor) -> list[Record] | None:
    """The review log with a missed review added when an edit moves the review date on from a day
    already past without a review held against it (None when there is nothing to add)."""
    old, new = goal.get("review_date"), values.get("review_date", goal.get("review_date"))
    today = timeutil.local(actor.now()).date().isoformat()
    log = review_log(goal)
    if not old or new == old or old >= today or any(e.get("due") == old for e in log):
        return None
    return [*log, {"due": old, "reviewed_on": None, "by": actor.user_id}]


def reviews_of(db: Database, goal_id: str) -> list[Record]:
    """The goal's reviews held, newest first: {when, due, by, note}, from its synced review log."""
    goal = records.get(db, SUPPORT_GOAL.name, goal_id) or {}
    return reviews_in(goal)


def reviews_in(goal: Mapping[str, Any]) -> list[Record]:
    held = [e for e in review_log(goal) if e.get("reviewed_on")]
    held.sort(key=lambda e: str(e["reviewed_on"]), reverse=True)
    return [
        {"when": e["reviewed_on"], "due": e.get("due"), "by": e.get("by"), "note": e.get("note") or ""}
        for e in held
    ]


def outcome_history(db: Database, client_id: str) -> list[Record]:
    """Outcomes replaced by a correction or marked entered in error (kept, shown apart)."""
    current = {o["id"] for o in outcomes_for_client(db, client_id)}
    rows = db.query("SELECT * FROM outcomes WHERE client_id = ? ORDER BY recorded_at", (client_id,))
    return [codec.decode_row(OUTCOME, r) for r in rows if r["id"] not in current]


@dataclass(frozen=True)
class Plan:
    """Everything the support plan tab and the plan PDF show about one client."""

    client_id: str
    goals: list[Record]
    outcomes: list[Record]
    earlier_outcomes: list[Record]
    reviews: dict[str, list[Record]] = field(default_factory=dict)  # goal id -> its reviews


def plan_for_client(db: Database, client_id: str) -> Plan:
    goals = goals_for_client(db, client_id)
    return Plan(
        client_id,
        goals,
        outcomes_for_client(db, client_id),
        outcome_history(db, client_id),
        {g["id"]: reviews_in(g) for g in goals},
    )
