"""Plan reviews travel with the goal (its synced review_log), so every laptop counts them alike."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from navigator_desktop.store import directory, plans, records, reports
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import TEAM_ID, USER_ID, Clock, make_client

TODAY = reports.local_today()
PERIOD = reports.Period.last_full_months(3, TODAY)
M1, M2, M3 = PERIOD.months()


def _me(db: Database) -> None:
    directory.save_team(db, TEAM_ID, "North forensic team")
    directory.save_users(
        db, [{"id": USER_ID, "display_name": "Me Navigator", "role": "navigator", "team_id": TEAM_ID}]
    )


def test_a_goal_from_another_laptop_brings_its_reviews(db: Database, actor: Actor) -> None:
    """A goal as it arrives by sync: its values, no field history here. Its review log alone
    says which reviews were due, held on time, late or missed."""
    _me(db)
    cid = make_client(db, actor, referral_date=(M1 - timedelta(days=200)).isoformat())
    log = [
        {"due": (M1 + timedelta(days=4)).isoformat(), "reviewed_on": (M1 + timedelta(days=1)).isoformat(),
         "by": "someone-else", "note": "Fine"},
        {"due": (M2 + timedelta(days=4)).isoformat(), "reviewed_on": (M2 + timedelta(days=9)).isoformat(),
         "by": "someone-else"},
        {"due": (M3 + timedelta(days=4)).isoformat(), "reviewed_on": None, "by": "someone-else"},
    ]  # fmt: skip
    values = {"client_id": cid, "pathway": "housing", "goal": "A flat", "status": "in_progress",
              "review_date": (TODAY + timedelta(days=30)).isoformat(), "review_log": log}  # fmt: skip
    goal_id = records.create(db, actor, "support_goal", values).record_id
    assert (
        db.scalar("SELECT count(*) FROM revisions WHERE record_id = ? AND action = 'update'", (goal_id,)) == 0
    )
    rows = reports.build(db, USER_ID, PERIOD, today=TODAY).plans.rows
    assert [(r["due"], r["reviewed_on"], r["state"]) for r in rows] == [
        (log[0]["due"], log[0]["reviewed_on"], "on time"),
        (log[1]["due"], log[1]["reviewed_on"], "late"),
        (log[2]["due"], None, "not reviewed"),
    ]
    assert [r["note"] for r in plans.reviews_of(db, goal_id)] == ["", "Fine"]


def test_reviewing_writes_the_log_and_moving_a_past_date_logs_a_missed_review(
    db: Database, actor: Actor, clock: Clock
) -> None:
    cid = make_client(db, actor)
    clock.now = datetime.combine(TODAY - timedelta(days=20), time(12), UTC)
    due = (TODAY - timedelta(days=10)).isoformat()
    goal_id = plans.add_goal(
        db, actor, {"client_id": cid, "pathway": "housing", "goal": "A flat", "review_date": due}
    ).record_id
    clock.now = datetime.combine(TODAY - timedelta(days=12), time(12), UTC)
    nxt = (TODAY - timedelta(days=5)).isoformat()
    plans.review_goal(db, actor, goal_id, next_review=nxt, note="Viewing booked")
    goal = records.get(db, "support_goal", goal_id) or {}
    reviewed_on = (TODAY - timedelta(days=12)).isoformat()
    assert goal["review_log"] == [
        {"due": due, "reviewed_on": reviewed_on, "by": USER_ID, "note": "Viewing booked"}
    ]
    clock.now = datetime.combine(TODAY, time(12), UTC)
    plans.update_goal(db, actor, goal_id, {"review_date": (TODAY + timedelta(days=30)).isoformat()})
    goal = records.get(db, "support_goal", goal_id) or {}
    assert goal["review_log"][-1] == {"due": nxt, "reviewed_on": None, "by": USER_ID}
    assert [r["when"] for r in plans.reviews_of(db, goal_id)] == [reviewed_on]
