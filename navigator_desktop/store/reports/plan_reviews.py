"""Support plans reviewed on time, from each goal's synced review log (``plans.review_goal``).

A goal's review falls *due* on each date in its ``review_log`` (the review date it held when a
review was held, or when the date was moved on without one) and on its current review date, when
that date lies in the period and before today, unless the goal was closed (achieved or stopped)
on or before it. The review is *done* on the first ``reviewed_on`` logged against that date:
*on time* when on or before it, *late* after it; *not reviewed* when none was held. The log
travels with the goal, so every laptop that holds the goal counts the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from navigator_core import timeutil
from navigator_core.hlc import Stamp
from navigator_desktop.store import codec
from navigator_desktop.store.db import Database
from navigator_desktop.store.reports.activity import client_name

Record = dict[str, Any]
CLOSED = ("achieved", "stopped")


@dataclass(frozen=True)
class PlanReviews:
    rows: list[Record]  # {goal_id, client_id, client, pathway, due, reviewed_on, state}

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r["state"] == state)

    @property
    def due(self) -> int:
        return len(self.rows)

    @property
    def on_time_rate(self) -> float | None:
        return self.count("on time") / self.due if self.due else None


def _stamp_day(stamps: dict[str, str], name: str, fallback: str) -> str:
    try:
        wall = Stamp.parse(stamps[name]).wall_ms
    except (KeyError, ValueError):
        return timeutil.local(timeutil.parse(fallback)).date().isoformat()
    return timeutil.local(datetime.fromtimestamp(wall / 1000, tz=timeutil.LONDON)).date().isoformat()


def review_dates(goal: Record) -> dict[str, str | None]:
    """Each review date the goal has held -> the first day a review was held against it (or None)."""
    held: dict[str, str | None] = {}
    for entry in codec.loads(goal["review_log"]) if goal["review_log"] else []:
        if not isinstance(entry, dict) or not entry.get("due"):
            continue
        due, on = str(entry["due"]), entry.get("reviewed_on")
        first = held.get(due)
        held[due] = str(on) if on and (first is None or str(on) < first) else first
    if goal["review_date"] and goal["review_date"] not in held:
        held[goal["review_date"]] = None
    return held


def plan_reviews(
    db: Database, ids: str, start: date, end: date, today: date, clients: dict[str, Record]
) -> PlanReviews:
    """Goal reviews due in [start, end) and before today, and whether each was done on time."""
    goals = db.query(
        "SELECT id, client_id, pathway, review_date, review_log, status, created_at, field_stamps "
        "FROM support_goals WHERE deleted = 0 AND client_id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    lo, hi = start.isoformat(), min(end, today).isoformat()
    rows = []
    for goal in goals:
        closed_on = None
        if goal["status"] in CLOSED:
            closed_on = _stamp_day(codec.loads(goal["field_stamps"] or "{}"), "status", goal["created_at"])
        for due, done in review_dates(goal).items():
            if not lo <= due < hi or (closed_on is not None and closed_on <= due):
                continue
            state = "not reviewed" if done is None else "on time" if done <= due else "late"
            rows.append({"goal_id": goal["id"], "client_id": goal["client_id"], "pathway": goal["pathway"],
                         "client": client_name(clients[goal["client_id"]]),
                         "due": due, "reviewed_on": done, "state": state})  # fmt: skip
    rows.sort(key=lambda r: (r["due"], r["client_id"]))
    return PlanReviews(rows)
