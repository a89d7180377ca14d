"""Retention on the laptop: a discharged client past the retention period leaves it entirely,
except while a change about them is still waiting to be sent."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from navigator_core import retention as rule
from navigator_desktop.store import (
    clients,
    contacts,
    drafts,
    handover,
    outbox,
    plans,
    records,
    retention,
    search,
    settings,
)
from navigator_desktop.store.conflicts import record as record_conflict
from tests.desktop.store.helpers import TEAM_ID, add_contact, make_client

TODAY = date(2026, 11, 23)


def _settle_outbox(db) -> None:
    for op in outbox.pending(db):
        outbox.mark_acknowledged(db, op.op_id, "2026-11-23T09:00:00.000Z")


def _client_with_everything(db, actor, clock, name: str, discharged: str | None) -> str:
    cid = make_client(db, actor, family_name=name)
    add_contact(db, actor, cid, clock.text(hours=-2), narrative=f"Zanzibar tenancy talk with {name}")
    goal = plans.add_goal(
        db, actor, {"client_id": cid, "pathway": "housing", "goal": "A flat of my own"}
    ).record_id
    plans.add_step(db, actor, goal, "View flats")
    plans.set_step_done(db, actor, goal, 0, True)
    plans.update_goal(db, actor, goal, {"status": "in_progress"})
    plans.record_outcome(db, actor, {"client_id": cid, "pathway": "housing", "outcome": "housing_secured",
                                     "achieved_on": "2026-10-01"})  # fmt: skip
    note_values = {"team_id": TEAM_ID, "client_id": cid, "text": "Zanzibar key safe code changed",
                   "valid_from": clock.text(hours=-1), "priority": "routine", "audience": "team"}  # fmt: skip
    note = handover.write(db, actor, note_values)
    handover.acknowledge(db, actor, note.record_id)
    with db.transaction():
        record_conflict(db, kind="support_goal", record_id=goal, client_id=cid, field="goal",
                        kept=("A", "s1", None), lost=("B", "s0", None), detected_at=clock.text())  # fmt: skip
    drafts.save(db, f"contact:new:{cid}", {"form": "contact", "context": {"client_id": cid}, "values": {}})
    if discharged:
        clients.update(db, actor, cid, {"status": "discharged", "service_discharge_date": discharged})
    return cid


def test_the_rule_counts_days_from_the_service_discharge_date():
    gone = {"status": "discharged", "service_discharge_date": "2026-10-24"}
    assert rule.past_retention(gone, TODAY, 30)
    assert not rule.past_retention(gone, TODAY, 31)
    assert not rule.past_retention({"status": "active", "service_discharge_date": "2020-01-01"}, TODAY, 30)
    assert not rule.past_retention({"status": "discharged"}, TODAY, 0), "no discharge date: kept"


def test_a_client_past_retention_leaves_entirely_once_their_changes_are_sent(db, actor, clock):
    old = (TODAY - timedelta(days=40)).isoformat()
    recent = (TODAY - timedelta(days=5)).isoformat()
    gone = _client_with_everything(db, actor, clock, "Gone", old)
    stays = _client_with_everything(db, actor, clock, "Stays", recent)
    active = _client_with_everything(db, actor, clock, "Active", None)
    assert {h.client_id for h in search.search(db, "Zanzibar")} == {gone, stays, active}

    # Changes about the client are still waiting to be sent: nothing about them is removed.
    first = retention.purge(db, today=TODAY, days=30)
    assert first.clients == [] and first.waiting == [gone]
    assert clients.get(db, gone) is not None and outbox.has_pending_for(db, gone)

    _settle_outbox(db)
    # A form draft about them is unsent work too: kept until it is finished or discarded.
    assert retention.purge(db, today=TODAY, days=30).waiting == [gone]
    assert clients.get(db, gone) is not None and retention.removed_count(db) == 0
    drafts.discard(db, f"contact:new:{gone}")
    second = retention.purge(db, today=TODAY, days=30)
    assert second.clients == [gone] and second.waiting == []
    assert retention.removed_count(db) == 1, "a count of the clients removed, no identities"
    assert second.records > 8
    for table, column in (("clients", "id"), ("contacts", "client_id"), ("support_goals", "client_id"),
                          ("outcomes", "client_id"), ("handover_notes", "client_id"),
                          ("audit_events", "client_id"), ("conflicts", "client_id")):  # fmt: skip
        assert db.scalar(f"SELECT count(*) FROM {table} WHERE {column} = ?", (gone,)) == 0, table
    assert db.scalar("SELECT count(*) FROM acknowledgements") == 2, (
        "only the other clients' notes' acks remain"
    )
    assert db.scalar("SELECT count(*) FROM drafts WHERE form_key LIKE ?", (f"%{gone}",)) == 0
    assert db.scalar("SELECT count(*) FROM revisions WHERE record_id = ?", (gone,)) == 0
    assert db.scalar("SELECT count(*) FROM outbox WHERE record_id = ?", (gone,)) == 0
    assert {h.client_id for h in search.search(db, "Zanzibar")} == {stays, active}
    assert search.search(db, "Gone") == []
    # The others are untouched.
    assert clients.get(db, stays) is not None and contacts.timeline(db, stays)
    assert retention.purge(db, today=TODAY, days=30).clients == []


def test_the_period_is_kept_in_the_vault_settings_with_a_default(db, actor, clock):
    assert retention.retention_days(db) == rule.DEFAULT_RETENTION_DAYS
    retention.set_retention_days(db, 7)
    assert retention.retention_days(db) == 7
    cid = make_client(
        db, actor, status="discharged", service_discharge_date=(TODAY - timedelta(days=8)).isoformat()
    )
    _settle_outbox(db)
    assert retention.purge(db, today=TODAY).clients == [cid]
    assert records.get(db, "client", cid, include_deleted=True) is None


def test_a_laptop_not_enrolled_keeps_everything(db, actor, clock):
    """A demo vault or a laptop before enrolment: no central store holds these records."""
    cid = make_client(db, actor, status="discharged", service_discharge_date="2020-01-01")
    _settle_outbox(db)
    assert retention.purge_if_enrolled(db).clients == []
    assert clients.get(db, cid) is not None
    with db.transaction():
        settings.put(db, settings.SERVER_URL, "https://navigator.example.nhs.uk")
    assert retention.purge_if_enrolled(db).clients == [cid]


def _stamp(day: date) -> str:
    wall = int(datetime.combine(day, time(12), UTC).timestamp() * 1000)
    return f"{wall:013d}.00000.device"


def test_without_a_discharge_date_the_rule_counts_from_when_the_status_became_discharged():
    stamped = {"status": "discharged", "field_stamps": {"status": _stamp(TODAY - timedelta(days=30))}}
    assert rule.discharged_on(stamped) == TODAY - timedelta(days=30)
    assert rule.past_retention(stamped, TODAY, 30) and not rule.past_retention(stamped, TODAY, 31)
    as_text = {**stamped, "field_stamps": json.dumps(stamped["field_stamps"])}
    assert rule.past_retention(as_text, TODAY, 30), "field_stamps as the stored JSON text"
    dated = {**stamped, "service_discharge_date": (TODAY - timedelta(days=2)).isoformat()}
    assert not rule.past_retention(dated, TODAY, 30), "a recorded discharge date wins"


def test_a_discharged_client_without_a_date_leaves_the_laptop(db, actor, clock):
    clock.now = datetime.combine(TODAY - timedelta(days=40), time(12), UTC)
    old = make_client(db, actor, family_name="Undated")
    clients.update(db, actor, old, {"status": "discharged"})
    clock.now = datetime.combine(TODAY - timedelta(days=3), time(12), UTC)
    recent = make_client(db, actor, family_name="Recent")
    clients.update(db, actor, recent, {"status": "discharged"})
    _settle_outbox(db)
    assert retention.purge(db, today=TODAY, days=30).clients == [old]
    assert clients.get(db, recent) is not None
