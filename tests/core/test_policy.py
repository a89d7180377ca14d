"""The access policy's decisions, one rule at a time (the server's matrix test checks the wiring)."""

from __future__ import annotations

import pytest

from navigator_core.fields import new_id
from navigator_core.ops import FieldChange, Operation, OpType
from navigator_core.policy import (
    CLIENT_SUMMARY_FIELDS,
    OUT_OF_SCOPE,
    Access,
    Actor,
    ClientFacts,
    RecordFacts,
    Role,
    break_glass_access,
    break_glass_refusal,
    client_access,
    conflict_access,
    may_work_on_call,
    project,
    read_access,
    summary_fields,
    write_refusal,
)

TEAM, OTHER = new_id(), new_id()
NOW = "2026-06-01T12:00:00.000Z"
NAV, COWORKER, STRANGER, MANAGER, ADMIN = (new_id() for _ in range(5))


def actor(role: Role, user: str = STRANGER, team: str = TEAM) -> Actor:
    return Actor(user, team, role)


def client(status: str = "active", team: str = TEAM) -> ClientFacts:
    return ClientFacts(new_id(), team, status, NAV, frozenset({COWORKER}))


def record(kind: str, c: ClientFacts | None, **values: object) -> RecordFacts:
    return RecordFacts(kind, c.team_id if c else TEAM, c, values, author_id=NAV)


def op(kind: str, kind_op: OpType, author: str, **changes: object) -> Operation:
    return Operation(
        new_id(),
        kind,
        new_id(),
        kind_op,
        "0000000000001.00000.d",
        author,
        "d",
        NOW,
        changes={k: FieldChange(v, "0000000000001.00000.d") for k, v in changes.items()},
    )


@pytest.mark.parametrize("text", ["on-call", "on_call", "On call", " ON-CALL "])
def test_role_names_are_read_the_way_people_write_them(text: str) -> None:
    assert Role.parse(text) is Role.ON_CALL


def test_an_unknown_role_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="navigator, on-call, manager, admin"):
        Role.parse("superuser")


@pytest.mark.parametrize(
    ("role", "user", "status", "expected"),
    [
        (Role.NAVIGATOR, NAV, "active", Access.FULL),
        (Role.NAVIGATOR, COWORKER, "discharged", Access.FULL),
        (Role.NAVIGATOR, STRANGER, "active", Access.SUMMARY),
        (Role.NAVIGATOR, STRANGER, "referred", Access.NONE),
        (Role.ON_CALL, STRANGER, "active", Access.SUMMARY),
        (Role.MANAGER, MANAGER, "discharged", Access.FULL),
        (Role.ADMIN, ADMIN, "active", Access.NONE),
    ],
)
def test_client_access_by_role_caseload_and_status(
    role: Role, user: str, status: str, expected: Access
) -> None:
    assert client_access(actor(role, user), client(status)) is expected


@pytest.mark.parametrize("role", list(Role))
def test_nothing_of_another_team_is_in_scope(role: Role) -> None:
    c = client(team=OTHER)
    assert client_access(actor(role, NAV), c) is Access.NONE
    assert read_access(actor(role, NAV), record("contact", c), NOW) is Access.NONE


def test_the_summary_holds_active_risk_open_visits_and_current_notes_only() -> None:
    me, c = actor(Role.NAVIGATOR), client()
    assert read_access(me, record("risk_flag", c, status="active"), NOW) is Access.SUMMARY
    assert read_access(me, record("risk_flag", c, status="resolved"), NOW) is Access.NONE
    assert read_access(me, record("visit", c, status="overdue"), NOW) is Access.SUMMARY
    assert read_access(me, record("visit", c, status="completed"), NOW) is Access.NONE
    note = {"audience": "on_call", "valid_until": "2026-06-02T00:00:00.000Z"}
    assert read_access(me, record("handover_note", c, **note), NOW) is Access.SUMMARY
    expired = {**note, "valid_until": "2026-05-01T00:00:00.000Z"}
    assert read_access(me, record("handover_note", c, **expired), NOW) is Access.NONE
    for kind in ("contact", "support_goal", "outcome", "safeguarding_concern"):
        assert read_access(me, record(kind, c), NOW) is Access.NONE


