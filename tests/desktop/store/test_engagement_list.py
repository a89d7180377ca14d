"""The Engagements screen's list, as the store gathers it: a peer support worker and a navigator of
the same team each see their own engagements, the team manager all of them; and making a client
from an engagement writes the client and attaches the engagement and its referrals, at once."""

from __future__ import annotations

import pytest

from navigator_core.fields import ValidationError
from navigator_desktop.store import agencies, clients, engagements, outbox, referrals
from navigator_desktop.store.context import Actor, make_actor
from navigator_desktop.store.db import Database
from tests.desktop.store import helpers as h


@pytest.fixture
def team(db: Database) -> Database:
    h.save_people(db)
    return db


def _agency(db: Database, actor: Actor) -> str:
    values = {"team_id": h.TEAM_ID, "name": "Housing Options", "agency_type": "housing"}
    return agencies.add(db, actor, values).record_id


def test_peer_support_and_navigator_see_their_own_the_manager_the_teams(
    team: Database, actor: Actor, clock: h.Clock
) -> None:
    nina = make_actor(h.OTHER_USER_ID, h.DEVICE_ID, now=clock)
    custody = engagements.record(team, actor, h.engagement_values()).record_id
    clock.advance(hours=1)
    court = engagements.record(team, actor, h.engagement_values(setting="court")).record_id
    clock.advance(hours=1)
    ninas = engagements.record(team, nina, h.engagement_values(setting="community")).record_id
    agency = _agency(team, actor)
    for status in ("signposted", "referral_made"):
        referrals.make(team, actor, h.referral_values(agency, engagement_id=custody, status=status))

    peer_team, peers = engagements.listed_for(team, h.USER_ID)
    assert peer_team is False
    assert [e["id"] for e in peers] == [court, custody]  # newest first
    assert {e["id"]: e["referrals"] for e in peers} == {court: 0, custody: 2}
    navigator_team, navigators = engagements.listed_for(team, h.OTHER_USER_ID)
    assert navigator_team is False and [e["id"] for e in navigators] == [ninas]
    manager_team, managers = engagements.listed_for(team, h.MANAGER_ID)
    assert manager_team is True and [e["id"] for e in managers] == [ninas, court, custody]


def test_making_a_client_attaches_the_engagement_and_its_referrals(team: Database, actor: Actor) -> None:
    engagement = engagements.record(team, actor, h.engagement_values()).record_id
    agency = _agency(team, actor)
    signpost = referrals.make(
        team, actor, h.referral_values(agency, engagement_id=engagement, status="signposted")
    ).record_id
    before = {p.seq for p in outbox.pending(team)}
    result = engagements.make_client(
        team, actor, engagement, h.client_values(given_name="Jordan", family_name="Reid")
    )
    client = clients.get(team, result.record_id)
    assert client is not None and client["given_name"] == "Jordan"
    assert {c.record_id for c in result.changes} >= {result.record_id, engagement, signpost}
    linked = engagements.get(team, engagement)
    assert linked is not None and linked["client_id"] == result.record_id and linked["linked_on"]
    assert [r["id"] for r in referrals.for_client(team, result.record_id)] == [signpost]
    sent = [(p.kind, p.record_id) for p in outbox.pending(team) if p.seq not in before]
    wrote = [(k, r) for k, r in sent if k != "audit_event"]
    assert wrote == [("client", result.record_id), ("engagement", engagement), ("referral", signpost)]
    [listed] = engagements.listed_for(team, h.USER_ID)[1]
    assert listed["client"] == "Reid, Jordan" and listed["referrals"] == 1


def test_a_client_that_fails_validation_leaves_the_engagement_as_it_was(team: Database, actor: Actor) -> None:
    engagement = engagements.record(team, actor, h.engagement_values()).record_id
    with pytest.raises(ValidationError):
        engagements.make_client(team, actor, engagement, h.client_values(family_name=""))
    kept = engagements.get(team, engagement)
    assert kept is not None and kept["client_id"] is None
    assert team.scalar("SELECT count(*) FROM clients") == 0
