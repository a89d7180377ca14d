"""The write engine: one transaction per write holding the record, its audit event and its
outbox operation; field stamps on mutable records; amendments and error marks on entries."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from navigator_core.fields import ValidationError
from navigator_core.hlc import Stamp
from navigator_core.ops import Operation, OpType
from navigator_desktop.store import contacts, outbox, records, risk
from navigator_desktop.store.changes import Action
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import (
    USER_ID,
    Clock,
    add_contact,
    client_values,
    count_indexed,
    make_client,
    risk_values,
    row_counts,
)


def wire_ops(db: Database) -> list[Operation]:
    """Every queued operation, parsed back the way the central store will parse it."""
    return [Operation.from_wire(p.wire) for p in outbox.pending(db)]


def ops_for(db: Database, kind: str) -> list[Operation]:
    return [op for op in wire_ops(db) if op.kind == kind]


def test_create_stamps_every_field_and_queues_a_create(db: Database, actor: Actor) -> None:
    result = records.create(db, actor, "client", client_values())
    record = records.get(db, "client", result.record_id)
    assert record is not None
    assert record["given_name"] == "Aoife"
    assert record["created_by"] == USER_ID and record["deleted"] is False
    stamps = record["field_stamps"]
    assert set(stamps) == set(client_values())
    assert len(set(stamps.values())) == 1
    [op] = ops_for(db, "client")
    assert op.op is OpType.CREATE and op.record_id == result.record_id
    assert {k: c.value for k, c in op.changes.items()} == client_values()
    assert all(c.base == "" and c.stamp == stamps[k] for k, c in op.changes.items())
    [audit] = ops_for(db, "audit_event")
    assert audit.entry["action"] == "create" and audit.entry["target_id"] == result.record_id
    assert [c.action for c in result.changes] == [Action.CREATE, Action.APPEND]
    assert result.changes[0].client_id == result.record_id


def test_update_stamps_only_changed_fields_with_the_previous_stamp_as_base(
    db: Database, actor: Actor
) -> None:
    client_id = make_client(db, actor)
    before = records.get(db, "client", client_id)
    assert before is not None
    result = records.update(db, actor, "client", client_id, {"given_name": "Aoife", "phone": "07700 900123"})
    after = records.get(db, "client", client_id)
    assert after is not None
    assert after["phone"] == "07700 900123"
    assert after["field_stamps"]["given_name"] == before["field_stamps"]["given_name"]
    assert Stamp.parse(after["field_stamps"]["phone"]) > Stamp.parse(before["field_stamps"]["given_name"])
    [op] = [o for o in ops_for(db, "client") if o.op is OpType.UPDATE]
    assert set(op.changes) == {"phone"}
    assert op.changes["phone"].base == ""
    records.update(db, actor, "client", client_id, {"phone": "07700 900999"})
    last = [o for o in ops_for(db, "client") if o.op is OpType.UPDATE][-1]
    assert last.changes["phone"].base == after["field_stamps"]["phone"]
    assert result.changes[0].action is Action.UPDATE


def test_update_to_the_same_values_writes_nothing(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    before = row_counts(db)
    result = records.update(db, actor, "client", client_id, {"given_name": "Aoife", "status": "active"})
    assert not result.changed
    assert row_counts(db) == before


def test_update_keeps_a_revision_with_old_and_new_values(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    flag = risk.raise_flag(db, actor, risk_values(client_id)).record_id
    risk.update(db, actor, flag, {"severity": "high"})
    history = risk.history(db, flag)
    assert [h.action for h in history] == ["create", "update"]
    assert history[1].changes == {"severity": {"old": "medium", "new": "high"}}
    assert history[1].author_id == USER_ID


def test_delete_is_a_tombstone_that_syncs(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    result = records.delete(db, actor, "client", client_id)
    assert records.get(db, "client", client_id) is None
    kept = records.get(db, "client", client_id, include_deleted=True)
    assert kept is not None and kept["deleted"] is True
    assert ops_for(db, "client")[-1].op is OpType.DELETE
    assert result.changes[0].action is Action.DELETE
    with pytest.raises(records.RecordNotFoundError):
        records.update(db, actor, "client", client_id, {"phone": "1"})


def test_clock_stamps_increase_and_the_last_is_saved_with_the_write(db: Database, actor: Actor) -> None:
    from navigator_desktop.store import settings

    make_client(db, actor)
    first = settings.get(db, settings.CLOCK_LAST)
    make_client(db, actor, given_name="Bo")
    second = settings.get(db, settings.CLOCK_LAST)
    assert first is not None and second is not None
    assert Stamp.parse(second) > Stamp.parse(first)
    stamps = [op.stamp for op in wire_ops(db)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_append_then_amend_keeps_the_original(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    original = add_contact(db, actor, client_id, clock.text(hours=-1))
    result = contacts.amend(db, actor, original, {"narrative": "Corrected: met at the café."}, "Wrong place")
    [shown] = contacts.timeline(db, client_id)
    assert shown["id"] == result.record_id and shown["amended"] is True
    assert shown["narrative"] == "Corrected: met at the café." and shown["amend_reason"] == "Wrong place"
    kept = contacts.get(db, original)
    assert kept is not None and kept["narrative"].startswith("Talked about")
    chain = contacts.versions(db, original)
    assert [v["id"] for v in chain] == [original, result.record_id]
    assert [v["state"] for v in chain] == ["superseded", "current"]
    [op] = [o for o in ops_for(db, "contact") if o.record_id == result.record_id]
    assert op.op is OpType.APPEND and op.entry["amends_id"] == original


def test_amend_needs_a_reason(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    original = add_contact(db, actor, client_id, clock.text(hours=-1))
    before = row_counts(db)
    with pytest.raises(ValidationError):
        contacts.amend(db, actor, original, {"narrative": "x"}, "  ")
    assert row_counts(db) == before


def test_entered_in_error_is_hidden_from_timeline_but_kept_in_history(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client_id = make_client(db, actor)
    kept = add_contact(db, actor, client_id, clock.text(hours=-2))
    wrong = add_contact(db, actor, client_id, clock.text(hours=-1), narrative="Wrong client's visit")
    result = contacts.mark_entered_in_error(db, actor, wrong, "Recorded against the wrong client")
    assert [c["id"] for c in contacts.timeline(db, client_id)] == [kept]
    history = {c["id"]: c for c in contacts.history(db, client_id)}
    assert history[wrong]["state"] == "entered_in_error"
    assert history[wrong]["error_reason"] == "Recorded against the wrong client"
    assert history[kept]["state"] == "current"
    assert Action.ENTERED_IN_ERROR in [c.action for c in result.changes]
    [mark] = ops_for(db, "entered_in_error")
    assert mark.entry["target_id"] == wrong
    again = contacts.mark_entered_in_error(db, actor, wrong, "twice")
    assert not again.changed


def test_late_entry_is_marked_when_written_next_day(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    occurred = clock.text(hours=-2)
    on_time = add_contact(db, actor, client_id, occurred)
    clock.advance(days=1)
    late = add_contact(db, actor, client_id, occurred, narrative="Written up the next day.")
    shown = {c["id"]: c for c in contacts.timeline(db, client_id)}
    assert shown[on_time]["late_entry"] is False
    assert shown[late]["late_entry"] is True
    assert shown[late]["occurred_at"] == occurred
    assert shown[late]["recorded_at"] == clock.text()


def test_invalid_write_leaves_nothing(db: Database, actor: Actor) -> None:
    before = row_counts(db)
    with pytest.raises(ValidationError):
        records.create(db, actor, "client", client_values(date_of_birth="yesterday"))
    with pytest.raises(ValidationError):
        risk.raise_flag(db, actor, risk_values("not-a-client-id"))
    assert row_counts(db) == before


def test_a_failure_after_the_record_insert_leaves_no_record_audit_or_outbox(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client_id = make_client(db, actor)
    before = row_counts(db)
    # Make the audit insert (which comes after the record and its outbox entry) fail.
    db.execute(
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    with pytest.raises(Exception, match="boom"):
        add_contact(db, actor, client_id, clock.text(hours=-1))
    with pytest.raises(Exception, match="boom"):
        records.update(db, actor, "client", client_id, {"phone": "0113 496 0000"})
    assert row_counts(db) == before
    assert count_indexed(db, "search_text") == 0
    record = records.get(db, "client", client_id)
    assert record is not None and record["phone"] is None


def test_append_only_kinds_refuse_updates_and_mutable_kinds_refuse_appends(
    db: Database, actor: Actor
) -> None:
    with pytest.raises(ValueError, match="append-only"):
        records.update(db, actor, "contact", "x", {})
    with pytest.raises(ValueError, match="mutable"):
        records.append(db, actor, "client", {})


def test_every_queued_operation_round_trips_through_the_wire_format(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client_id = make_client(db, actor)
    contact = add_contact(db, actor, client_id, clock.text(hours=-3))
    contacts.amend(db, actor, contact, {"duration_minutes": 45}, "Forgot the duration")
    flag = risk.raise_flag(db, actor, risk_values(client_id)).record_id
    risk.resolve(db, actor, flag, "Dogs rehomed")
    records.delete(db, actor, "risk_flag", flag)
    for pending in outbox.pending(db):
        op = Operation.from_wire(orjson.loads(orjson.dumps(pending.wire)))
        assert op.to_wire() == pending.wire
        assert op.op_id == pending.op_id


def _client_update_sequences() -> Any:
    from hypothesis import strategies as st

    field_values = st.fixed_dictionaries(
        {},
        optional={
            "given_name": st.sampled_from(["Aoife", "Bo", "Chidi"]),
            "phone": st.sampled_from(["", "0113 496 0000", "07700 900123"]),
            "status": st.sampled_from(["referred", "active", "discharged"]),
            "interpreter_needed": st.booleans(),
            "co_worker_ids": st.lists(st.sampled_from([USER_ID]), max_size=1),
        },
    )
    return st.lists(field_values, max_size=6)


def test_updates_end_at_the_last_values_written_with_one_op_per_effective_change(plain_db: Database) -> None:
    from hypothesis import HealthCheck, given, settings

    from navigator_desktop.store.context import make_actor
    from tests.desktop.store.helpers import DEVICE_ID

    actor = make_actor(USER_ID, DEVICE_ID)
    db = plain_db

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_client_update_sequences())
    def run(sequence: list[dict[str, Any]]) -> None:
        client_id = make_client(db, actor)
        expected = records.get(db, "client", client_id)
        assert expected is not None
        ops_before = len([o for o in ops_for(db, "client") if o.record_id == client_id])
        effective_changes = 0
        for values in sequence:
            normalised = records.normalise(values)
            changed = {k for k, v in normalised.items() if expected.get(k) != v}
            effective_changes += bool(changed)
            result = records.update(db, actor, "client", client_id, values)
            assert result.changed == bool(changed)
            expected.update(normalised)
        final = records.get(db, "client", client_id)
        assert final is not None
        assert {k: final[k] for k in client_values()} == {k: expected[k] for k in client_values()}
        for name in ("phone", "interpreter_needed", "co_worker_ids"):
            assert final[name] == expected.get(name)
        updates = [o for o in ops_for(db, "client") if o.record_id == client_id]
        assert len(updates) - ops_before == effective_changes

    run()