def test_a_deleted_summary_record_still_reaches_summary_readers_as_a_tombstone() -> None:
    facts = RecordFacts("risk_flag", TEAM, client(), {"status": "resolved"}, NAV, deleted=True)
    assert read_access(actor(Role.ON_CALL), facts, NOW) is Access.SUMMARY


def test_a_note_for_a_named_worker_is_theirs_its_authors_and_the_managers() -> None:
    note = RecordFacts("handover_note", TEAM, None, {"audience": "worker", "for_user_id": COWORKER}, NAV)
    assert read_access(actor(Role.NAVIGATOR, COWORKER), note, NOW) is Access.FULL
    assert read_access(actor(Role.NAVIGATOR, NAV), note, NOW) is Access.FULL
    assert read_access(actor(Role.MANAGER, MANAGER), note, NOW) is Access.FULL
    assert read_access(actor(Role.NAVIGATOR, STRANGER), note, NOW) is Access.NONE


def test_audit_events_are_for_their_author_and_managers() -> None:
    event = record("audit_event", client())
    assert read_access(actor(Role.NAVIGATOR, NAV), event, NOW) is Access.FULL
    assert read_access(actor(Role.NAVIGATOR, COWORKER), event, NOW) is Access.NONE
    assert read_access(actor(Role.MANAGER, MANAGER), event, NOW) is Access.FULL


def test_conflicts_go_only_to_full_readers() -> None:
    flag = record("risk_flag", client(), status="active")
    assert conflict_access(actor(Role.NAVIGATOR, NAV), flag, NOW) is Access.FULL
    assert conflict_access(actor(Role.ON_CALL, STRANGER), flag, NOW) is Access.NONE


def test_the_client_summary_is_a_projection() -> None:
    values = {"given_name": "A", "crisis_plan": "B", "ethnicity": "white", "referral_source": "C"}
    assert project("client", values, Access.SUMMARY) == {"given_name": "A", "crisis_plan": "B"}
    assert project("client", values, Access.FULL) == values
    assert project("client", values, Access.NONE) == {}
    assert summary_fields("contact") == frozenset()
    assert {"exclusion_zones", "conditions", "address", "crisis_plan"} <= CLIENT_SUMMARY_FIELDS


def test_writes_need_the_caseload_and_the_signed_in_author() -> None:
    c = client()
    contact = op("contact", OpType.APPEND, NAV)
    after = record("contact", c)
    assert write_refusal(actor(Role.NAVIGATOR, NAV), contact, None, after) is None
    assert write_refusal(actor(Role.NAVIGATOR, STRANGER), op("contact", OpType.APPEND, STRANGER), None, after)
    assert "author_id" in (write_refusal(actor(Role.NAVIGATOR, COWORKER), contact, None, after) or "")
    assert write_refusal(actor(Role.ADMIN, NAV), contact, None, after)


def test_only_a_manager_changes_who_works_with_a_client() -> None:
    c = client()
    before = RecordFacts("client", TEAM, c, {"key_worker_id": NAV, "team_id": TEAM}, NAV)
    change = op("client", OpType.UPDATE, NAV, key_worker_id=COWORKER)
    assert write_refusal(actor(Role.NAVIGATOR, NAV), change, before, before) is not None
    by_manager = op("client", OpType.UPDATE, MANAGER, key_worker_id=COWORKER)
    assert write_refusal(actor(Role.MANAGER, MANAGER), by_manager, before, before) is None
    same = op("client", OpType.UPDATE, NAV, key_worker_id=NAV, phone="1")
    assert write_refusal(actor(Role.NAVIGATOR, NAV), same, before, before) is None


