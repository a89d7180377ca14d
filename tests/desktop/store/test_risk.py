"""Risk flags: raise, review, resolve, history and overdue reviews."""

from __future__ import annotations

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.store import audit, risk
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import USER_ID, Clock, make_client, risk_values


def test_raise_fills_who_and_when(db: Database, actor: Actor, clock: Clock) -> None:
    client_id = make_client(db, actor)
    flag_id = risk.raise_flag(db, actor, risk_values(client_id)).record_id
    flag = risk.get(db, flag_id)
    assert flag is not None
    assert (flag["status"], flag["raised_by"], flag["raised_on"]) == ("active", USER_ID, clock.text()[:10])


def test_active_flag_needs_a_review_date(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    with pytest.raises(ValidationError) as caught:
        risk.raise_flag(db, actor, risk_values(client_id, review_date=None))
    assert caught.value.errors[0].field == "review_date"


def test_review_moves_the_date_and_keeps_the_note(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    flag_id = risk.raise_flag(db, actor, risk_values(client_id)).record_id
    risk.review(
        db, actor, flag_id, review_date="2099-06-01", note="Dogs now kept in the kitchen.", severity="low"
    )
    [_created, reviewed] = risk.history(db, flag_id)
    assert reviewed.note == "Dogs now kept in the kitchen."
    assert reviewed.changes == {
        "review_date": {"old": "2099-01-01", "new": "2099-06-01"},
        "severity": {"old": "medium", "new": "low"},
    }
    events = [
        e for e in audit.for_client(db, client_id) if e["target_id"] == flag_id and e["action"] == "update"
    ]
    assert events[0]["reason"] == "Dogs now kept in the kitchen."
    with pytest.raises(ValidationError):
        risk.review(db, actor, flag_id, review_date="2000-01-01", note="in the past")
    with pytest.raises(ValidationError):
        risk.review(db, actor, flag_id, review_date="2099-07-01", note=" ")


def test_resolve_needs_a_reason_and_leaves_the_active_list(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    flag_id = risk.raise_flag(db, actor, risk_values(client_id)).record_id
    with pytest.raises(ValidationError):
        risk.resolve(db, actor, flag_id, "")
    risk.resolve(db, actor, flag_id, "Moved to a flat without dogs")
    assert risk.active_for_client(db, client_id) == []
    [flag] = risk.for_client(db, client_id)
    assert flag["status"] == "resolved" and flag["resolved_reason"] == "Moved to a flat without dogs"


def test_active_flags_most_severe_first_and_filtered_by_category(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    risk.raise_flag(db, actor, risk_values(client_id, category="substance_use", severity="high"))
    risk.raise_flag(db, actor, risk_values(client_id, category="environment", severity="low"))
    risk.raise_flag(db, actor, risk_values(client_id, category="weapons", severity="medium"))
    assert [f["category"] for f in risk.active_for_client(db, client_id)] == [
        "substance_use",
        "weapons",
        "environment",
    ]
    relevant = risk.active_for_client(db, client_id, categories=("weapons", "environment"))
    assert [f["category"] for f in relevant] == ["weapons", "environment"]
    assert risk.active_for_client(db, client_id, categories=()) == []


def test_overdue_reviews(db: Database, actor: Actor) -> None:
    client_id = make_client(db, actor)
    overdue = risk.raise_flag(db, actor, risk_values(client_id, review_date="2020-01-01")).record_id
    risk.raise_flag(db, actor, risk_values(client_id, review_date="2099-01-01"))
    [row] = risk.overdue_reviews(db, today="2025-01-01")
    assert row["id"] == overdue and row["family_name"] == "Brennan"
