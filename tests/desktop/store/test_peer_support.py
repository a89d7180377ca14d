"""Referrals and signposts, engagements before a caseload, concerns for supervision and the
agencies directory's search, on the laptop's store."""

from __future__ import annotations

from datetime import date

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.documents import exports
from navigator_desktop.store import (
    agencies,
    engagements,
    outbox,
    referrals,
    safeguarding,
    supervision,
)
from navigator_desktop.store.context import Actor, make_actor
from navigator_desktop.store.db import Database
from tests.desktop.store.helpers import (
    DEVICE_ID,
    OTHER_USER_ID,
    TEAM_ID,
    USER_ID,
    Clock,
    engagement_values,
    make_client,
    referral_values,
)


def _agency(db: Database, actor: Actor, name: str = "Leeds Housing Options", **more: object) -> str:
    values = {"team_id": TEAM_ID, "name": name, "agency_type": "housing", "pathways": ["housing"], **more}
    return agencies.add(db, actor, values).record_id


def _referral(db: Database, actor: Actor, agency_id: str, **more: object) -> str:
    return referrals.make(db, actor, referral_values(agency_id, **more)).record_id


def _engagement(db: Database, actor: Actor, **more: object) -> str:
    return engagements.record(db, actor, engagement_values(**more)).record_id


def test_a_referral_is_made_today_by_its_writer_and_moves_on_with_a_date_per_step(
    db: Database, actor: Actor, clock: Clock
) -> None:
    client = make_client(db, actor)
    referral_id = _referral(db, actor, _agency(db, actor), client_id=client)
    made = referrals.get(db, referral_id)
    assert made is not None and made["made_by"] == USER_ID
    assert made["made_on"] == made["referred_on"]
    clock.advance(days=1)
    referrals.set_status(db, actor, referral_id, "accepted")
    clock.advance(days=1)
    referrals.set_status(db, actor, referral_id, "outcome_recorded", outcome="Tenancy signed.")
    now = referrals.get(db, referral_id)
    assert now is not None and now["status"] == "outcome_recorded" and now["outcome"] == "Tenancy signed."
    assert now["referred_on"] < now["accepted_on"] < now["outcome_on"]
    steps = [
        r["changes"].get("status", {}).get("new") for r in referrals.history(db, "referral", referral_id)
    ]
    assert steps == ["referral_made", "accepted", "outcome_recorded"]
    [listed] = referrals.for_client(db, client)
    assert listed["agency_name"] == "Leeds Housing Options"
    assert [p.kind for p in outbox.pending(db)].count("referral") == 3


def test_a_referral_needs_a_person_and_a_date_for_its_status(db: Database, actor: Actor) -> None:
    agency = _agency(db, actor)
    with pytest.raises(ValidationError) as no_one:
        _referral(db, actor, agency)
    assert "client_id" in {e.field for e in no_one.value.errors}
    client = make_client(db, actor)
    referral_id = _referral(db, actor, agency, client_id=client)
    with pytest.raises(ValidationError) as undated:
        referrals.update(db, actor, referral_id, {"status": "attended"})
    assert {e.field for e in undated.value.errors} == {"attended_on"}
    with pytest.raises(ValidationError):
        referrals.set_status(db, actor, referral_id, "accepted", on=date(2000, 1, 1))


def test_the_agencies_a_client_works_with(db: Database, actor: Actor) -> None:
    client = make_client(db, actor)
    housing = _agency(db, actor)
    college = _agency(
        db, actor, "Park Lane College", agency_type="college", pathways=["education", "employment"]
    )
    _referral(db, actor, housing, client_id=client)
    _referral(db, actor, college, client_id=client, pathway="education", status="signposted")
    _referral(db, actor, college, client_id=client, pathway="employment", status="signposted")
    found = referrals.agencies_of_client(db, client)
    assert [(a["name"], a["referral_pathways"]) for a in found] == [
        ("Leeds Housing Options", ["housing"]),
        ("Park Lane College", ["education", "employment"]),
    ]


def test_the_directory_searches_by_name_type_and_pathway(db: Database, actor: Actor) -> None:
    _agency(db, actor)
    _agency(db, actor, "Park Lane College", agency_type="college", pathways=["education"], notes="Bursaries")
    assert [a["name"] for a in agencies.find(db, TEAM_ID, text="lane")] == ["Park Lane College"]
    assert [a["name"] for a in agencies.find(db, TEAM_ID, text="bursar")] == ["Park Lane College"]
    assert [a["name"] for a in agencies.find(db, TEAM_ID, agency_type="housing")] == ["Leeds Housing Options"]
    assert [a["name"] for a in agencies.find(db, TEAM_ID, pathway="education")] == ["Park Lane College"]
    assert agencies.find(db, TEAM_ID, text="lane", pathway="housing") == []