def test_a_new_client_must_land_on_the_creators_caseload() -> None:
    mine = RecordFacts("client", TEAM, ClientFacts(new_id(), TEAM, "referred", NAV), {"team_id": TEAM}, NAV)
    assert write_refusal(actor(Role.NAVIGATOR, NAV), op("client", OpType.CREATE, NAV), None, mine) is None
    assert write_refusal(actor(Role.NAVIGATOR, COWORKER), op("client", OpType.CREATE, COWORKER), None, mine)


def test_on_call_may_escalate_an_open_visit_outside_the_caseload_and_nothing_more() -> None:
    c = client()
    visit = RecordFacts("visit", TEAM, c, {"status": "overdue"}, NAV)
    escalate = op("visit", OpType.UPDATE, STRANGER, status="escalated", overrun_action="Rang the police.")
    assert write_refusal(actor(Role.ON_CALL), escalate, visit, visit) is None
    assert write_refusal(actor(Role.NAVIGATOR), escalate, visit, visit) is not None
    move = op("visit", OpType.UPDATE, STRANGER, place="Elsewhere")
    assert write_refusal(actor(Role.ON_CALL), move, visit, visit) is not None


def test_break_glass_needs_a_reason_and_the_same_team() -> None:
    me = actor(Role.ON_CALL)
    assert break_glass_refusal(me, client(), "Police welfare check tonight") is None
    assert break_glass_refusal(me, client(), "because") is not None
    assert break_glass_refusal(me, client(team=OTHER), "Police welfare check tonight") is not None
    assert break_glass_refusal(actor(Role.ADMIN), client(), "Police welfare check tonight") is not None


def test_break_glass_shows_the_record_but_not_other_peoples_audit_trail_or_named_notes() -> None:
    reader = actor(Role.ON_CALL, STRANGER)
    c = client()
    assert break_glass_access(reader, record("contact", c)) is Access.FULL
    assert break_glass_access(reader, record("risk_flag", c, status="resolved")) is Access.FULL
    assert break_glass_access(reader, record("audit_event", c)) is Access.NONE
    named = record("handover_note", c, audience="worker", for_user_id=COWORKER)
    assert break_glass_access(reader, named) is Access.NONE
    assert break_glass_access(actor(Role.NAVIGATOR, COWORKER), named) is Access.FULL
    assert break_glass_access(actor(Role.MANAGER, MANAGER), record("audit_event", c)) is Access.FULL
    assert break_glass_access(reader, record("handover_note", c, audience="on_call")) is Access.FULL


def on_shift(user: str = STRANGER) -> Actor:
    return Actor(user, TEAM, Role.NAVIGATOR, on_rota=True)


def test_on_call_rights_are_the_role_managers_and_a_navigator_on_shift() -> None:
    assert may_work_on_call(actor(Role.ON_CALL))
    assert may_work_on_call(actor(Role.MANAGER))
    assert may_work_on_call(on_shift())
    assert not may_work_on_call(actor(Role.NAVIGATOR))
    assert not may_work_on_call(Actor(ADMIN, TEAM, Role.ADMIN, on_rota=True))


def test_break_glass_is_refused_to_a_navigator_off_the_rota_with_a_reason_that_says_so() -> None:
    reason = "Police welfare check tonight"
    refusal = break_glass_refusal(actor(Role.NAVIGATOR), client(), reason)
    assert refusal is not None and "on-call" in refusal
    assert break_glass_refusal(on_shift(), client(), reason) is None
    assert break_glass_refusal(actor(Role.MANAGER, MANAGER), client(), reason) is None
    # One's own client needs no on-call rights (the record is on the laptop already), only a reason.
    assert break_glass_refusal(actor(Role.NAVIGATOR, NAV), client(), reason) is None
    no_reason = break_glass_refusal(actor(Role.ON_CALL), client(), "   ")
    assert no_reason is not None and "why" in no_reason


