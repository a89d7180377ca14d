"""Drafts, the outbox, settings and the actor, the directory, audit, visits, plans, safeguarding
and agencies."""

from __future__ import annotations

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.store import (
    agencies,
    audit,
    context,
    directory,
    drafts,
    outbox,
    plans,
    safeguarding,
    settings,
    visits,
)
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database, TransactionDoomedError
from tests.desktop.store.helpers import DEVICE_ID, TEAM_ID, USER_ID, Clock, count, make_client


def test_drafts_save_load_and_discard(db: Database) -> None:
    assert drafts.load(db, "contact:new") is None
    drafts.save(db, "contact:new", {"narrative": "half", "pathways": ["housing"]}, user_id=USER_ID)
    drafts.save(db, "contact:new", {"narrative": "half-typed"}, user_id=USER_ID)
    draft = drafts.load(db, "contact:new")
    assert draft is not None and draft.payload == {"narrative": "half-typed"}
    assert [d.form_key for d in drafts.for_user(db, USER_ID)] == ["contact:new"]
    drafts.discard(db, "contact:new")
    assert drafts.load(db, "contact:new") is None


def test_outbox_in_order_and_acknowledged(db: Database, actor: Actor) -> None:
    make_client(db, actor)
    pending = outbox.pending(db)
    assert [p.kind for p in pending] == ["client", "audit_event"]
    assert [p.seq for p in pending] == sorted(p.seq for p in pending)
    assert outbox.has_pending_for(db, pending[0].record_id)
    outbox.mark_sent(db, [p.op_id for p in pending], "2026-01-01T00:00:00.000Z")
    assert outbox.mark_acknowledged(db, pending[0].op_id, "2026-01-01T00:00:01.000Z")
    assert not outbox.mark_acknowledged(db, pending[0].op_id, "2026-01-01T00:00:02.000Z")
    assert [p.op_id for p in outbox.pending(db)] == [pending[1].op_id]
    assert outbox.pending_count(db) == 1
    assert outbox.purge_acknowledged(db, "2026-01-02T00:00:00.000Z") == 1


def test_current_actor_and_clock_survive_a_restart(db: Database, actor: Actor) -> None:
    assert context.current_actor(db) is None
    settings.put(db, settings.CURRENT_USER, USER_ID)
    settings.put(db, settings.DEVICE_ID, DEVICE_ID)
    make_client(db, actor)
    restarted = context.current_actor(db)
    assert restarted is not None and restarted.user_id == USER_ID and restarted.device_id == DEVICE_ID
    assert restarted.clock.last == actor.clock.last
    assert restarted.clock.now() > actor.clock.last


def test_device_id_is_made_once(db: Database) -> None:
    first = context.device_id(db)
    assert context.device_id(db) == first


def test_a_caught_failure_in_a_joined_block_rolls_everything_back(db: Database) -> None:
    with pytest.raises(TransactionDoomedError), db.transaction():
        settings.put(db, "outer", "1")
        with pytest.raises(RuntimeError), db.transaction(savepoint=False):
            raise RuntimeError("inner")
    assert settings.get(db, "outer") is None


def test_directory(db: Database) -> None:
    directory.save_team(db, TEAM_ID, "Aire Valley")
    directory.save_users(
        db, [{"id": USER_ID, "display_name": "Sam Okafor", "role": "navigator", "team_id": TEAM_ID}]
    )
    assert [t["name"] for t in directory.teams(db)] == ["Aire Valley"]
    assert [u["display_name"] for u in directory.users(db, TEAM_ID)] == ["Sam Okafor"]
    assert directory.display_names(db) == {USER_ID: "Sam Okafor"}


