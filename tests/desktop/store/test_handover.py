"""Handover notes: what is current, what each person has not yet read, and acknowledging."""

from __future__ import annotations

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.store import handover
from navigator_desktop.store.context import Actor, make_actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import DEVICE_ID, OTHER_USER_ID, TEAM_ID, USER_ID, Clock, count, make_client


def note(db: Database, actor: Actor, text: str, **values: object) -> str:
    return handover.write(db, actor, {"team_id": TEAM_ID, "text": text, **values}).record_id


def ids(notes: list[dict[str, object]]) -> list[object]:
    return [n["id"] for n in notes]


def test_current_notes_are_those_valid_now(db: Database, actor: Actor, clock: Clock) -> None:
    now = clock.text()
    live = note(db, actor, "Live", valid_from=clock.text(hours=-2), valid_until=clock.text(hours=2))
    note(db, actor, "Ended", valid_from=clock.text(hours=-5), valid_until=clock.text(hours=-1))
    note(db, actor, "Not yet", valid_from=clock.text(hours=1))
    open_ended = note(db, actor, "Open-ended, recent", valid_from=clock.text(days=-6))
    note(db, actor, "Open-ended, stale", valid_from=clock.text(days=-8))
    note(db, actor, "Other team", team_id="88888888-8888-4888-8888-888888888888")
    assert set(ids(handover.current(db, team_id=TEAM_ID, user_id=USER_ID, now=now))) == {live, open_ended}


def test_unread_first_then_urgent_then_newest(db: Database, actor: Actor, clock: Clock) -> None:
    old_routine = note(db, actor, "old routine", valid_from=clock.text(hours=-3))
    new_routine = note(db, actor, "new routine", valid_from=clock.text(hours=-1))
    urgent = note(db, actor, "urgent", valid_from=clock.text(hours=-2), priority="urgent")
    handover.acknowledge(db, actor, new_routine)
    notes = handover.current(db, team_id=TEAM_ID, user_id=USER_ID, now=clock.text())
    assert ids(notes) == [urgent, old_routine, new_routine]
    assert [n["read"] for n in notes] == [False, False, True]
    assert handover.unread_count(db, team_id=TEAM_ID, user_id=USER_ID, now=clock.text()) == 2


def test_acknowledging_is_recorded_once_per_person(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    note_id = note(db, actor, "Call the hostel", client_id=client_id, valid_from=clock.text(hours=-1))
    first = handover.acknowledge(db, actor, note_id)
    assert first.changed and client_id in first.client_ids()
    assert not handover.acknowledge(db, actor, note_id).changed
    other = make_actor(OTHER_USER_ID, DEVICE_ID, now=clock)
    handover.acknowledge(db, other, note_id)
    assert [a["author_id"] for a in handover.acknowledgements(db, note_id)] == [USER_ID, OTHER_USER_ID]
    assert count(db, "acknowledgements") == 2
    assert handover.is_acknowledged(db, note_id, OTHER_USER_ID)


def test_notes_for_a_named_worker_show_only_to_them(db: Database, actor: Actor, clock: Clock) -> None:
    for_other = note(
        db, actor, "For Sam", audience="worker", for_user_id=OTHER_USER_ID, valid_from=clock.text(hours=-1)
    )
    assert ids(handover.current(db, team_id=TEAM_ID, user_id=USER_ID, now=clock.text())) == []
    assert ids(handover.current(db, team_id=TEAM_ID, user_id=OTHER_USER_ID, now=clock.text())) == [for_other]
    with pytest.raises(ValidationError):
        note(db, actor, "For whom?", audience="worker")


def test_amended_and_mistaken_notes_leave_the_current_list(db: Database, actor: Actor, clock: Clock) -> None:
    wrong = note(db, actor, "Wrong", valid_from=clock.text(hours=-1))
    typo = note(db, actor, "Tpyo", valid_from=clock.text(hours=-1))
    handover.mark_entered_in_error(db, actor, wrong, "Meant for another team")
    fixed = handover.amend(db, actor, typo, {"text": "Typo"}, "Spelling").record_id
    assert ids(handover.current(db, team_id=TEAM_ID, user_id=USER_ID, now=clock.text())) == [fixed]


def test_current_notes_about_one_client(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    about = note(db, actor, "About them", client_id=client_id, valid_from=clock.text(hours=-1))
    note(db, actor, "Team-wide", valid_from=clock.text(hours=-1))
    notes = handover.current(db, team_id=TEAM_ID, user_id=USER_ID, now=clock.text(), client_id=client_id)
    assert ids(notes) == [about]