def test_anyone_in_the_team_may_append_an_escalation_step_but_not_outside_it() -> None:
    c = client()
    step = op("visit_escalation", OpType.APPEND, STRANGER)
    after = record("visit_escalation", c, visit_id=new_id(), step="called_worker")
    for who in (actor(Role.NAVIGATOR), actor(Role.ON_CALL), actor(Role.MANAGER, STRANGER)):
        assert write_refusal(who, step, None, after) is None
    elsewhere = record("visit_escalation", client(team=OTHER), visit_id=new_id(), step="called_worker")
    assert write_refusal(actor(Role.ON_CALL), step, None, elsewhere) == OUT_OF_SCOPE
    assert write_refusal(actor(Role.ADMIN), step, None, after) is not None
    inactive = record("visit_escalation", client(status="discharged"), visit_id=new_id(), step="other")
    assert write_refusal(actor(Role.ON_CALL), step, None, inactive) == OUT_OF_SCOPE


def test_escalation_steps_reach_summary_readers_of_the_client() -> None:
    c = client()
    entry = record("visit_escalation", c, step="called_buddy")
    assert read_access(actor(Role.NAVIGATOR), entry, NOW) is Access.SUMMARY
    assert read_access(actor(Role.NAVIGATOR, NAV), entry, NOW) is Access.FULL
    assert (
        read_access(actor(Role.NAVIGATOR), record("visit_escalation", client(team=OTHER)), NOW) is Access.NONE
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (Actor(STRANGER, TEAM, Role.ON_CALL), True),
        (Actor(STRANGER, TEAM, Role.NAVIGATOR, on_rota=True), True),
        (Actor(STRANGER, TEAM, Role.NAVIGATOR), False),
    ],
)
def test_on_call_updates_visit_status_and_overrun_action_outside_the_caseload(
    who: Actor, allowed: bool
) -> None:
    c = client()
    for status in ("planned", "in_progress", "overdue", "escalated"):
        visit = RecordFacts("visit", TEAM, c, {"status": status}, NAV)
        change = op("visit", OpType.UPDATE, STRANGER, status="escalated", overrun_action="Called the buddy.")
        assert (write_refusal(who, change, visit, visit) is None) is allowed
    closed = RecordFacts("visit", TEAM, c, {"status": "completed"}, NAV)
    reopen = op("visit", OpType.UPDATE, STRANGER, status="escalated")
    assert write_refusal(who, reopen, closed, closed) == OUT_OF_SCOPE
    moving = op("visit", OpType.UPDATE, STRANGER, status="escalated", planned_start=NOW)
    open_visit = RecordFacts("visit", TEAM, c, {"status": "overdue"}, NAV)
    assert write_refusal(who, moving, open_visit, open_visit) == OUT_OF_SCOPE
    tombstone = op("visit", OpType.DELETE, STRANGER)
    assert write_refusal(who, tombstone, open_visit, open_visit) == OUT_OF_SCOPE


def test_an_out_of_hours_contact_needs_on_call_rights_and_the_mark() -> None:
    c = client()
    contact = op("contact", OpType.APPEND, STRANGER)
    marked = record("contact", c, out_of_hours=True)
    unmarked = record("contact", c)
    assert write_refusal(actor(Role.ON_CALL), contact, None, marked) is None
    assert write_refusal(on_shift(), contact, None, marked) is None
    assert write_refusal(actor(Role.ON_CALL), contact, None, unmarked) == OUT_OF_SCOPE
    assert write_refusal(actor(Role.NAVIGATOR), contact, None, marked) == OUT_OF_SCOPE
    discharged = record("contact", client(status="discharged"), out_of_hours=True)
    assert write_refusal(actor(Role.ON_CALL), contact, None, discharged) == OUT_OF_SCOPE
    # The on-call worker reads back what they wrote, and nothing else of that client's contacts.
    mine = RecordFacts("contact", TEAM, c, {"out_of_hours": True}, author_id=STRANGER)
    assert read_access(actor(Role.ON_CALL), mine, NOW) is Access.FULL
    assert read_access(actor(Role.ON_CALL), record("contact", c), NOW) is Access.NONE


PEER = new_id()