def test_an_engagement_becomes_a_client_with_its_referrals_and_concerns(db: Database, actor: Actor) -> None:
    engagement = _engagement(db, actor)
    agency = _agency(db, actor)
    signpost = _referral(db, actor, agency, engagement_id=engagement, status="signposted")
    concern = supervision.raise_item(
        db, actor, team_id=TEAM_ID, target_kind="engagement", target_id=engagement, reason="Hard to hear."
    ).record_id
    assert [e["id"] for e in engagements.recorded_by(db, USER_ID, unlinked_only=True)] == [engagement]
    client = make_client(db, actor)
    result = engagements.link(db, actor, engagement, client)
    assert {c.record_id for c in result.changes} >= {engagement, signpost, concern}
    linked = engagements.get(db, engagement)
    assert linked is not None and linked["client_id"] == client and linked["linked_on"]
    assert [r["id"] for r in referrals.for_client(db, client)] == [signpost]
    assert [s["id"] for s in supervision.for_client(db, client)] == [concern]
    assert engagements.recorded_by(db, USER_ID, unlinked_only=True) == []
    assert [e["id"] for e in engagements.for_client(db, client)] == [engagement]
    with pytest.raises(ValueError, match="another client"):
        engagements.link(db, actor, engagement, make_client(db, actor))
    later = _referral(db, actor, agency, engagement_id=engagement)
    made = referrals.get(db, later)
    assert made is not None and made["client_id"] == client  # a signpost made afterwards is theirs too


def test_consent_asked_needs_its_answer(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as unanswered:
        _engagement(db, actor, consent_answer=None)
    assert {e.field for e in unanswered.value.errors} == {"consent_answer"}


def test_a_concern_reaches_its_supervisor_and_is_marked_discussed_with_its_history(
    db: Database, actor: Actor, clock: Clock
) -> None:
    engagement = _engagement(db, actor)
    to_managers = supervision.raise_item(
        db, actor, team_id=TEAM_ID, target_kind="engagement", target_id=engagement, reason="Threat made."
    ).record_id
    named = supervision.raise_item(
        db,
        actor,
        team_id=TEAM_ID,
        target_kind="engagement",
        target_id=engagement,
        reason="Consent question.",
        supervisor_id=OTHER_USER_ID,
    ).record_id
    assert [i["id"] for i in supervision.open_for(db, "any-manager", TEAM_ID, manager=True)] == [to_managers]
    assert [i["id"] for i in supervision.open_for(db, OTHER_USER_ID, TEAM_ID, manager=False)] == [named]
    supervisor = make_actor(OTHER_USER_ID, DEVICE_ID, now=clock)
    supervision.mark_discussed(db, supervisor, named, "Only share what the risk requires.")
    assert supervision.open_for(db, OTHER_USER_ID, TEAM_ID, manager=False) == []
    item = supervision.get(db, named)
    assert item is not None and item["discussed_by"] == OTHER_USER_ID and item["status"] == "discussed"
    history = referrals.history(db, "supervision_item", named)
    assert [h["action"] for h in history] == ["create", "update"]
    assert history[1]["author_id"] == OTHER_USER_ID and history[1]["note"] == "Discussed in supervision"
    assert [i["id"] for i in supervision.on_record(db, engagement)] == [to_managers, named]
    assert len(supervision.raised_by(db, USER_ID)) == 2


def test_the_laptops_subject_access_holds_referrals_engagements_and_concerns(
    db: Database, actor: Actor
) -> None:
    client = make_client(db, actor)
    engagement = _engagement(db, actor)
    _referral(db, actor, _agency(db, actor), client_id=client)
    engagements.link(db, actor, engagement, client)
    gathered = exports.gather_subject_access(db, actor, client)
    assert [r["id"] for r in gathered.records["engagement"]] == [engagement]
    assert len(gathered.records["referral"]) == 1


def test_the_teams_safeguarding_concerns_for_a_managers_today(db: Database, actor: Actor) -> None:
    client = make_client(db, actor)
    concern = {
        "client_id": client,
        "category": "neglect",
        "observed": "No food in the flat.",
        "action_taken": "Food bank voucher; told the care coordinator.",
    }
    first = safeguarding.raise_concern(db, actor, concern).record_id
    wrong = safeguarding.raise_concern(db, actor, concern).record_id
    safeguarding.mark_entered_in_error(db, actor, wrong, "Recorded twice.")
    [found] = safeguarding.for_team(db, TEAM_ID)
    assert found["id"] == first and found["client_name"] == "Aoife Brennan"
    assert safeguarding.for_team(db, TEAM_ID, since="2999-01-01T00:00:00.000Z") == []
