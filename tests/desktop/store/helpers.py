"""Builders shared by the store tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from navigator_core import timeutil
from navigator_desktop.store import clients, contacts, directory
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.search.index import index_of

TEST_KEY_HEX = "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe"
USER_ID = "11111111-1111-4111-8111-111111111111"
OTHER_USER_ID = "22222222-2222-4222-8222-222222222222"
DEVICE_ID = "dddddddd-dddd-4ddd-8ddd-dddddddddddd"
TEAM_ID = "77777777-7777-4777-8777-777777777777"


class Clock:
    """A wall clock the test moves by hand; starts at the real time so "not in the future"
    checks in navigator_core (which use the real time) agree with it."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def text(self, **delta: float) -> str:
        return timeutil.to_text(self.now + timedelta(**delta))


def client_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "given_name": "Aoife",
        "family_name": "Brennan",
        "date_of_birth": "1984-03-02",
        "team_id": TEAM_ID,
        "key_worker_id": USER_ID,
        "status": "active",
    }
    values.update(overrides)
    return values


def make_client(db: Database, actor: Actor, **overrides: Any) -> str:
    return clients.create(db, actor, client_values(**overrides)).record_id


def contact_values(client_id: str, occurred_at: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "client_id": client_id,
        "occurred_at": occurred_at,
        "contact_type": "home_visit",
        "narrative": "Talked about the housing application and the week ahead.",
        "pathways": ["housing"],
    }
    values.update(overrides)
    return values


def add_contact(db: Database, actor: Actor, client_id: str, occurred_at: str, **overrides: Any) -> str:
    return contacts.add(db, actor, contact_values(client_id, occurred_at, **overrides)).record_id


def risk_values(client_id: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "client_id": client_id,
        "category": "environment",
        "severity": "medium",
        "description": "Two large dogs at the property; ask for them to be shut away.",
        "review_date": "2099-01-01",
    }
    values.update(overrides)
    return values


def count(db: Database, table: str) -> int:
    return int(db.scalar(f"SELECT count(*) FROM {table}"))


def count_indexed(db: Database, table: str) -> int:
    """Rows of a table in the search index's own database (store/search/index.py)."""
    return int(index_of(db).conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def row_counts(db: Database) -> dict[str, int]:
    tables = ["outbox", "revisions", "audit_events", "clients", "contacts", "risk_flags", "entered_in_errors"]
    return {t: count(db, t) for t in tables}


def pulled_record(
    kind: str, record_id: str, values: dict[str, Any], stamp: str, seq: int = 1
) -> dict[str, Any]:
    """A mutable record as a page of changes from the central store carries it, held in full."""
    return {
        "seq": seq,
        "kind": kind,
        "id": record_id,
        "access": "full",
        "deleted": False,
        "data": values,
        "field_stamps": dict.fromkeys(values, stamp),
        "meta": {
            "created_by": USER_ID,
            "created_at": "2026-01-01T00:00:00.000Z",
            "updated_by": USER_ID,
            "updated_at": "2026-01-01T00:00:00.000Z",
        },
    }


def pulled_contact(client_id: str, narrative: str, seq: int = 1) -> dict[str, Any]:
    """A contact as a page of changes from the central store carries it, with a new id."""
    return {
        "seq": seq,
        "kind": "contact",
        "id": str(uuid.uuid4()),
        "access": "full",
        "deleted": False,
        "data": {
            "client_id": client_id,
            "occurred_at": "2026-01-02T10:00:00.000Z",
            "contact_type": "home_visit",
            "narrative": narrative,
        },
        "field_stamps": {},
        "meta": {
            "author_id": USER_ID,
            "device_id": DEVICE_ID,
            "recorded_at": "2026-01-02T11:00:00.000Z",
            "amends_id": None,
            "amend_reason": None,
        },
    }


def engagement_values(team_id: str = TEAM_ID, **overrides: Any) -> dict[str, Any]:
    """A person met in police custody, consent asked and given, as a peer support worker records it."""
    values: dict[str, Any] = {
        "team_id": team_id,
        "person": "Man in his 30s, first time in custody",
        "setting": "police_custody",
        "consent_asked": True,
        "consent_answer": "given",
        "needs": ["housing", "mental_health"],
        "offered": "Our number; the housing options team's drop-in.",
    }
    values.update(overrides)
    return values


def referral_values(agency_id: str, team_id: str = TEAM_ID, **overrides: Any) -> dict[str, Any]:
    """A referral made (for a client or an engagement: the caller says which)."""
    values: dict[str, Any] = {
        "team_id": team_id,
        "agency_id": agency_id,
        "pathway": "housing",
        "what_for": "Move-on flat",
        "status": "referral_made",
    }
    values.update(overrides)
    return values


MANAGER_ID = "33333333-3333-4333-8333-333333333333"
# A team with a peer support worker (USER_ID), a navigator and their manager.
PEER_TEAM = (
    (USER_ID, "Pat Peer", "peer-support"),
    (OTHER_USER_ID, "Nina Navigator", "navigator"),
    (MANAGER_ID, "Mo Manager", "manager"),
)


def save_people(db: Database, people: tuple[tuple[str, str, str], ...] = PEER_TEAM) -> None:
    """The team "North" and its people, (id, display name, role) each, in the directory."""
    directory.save_team(db, TEAM_ID, "North")
    directory.save_users(
        db, [{"id": i, "display_name": n, "role": r, "team_id": TEAM_ID} for i, n, r in people]
    )
