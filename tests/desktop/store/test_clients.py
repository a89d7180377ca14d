"""The caseload list and the client profile."""

from __future__ import annotations

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.store import clients, contacts, records, risk, visits
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import (
    OTHER_USER_ID,
    TEAM_ID,
    USER_ID,
    Clock,
    add_contact,
    client_values,
    make_client,
    risk_values,
)


def test_caseload_summary_values(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor, plan_review_date="2099-06-01", cpa_review_date="2099-03-01")
    risk.raise_flag(db, actor, risk_values(client_id, severity="low", category="substance_use"))
    risk.raise_flag(
        db, actor, risk_values(client_id, severity="high", category="weapons", review_date="2099-02-01")
    )
    resolved = risk.raise_flag(
        db, actor, risk_values(client_id, severity="high", category="fire_setting")
    ).record_id
    risk.resolve(db, actor, resolved, "No longer a concern")
    latest = clock.text(hours=-1)
    add_contact(db, actor, client_id, clock.text(hours=-5))
    add_contact(db, actor, client_id, latest)
    add_contact(db, actor, client_id, clock.text(minutes=-10), contact_type="did_not_attend")
    in_error = add_contact(db, actor, client_id, clock.text(minutes=-5))
    contacts.mark_entered_in_error(db, actor, in_error, "wrong client")
    now = clock.text()
    visits.plan(
        db,
        actor,
        {
            "client_id": client_id,
            "place": "Home",
            "planned_start": clock.text(days=2),
            "expected_minutes": 60,
        },
    )
    visits.plan(
        db,
        actor,
        {
            "client_id": client_id,
            "place": "Café",
            "planned_start": clock.text(days=1),
            "expected_minutes": 30,
        },
    )

    [row] = clients.caseload(db, now=now)
    assert row.client_id == client_id
    assert row.name == "Brennan, Aoife"
    assert row.risk_count == 2
    assert row.risk_level == "high"
    assert row.risk_categories == ("weapons", "substance_use")
    assert row.last_contact == latest
    assert row.next_visit == clock.text(days=1)
    assert row.review_due == "2099-01-01"  # the substance-use flag's review date, the earliest


def test_caseload_without_risks_contacts_or_visits(db: Database, actor: Actor) -> None:
    make_client(db, actor)
    [row] = clients.caseload(db)
    assert (row.risk_count, row.risk_level, row.risk_categories) == (0, "", ())
    assert row.last_contact is None and row.next_visit is None and row.review_due is None


def test_caseload_filters_by_worker_team_and_status(db: Database, actor: Actor) -> None:
    mine = make_client(db, actor)
    co_worked = make_client(db, actor, given_name="Co", key_worker_id=OTHER_USER_ID, co_worker_ids=[USER_ID])
    make_client(db, actor, given_name="Other", key_worker_id=OTHER_USER_ID)
    make_client(
        db,
        actor,
        given_name="Elsewhere",
        key_worker_id=OTHER_USER_ID,
        team_id="88888888-8888-4888-8888-888888888888",
    )
    left = make_client(db, actor, given_name="Left", status="discharged")
    assert {r.client_id for r in clients.caseload(db, worker_id=USER_ID)} == {mine, co_worked}
    assert len(clients.caseload(db, team_id=TEAM_ID)) == 3
    assert left not in {r.client_id for r in clients.caseload(db)}
    assert clients.caseload_row(db, left) is not None


def test_caseload_hides_deleted_clients(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    records.delete(db, actor, "client", client_id)
    assert clients.caseload(db) == []


def test_preferred_name_shows_in_the_row_name(db: Database, actor: Actor) -> None:
    make_client(db, actor, given_name="Robert", preferred_name="Bobby")
    [row] = clients.caseload(db)
    assert row.name == "Brennan, Robert (Bobby)"


def test_create_validates(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        clients.create(db, actor, client_values(nhs_number="1234567890", status="lost"))
    assert {e.field for e in caught.value.errors} == {"nhs_number", "status"}
    assert clients.caseload(db) == []


def test_get_and_update(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    result = clients.update(
        db, actor, client_id, {"preferred_name": "Eef", "key_contacts": [{"name": "Mam"}]}
    )
    assert result.client_ids() == {client_id}
    got = clients.get(db, client_id)
    assert got is not None and got["preferred_name"] == "Eef" and got["key_contacts"] == [{"name": "Mam"}]
