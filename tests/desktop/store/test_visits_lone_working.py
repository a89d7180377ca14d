"""Lone-working visits in the store: the safety briefing, starting a visit, escalation steps, and
what the on-call screen reads."""

from __future__ import annotations

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.store import directory, handover, outbox, risk, views, visits
from navigator_desktop.store.context import Actor, make_actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import (
    DEVICE_ID,
    OTHER_USER_ID,
    TEAM_ID,
    USER_ID,
    Clock,
    add_contact,
    make_client,
    risk_values,
)


def plan(db: Database, actor: Actor, client_id: str, start: str, minutes: int = 60) -> str:
    values = {
        "client_id": client_id,
        "place": "Flat 2, 14 Mill Lane",
        "planned_start": start,
        "expected_minutes": minutes,
        "call_contact": "Duty desk 0113 496 0000",
    }
    return visits.plan(db, actor, values).record_id


def test_briefing_holds_visit_relevant_active_risks_restrictions_and_latest_incident(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client = make_client(db, actor, exclusion_zones="Leeds city centre", no_contact="Ms A. Victim")
    risk.raise_flag(db, actor, risk_values(client, category="environment", severity="medium"))
    risk.raise_flag(db, actor, risk_values(client, category="visit_two_workers", severity="high"))
    risk.raise_flag(db, actor, risk_values(client, category="self_harm", severity="high"))  # not for visits
    gone = risk.raise_flag(db, actor, risk_values(client, category="weapons")).record_id
    risk.resolve(db, actor, gone, "Knife handed in to police")
    add_contact(db, actor, client, clock.text(days=-5), narrative="Quiet visit.")
    add_contact(db, actor, client, clock.text(days=-3), narrative="An incident at the hostel: shouting.")
    add_contact(db, actor, client, clock.text(days=-1), narrative="Calmer today.")
    visit = plan(db, actor, client, clock.text(hours=1))

    found = visits.briefing(db, visit)
    assert found is not None
    assert [r["category"] for r in found.risks] == ["visit_two_workers", "environment"]
    assert [r["category"] for r in found.restrictions] == ["visit_two_workers"]
    assert found.client["exclusion_zones"] == "Leeds city centre"
    assert found.incident is not None and "incident at the hostel" in found.incident["what"]
    assert found.visit["call_contact"] == "Duty desk 0113 496 0000"


def test_without_an_incident_contact_the_latest_high_risk_is_the_incident(db: Database, actor: Actor) -> None:
    client = make_client(db, actor)
    risk.raise_flag(db, actor, risk_values(client, severity="high", description="Threatened a neighbour"))
    assert visits.latest_incident(db, client) == {
        "when": risk.active_for_client(db, client)[0]["raised_on"],
        "what": "Threatened a neighbour",
        "source": "risk_flag",
    }
    assert visits.latest_incident(db, make_client(db, actor, given_name="Other")) is None


def test_starting_a_visit_records_the_acknowledgement_and_the_check_in_together(
    db: Database, actor: Actor, clock: Clock
) -> None:
    visit = plan(db, actor, make_client(db, actor), clock.text())
    assert not visits.briefing_acknowledged(db, visit)
    result = visits.start(db, actor, visit)
    assert {c.kind for c in result.changes} >= {"visit", "audit_event"}
    assert visits.briefing_acknowledged(db, visit)
    got = visits.get(db, visit)
    assert got is not None and got["status"] == "in_progress" and got["checked_in_at"] == clock.text()
    event = db.one("SELECT * FROM audit_events WHERE target_id = ? AND action = 'view'", (visit,))
    assert event is not None and event["reason"] == visits.BRIEFING_ACKNOWLEDGED
    assert event["author_id"] == USER_ID and event["device_id"] == DEVICE_ID


def test_escalation_steps_are_audited_entries_in_the_order_they_happened(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client = make_client(db, actor)
    visit = plan(db, actor, client, clock.text(hours=-2))
    visits.check_in(db, actor, visit, clock.text(hours=-2))
    on_call = make_actor(OTHER_USER_ID, DEVICE_ID, now=clock)
    before = outbox.pending_count(db)
    visits.record_step(db, on_call, visit, "called_buddy", occurred_at=clock.text(minutes=-10))
    visits.record_step(
        db, on_call, visit, "called_worker", occurred_at=clock.text(minutes=-20), notes="No answer"
    )
    visits.record_step(db, on_call, visit, "worker_safe")
    steps = visits.steps(db, visit)
    assert [s["step"] for s in steps] == ["called_worker", "called_buddy", "worker_safe"]
    assert steps[0]["notes"] == "No answer" and steps[0]["client_id"] == client
    assert all(s["author_id"] == OTHER_USER_ID for s in steps)
    # each step and its audit event are queued for sync
    assert outbox.pending_count(db) == before + 6
    audited = db.scalar("SELECT count(*) FROM audit_events WHERE target_kind = 'visit_escalation'")
    assert audited == 3
    with pytest.raises(ValidationError):
        visits.record_step(db, on_call, visit, "made_tea")


def test_on_call_view_lists_open_visits_overdue_first_with_steps_and_the_team_finder(
    db: Database, actor: Actor, clock: Clock
) -> None:
    directory.save_users(
        db, [{"id": USER_ID, "display_name": "Sam Worker", "role": "navigator", "team_id": TEAM_ID}]
    )
    mine = make_client(db, actor, given_name="Mine")
    theirs = make_client(db, actor, given_name="Theirs", key_worker_id=OTHER_USER_ID)
    running = plan(db, actor, mine, clock.text(minutes=-30), minutes=60)
    visits.check_in(db, actor, running, clock.text(minutes=-30))
    late = plan(db, actor, theirs, clock.text(hours=-3), minutes=60)
    visits.check_in(db, actor, late, clock.text(hours=-3))
    done = plan(db, actor, mine, clock.text(hours=-4), minutes=30)
    visits.check_out(db, actor, done)
    visits.record_step(db, actor, late, "called_worker", occurred_at=clock.text(minutes=-5))
    handover.write(
        db,
        actor,
        {
            "team_id": TEAM_ID,
            "text": "Watch Theirs tonight",
            "client_id": theirs,
            "valid_from": clock.text(hours=-1),
            "priority": "urgent",
        },
    )
    me = views.who(db, USER_ID)
    seen = views.on_call(db, me, now=clock.text())
    assert [v["id"] for v in seen.visits] == [late, running]
    assert seen.visits[0]["overdue"] and not seen.visits[1]["overdue"]
    assert [s["step"] for s in seen.visits[0]["steps"]] == ["called_worker"]
    assert seen.visits[0]["client"] == "Brennan, Theirs" and seen.visits[1]["worker"] == "Sam Worker"
    assert seen.notes[0]["client"] == "Brennan, Theirs"
    assert {(c["client"], c["mine"]) for c in seen.clients} == {
        ("Brennan, Mine", True),
        ("Brennan, Theirs", False),
    }

    summary = views.on_call_summary(db, theirs, me)
    assert summary is not None and not summary.mine
    assert [n["text"] for n in summary.notes] == ["Watch Theirs tonight"]
    assert [v["id"] for v in summary.visits] == [late]


def test_the_expected_end_counts_from_the_check_in_once_checked_in(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client = make_client(db, actor)
    late = plan(db, actor, client, clock.text(minutes=-75), minutes=60)  # started 45 minutes late
    visits.check_in(db, actor, late, clock.text(minutes=-30))
    early = plan(db, actor, client, clock.text(minutes=10), minutes=60)  # started 80 minutes early
    visits.check_in(db, actor, early, clock.text(minutes=-70))
    waiting = plan(db, actor, client, clock.text(minutes=-90), minutes=60)  # never checked in
    got = {v["id"]: v for v in visits.open_visits(db, now=clock.text())}
    assert got[late]["due_out_at"] == clock.text(minutes=30) and not got[late]["overdue"]
    assert got[early]["due_out_at"] == clock.text(minutes=-10) and got[early]["overdue"]
    assert got[waiting]["due_out_at"] == clock.text(minutes=-30) and got[waiting]["overdue"]
    assert [v["id"] for v in visits.in_progress_for(db, USER_ID, now=clock.text())] == [late, early]


def test_started_visits_stay_on_call_however_early_or_long_overdue(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client = make_client(db, actor)
    early = plan(db, actor, client, clock.text(hours=1))  # checked in before its planned start
    visits.check_in(db, actor, early, clock.text(minutes=-5))
    stale = plan(db, actor, client, clock.text(days=-3))  # overdue for three days
    visits.check_in(db, actor, stale, clock.text(days=-3))
    escalated = plan(db, actor, client, clock.text(days=-4))
    visits.check_in(db, actor, escalated, clock.text(days=-4))
    visits.escalate(db, actor, escalated, "Police asked to do a welfare check")
    planned_soon = plan(db, actor, client, clock.text(hours=2))  # not started: not yet on call
    planned_long_ago = plan(db, actor, client, clock.text(days=-3))  # never started, long gone
    due_now = plan(db, actor, client, clock.text(minutes=-5))
    finished = plan(db, actor, client, clock.text(days=-5))
    visits.check_in(db, actor, finished, clock.text(days=-5))
    visits.check_out(db, actor, finished, clock.text(days=-5, minutes=40))
    seen = [v["id"] for v in visits.open_visits(db, now=clock.text())]
    assert sorted(seen) == sorted([early, stale, escalated, due_now])
    assert planned_soon not in seen and planned_long_ago not in seen and finished not in seen
    assert [v["id"] for v in visits.open_visits(db, now=clock.text(), team_id=TEAM_ID)] == seen
    assert visits.open_visits(db, now=clock.text(), team_id="00000000-0000-4000-8000-000000000000") == []
    assert {v["id"] for v in visits.in_progress_for(db, USER_ID, now=clock.text())} == {
        early,
        stale,
        escalated,
    }


def test_extending_a_visit_moves_its_expected_end_and_answers_an_overdue_mark(
    db: Database, actor: Actor, clock: Clock
) -> None:
    visit = plan(db, actor, make_client(db, actor), clock.text(minutes=-70), minutes=60)
    visits.check_in(db, actor, visit, clock.text(minutes=-70))
    visits.update(db, actor, visit, {"status": "overdue"})  # as the central store would mark it
    before = outbox.pending_count(db)
    visits.extend(db, actor, visit, 30)
    [got] = visits.open_visits(db, now=clock.text())
    assert got["expected_minutes"] == 90 and got["status"] == "in_progress"
    assert got["due_out_at"] == clock.text(minutes=20) and not got["overdue"]
    assert outbox.pending_count(db) > before  # queued for the central store
    with pytest.raises(ValueError):
        visits.extend(db, actor, visit, 0)


def _navigator_and_on_call(db: Database) -> list[dict[str, str]]:
    """Sam, a navigator (USER_ID), and Ola, on call, in the directory held."""
    people = [
        {"id": USER_ID, "display_name": "Sam Worker", "role": "navigator", "team_id": TEAM_ID},
        {"id": OTHER_USER_ID, "display_name": "Ola On-call", "role": "on-call", "team_id": TEAM_ID},
    ]
    directory.save_users(db, people)
    return people


def test_on_call_rights_come_from_the_role_and_the_rota_held(db: Database, clock: Clock) -> None:
    now = clock.text()
    people = _navigator_and_on_call(db)
    # No rota received yet: the laptop cannot tell, so the central store decides.
    assert directory.rota(db) is None and directory.on_shift(db, USER_ID, now) is None
    assert directory.on_call_refusal(db, USER_ID, now) is None
    assert directory.on_call_refusal(db, "00000000-0000-4000-8000-00000000abcd", now) is None
    later = {"user_id": USER_ID, "starts_at": clock.text(hours=2), "ends_at": clock.text(hours=10)}
    directory.save_rota(db, [later])
    refusal = directory.on_call_refusal(db, USER_ID, now)
    assert refusal is not None and "not on the on-call rota now" in refusal
    assert directory.on_call_refusal(db, OTHER_USER_ID, now) is None  # the on-call role always
    assert directory.on_call_refusal(db, USER_ID, clock.text(hours=3)) is None  # on shift then
    assert directory.on_call_refusal(db, USER_ID, clock.text(hours=10)) is not None  # shift ended
    directory.save_users(db, [{**people[0], "role": "manager"}])
    assert directory.on_call_refusal(db, USER_ID, now) is None
    directory.save_users(db, [{**people[0], "role": "admin"}])
    assert (
        directory.on_call_refusal(db, USER_ID, clock.text(hours=3)) == "Administrators do not work on call."
    )
    me = views.who(db, OTHER_USER_ID)
    assert views.on_call(db, me, now=now).on_call_refusal is None


def test_on_call_now_is_the_role_or_a_shift_and_unknown_is_no(db: Database, clock: Clock) -> None:
    """Whether a locked laptop keeps the on-call watch (ui/flows/watch.py)."""
    now = clock.text()
    people = _navigator_and_on_call(db)
    assert not directory.on_call_now(db, USER_ID, now)  # no rota: not on call
    assert directory.on_call_now(db, OTHER_USER_ID, now)  # the on-call role always
    assert not directory.on_call_now(db, "00000000-0000-4000-8000-00000000abcd", now)
    shift = {"user_id": USER_ID, "starts_at": clock.text(hours=2), "ends_at": clock.text(hours=10)}
    directory.save_rota(db, [shift])
    assert not directory.on_call_now(db, USER_ID, now)
    assert directory.on_call_now(db, USER_ID, clock.text(hours=3))  # on shift then
    directory.save_users(db, [{**people[0], "role": "manager"}])
    assert not directory.on_call_now(db, USER_ID, now)  # a manager off shift is not on call
    assert directory.on_call_now(db, USER_ID, clock.text(hours=3))
    directory.save_users(db, [{**people[0], "role": "admin"}])
    assert not directory.on_call_now(db, USER_ID, clock.text(hours=3))