def test_views_and_break_glass_are_audited(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    audit.record_view(db, actor, client_id)
    with pytest.raises(ValidationError):
        audit.record_break_glass(db, actor, client_id, "")
    audit.record_break_glass(db, actor, client_id, "On call: police asked about a welfare check")
    actions = [e["action"] for e in audit.for_client(db, client_id)]
    assert sorted(actions) == ["break_glass", "create", "view"]
    assert count(db, "outbox") == 4  # the client, its audit event, and the two looks


def test_visit_lifecycle_and_overdue(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    visit_id = visits.plan(
        db,
        actor,
        {
            "client_id": client_id,
            "place": "Home",
            "planned_start": clock.text(hours=-2),
            "expected_minutes": 60,
        },
    ).record_id
    visits.check_in(db, actor, visit_id, at=clock.text(hours=-2))
    [open_visit] = visits.open_visits(db, now=clock.text())
    assert open_visit["overdue"] is True and open_visit["family_name"] == "Brennan"
    visits.escalate(db, actor, visit_id, "Called the worker; no answer; called the buddy.")
    visits.check_out(db, actor, visit_id, at=clock.text())
    assert visits.open_visits(db, now=clock.text()) == []
    visit = visits.get(db, visit_id)
    assert visit is not None and visit["status"] == "completed"
    start, end = clock.text(days=-1), clock.text(days=1)
    assert [v["id"] for v in visits.for_worker(db, USER_ID, start, end)] == [visit_id]
    assert [v["id"] for v in visits.for_client(db, client_id)] == [visit_id]
    with pytest.raises(ValidationError):
        visits.update(db, actor, visit_id, {"checked_out_at": clock.text(hours=-3)})


def test_goals_and_outcomes(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    goal_id = plans.add_goal(
        db,
        actor,
        {"client_id": client_id, "pathway": "housing", "goal": "My own flat", "review_date": "2020-01-01"},
    ).record_id
    assert [g["id"] for g in plans.goals_due_for_review(db, today="2021-01-01")] == [goal_id]
    plans.update_goal(db, actor, goal_id, {"status": "achieved"})
    assert plans.goals_for_client(db, client_id, include_closed=False) == []
    outcome = plans.record_outcome(
        db,
        actor,
        {
            "client_id": client_id,
            "goal_id": goal_id,
            "pathway": "housing",
            "outcome": "housing_secured",
            "achieved_on": "2025-01-01",
        },
    ).record_id
    fixed = plans.amend_outcome(db, actor, outcome, {"achieved_on": "2025-01-02"}, "Wrong day").record_id
    assert [o["id"] for o in plans.outcomes_for_client(db, client_id)] == [fixed]


def test_safeguarding_concerns(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    values = {
        "client_id": client_id,
        "category": "financial",
        "observed": "Cousin takes her benefits.",
        "action_taken": "Discussed",
    }
    with pytest.raises(ValidationError):
        safeguarding.raise_concern(db, actor, {**values, "referred_to_local_authority": True})
    concern = safeguarding.raise_concern(db, actor, values).record_id
    assert [c["id"] for c in safeguarding.for_client(db, client_id)] == [concern]
    safeguarding.mark_entered_in_error(db, actor, concern, "Wrong client")
    assert safeguarding.for_client(db, client_id) == []
    assert [c["state"] for c in safeguarding.history(db, client_id)] == ["entered_in_error"]


def test_agencies(db: Database, actor: Actor) -> None:
    agency_id = agencies.add(
        db, actor, {"team_id": TEAM_ID, "name": "Leeds Housing Options", "agency_type": "housing"}
    ).record_id
    agencies.add(db, actor, {"team_id": TEAM_ID, "name": "Aire Probation", "agency_type": "probation"})
    assert [a["name"] for a in agencies.for_team(db, TEAM_ID)] == ["Aire Probation", "Leeds Housing Options"]
    assert [a["id"] for a in agencies.for_team(db, TEAM_ID, agency_type="housing")] == [agency_id]
    result = agencies.update(db, actor, agency_id, {"phone": "0113 496 0001"})
    assert result.changes[0].client_id is None
    agencies.delete(db, actor, agency_id)
    assert agencies.get(db, agency_id) is None