def own_work(kind: str, c: ClientFacts | None, author: str = PEER, **values: object) -> RecordFacts:
    return RecordFacts(kind, TEAM, c, values, author_id=author)


@pytest.mark.parametrize("text", ["peer_support", "peer-support", "Peer support"])
def test_the_peer_support_role_is_read_the_way_people_write_it(text: str) -> None:
    assert Role.parse(text) is Role.PEER_SUPPORT


@pytest.mark.parametrize("kind", ["engagement", "referral", "supervision_item"])
def test_own_work_before_a_client_is_its_authors_and_the_managers(kind: str) -> None:
    before = own_work(kind, None)
    assert read_access(actor(Role.PEER_SUPPORT, PEER), before, NOW) is Access.FULL
    assert read_access(actor(Role.MANAGER, MANAGER), before, NOW) is Access.FULL
    assert read_access(actor(Role.NAVIGATOR, NAV), before, NOW) is Access.NONE
    assert read_access(actor(Role.PEER_SUPPORT, PEER, OTHER), before, NOW) is Access.NONE
    assert read_access(actor(Role.ADMIN, ADMIN), before, NOW) is Access.NONE
    # Attached to a client: also whoever reads the client in full, never an on-call summary.
    attached = own_work(kind, client())
    assert read_access(actor(Role.NAVIGATOR, NAV), attached, NOW) is Access.FULL
    assert read_access(actor(Role.ON_CALL), attached, NOW) is Access.NONE
    assert read_access(actor(Role.PEER_SUPPORT, PEER), attached, NOW) is Access.FULL


def test_a_peer_support_worker_is_scoped_like_a_navigator() -> None:
    mine = ClientFacts(new_id(), TEAM, "active", NAV, frozenset({PEER}))
    assert client_access(actor(Role.PEER_SUPPORT, PEER), mine) is Access.FULL
    assert client_access(actor(Role.PEER_SUPPORT, PEER), client()) is Access.SUMMARY
    assert client_access(actor(Role.PEER_SUPPORT, PEER), client("discharged")) is Access.NONE


def test_attaching_an_engagement_needs_the_clients_full_record_and_happens_once() -> None:
    peer = actor(Role.PEER_SUPPORT, PEER)
    mine = ClientFacts(new_id(), TEAM, "active", NAV, frozenset({PEER}))
    before = own_work("engagement", None)
    attach = op("engagement", OpType.UPDATE, PEER, client_id=mine.id)
    assert write_refusal(peer, attach, before, own_work("engagement", mine)) is None
    assert write_refusal(peer, attach, before, own_work("engagement", client())) == OUT_OF_SCOPE
    moved = write_refusal(peer, attach, own_work("engagement", client()), own_work("engagement", mine))
    assert moved == "a record cannot move to another client"
    # A navigator may not change someone else's engagement that is no client's yet.
    assert write_refusal(
        actor(Role.NAVIGATOR, NAV), op("engagement", OpType.UPDATE, NAV, notes="x"), before, before
    )


def test_a_named_supervisor_writes_only_the_discussion_and_nobody_deletes_a_concern() -> None:
    item = own_work("supervision_item", None, supervisor_id=NAV, status="open")
    supervisor = actor(Role.NAVIGATOR, NAV)
    discuss = op("supervision_item", OpType.UPDATE, NAV, status="discussed", discussion_note="Talked.")
    assert write_refusal(supervisor, discuss, item, item) is None
    assert read_access(supervisor, item, NOW) is Access.FULL
    assert write_refusal(supervisor, op("supervision_item", OpType.UPDATE, NAV, reason="x"), item, item)
    by_another = op("supervision_item", OpType.UPDATE, COWORKER, status="discussed", discussion_note="No.")
    assert write_refusal(actor(Role.NAVIGATOR, COWORKER), by_another, item, item) == OUT_OF_SCOPE
    delete = op("supervision_item", OpType.DELETE, PEER)
    assert "never deleted" in str(write_refusal(actor(Role.PEER_SUPPORT, PEER), delete, item, item))
