"""The central store and the work with other agencies: who holds engagements, referrals and
concerns for supervision, attaching an engagement to a client, the links they must point at, and
subject access; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from navigator_core import timeutil
from navigator_server import subject_access
from navigator_server.schema import records
from tests.server.helpers import Laptop, World, contact_entry
from tests.server.test_store import items_by_id, new_client, pull_all, send, world  # noqa: F401 - fixture


@pytest.fixture
def w(world: World) -> World:  # noqa: F811 - the storage suite's fixture
    """The storage suite's team (Nina a navigator, Mo the manager; Sam in another team) and Pat,
    a peer support worker in Nina's team."""
    world.person("pat", "North", "peer_support")
    return world


def _ok(w: World, laptop: Laptop, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    op_ids = [op["record_id"] for op in ops]
    results = send(w, laptop, *ops)
    assert [r["status"] for r in results] == ["applied"] * len(ops), results
    return [{"record_id": rid} for rid in op_ids]


def _agency(w: World, laptop: Laptop) -> str:
    op = laptop.create("agency", team_id=laptop.who.team_id, name="Housing Options", agency_type="housing")
    _ok(w, laptop, op)
    return str(op["record_id"])


def _engagement(w: World, laptop: Laptop) -> str:
    op = laptop.create(
        "engagement",
        team_id=laptop.who.team_id,
        person="Woman, late 40s, remanded",
        setting="court",
        met_at=timeutil.now_text(),
        consent_asked=True,
        consent_answer="given",
        needs=["housing"],
    )
    _ok(w, laptop, op)
    return str(op["record_id"])


def _signpost(laptop: Laptop, agency: str, **where: str) -> dict[str, Any]:
    today = timeutil.now_text()[:10]
    return laptop.create(
        "referral",
        team_id=laptop.who.team_id,
        agency_id=agency,
        pathway="housing",
        what_for="Somewhere to stay tonight",
        made_on=today,
        made_by=laptop.who.user_id,
        status="signposted",
        signposted_on=today,
        **where,
    )


def _access(w: World, laptop: Laptop, record_id: str) -> str:
    item = items_by_id(pull_all(w, laptop)).get(record_id)
    return str(item["access"]) if item else "absent"


def test_a_peer_support_workers_engagements_are_theirs_and_their_managers_not_a_navigators(w: World) -> None:
    pat, nina, mo, sam = (w.laptops[n] for n in ("pat", "nina", "mo", "sam"))
    engagement = _engagement(w, pat)
    [signpost] = _ok(w, pat, _signpost(pat, _agency(w, mo), engagement_id=engagement))
    for record_id in (engagement, signpost["record_id"]):
        assert _access(w, pat, record_id) == "full"
        assert _access(w, mo, record_id) == "full"
        assert _access(w, nina, record_id) == "absent"  # same team, but never Nina's to hold
        assert _access(w, sam, record_id) == "absent"
    # A navigator cannot change someone else's engagement that is no client's yet.
    [refused] = send(w, nina, nina.upsert("engagement", engagement, notes="Seen again."))
    assert refused["status"] == "rejected"


def test_an_engagement_attaches_once_to_a_client_and_its_readers_follow(w: World) -> None:
    pat, nina, mo = (w.laptops[n] for n in ("pat", "nina", "mo"))
    engagement = _engagement(w, pat)
    [signpost] = _ok(w, pat, _signpost(pat, _agency(w, mo), engagement_id=engagement))
    ninas_client = new_client(w, nina)
    # Pat may not attach it to a client Pat does not work with...
    [refused] = send(w, pat, pat.upsert("engagement", engagement, client_id=ninas_client))
    assert refused["status"] == "rejected"
    # ...but once Pat co-works the client, the engagement and its signpost attach to them.
    [shared] = send(w, mo, mo.upsert("client", ninas_client, co_worker_ids=[pat.who.user_id]))
    assert shared["status"] == "applied", shared
    _ok(
        w,
        pat,
        pat.upsert("engagement", engagement, client_id=ninas_client, linked_on=timeutil.now_text()[:10]),
        pat.upsert("referral", signpost["record_id"], client_id=ninas_client),
    )
    with w.db.read() as conn:
        attached = conn.execute(
            sa.select(records.c.client_id).where(records.c.id.in_([engagement, signpost["record_id"]]))
        ).all()
    assert {row.client_id for row in attached} == {ninas_client}
    assert _access(w, nina, engagement) == "full" and _access(w, nina, signpost["record_id"]) == "full"
    other = new_client(w, nina, co_worker_ids=[pat.who.user_id])
    [moved] = send(w, pat, pat.upsert("engagement", engagement, client_id=other))
    assert moved["status"] == "rejected" and "another client" in moved["reason"]
    with w.db.read() as conn:
        archive = subject_access.gather(conn, ninas_client, made_by="test")
    assert [r["id"] for r in archive.records["engagement"]] == [engagement]
    assert [r["id"] for r in archive.records["referral"]] == [signpost["record_id"]]
    versions = [v for v in archive.revisions if v["record_id"] == engagement]
    assert len(versions) == 2  # recorded in custody, then attached: both in the history


def test_a_referral_must_name_an_agency_of_the_team(w: World) -> None:
    nina, sam = w.laptops["nina"], w.laptops["sam"]
    client = new_client(w, nina)
    south_agency = _agency(w, sam)
    [refused] = send(w, nina, _signpost(nina, south_agency, client_id=client))
    assert refused["status"] == "rejected" and "agency" in refused["reason"]
    engagement_as_agency = _engagement(w, nina)
    [wrong_kind] = send(w, nina, _signpost(nina, engagement_as_agency, client_id=client))
    assert wrong_kind["status"] == "rejected"


def test_a_concern_for_supervision_is_discussed_by_its_supervisor_and_never_deleted(w: World) -> None:
    pat, nina, mo = (w.laptops[n] for n in ("pat", "nina", "mo"))
    w.person("sue", "North", "navigator")  # a senior navigator, Pat's named supervisor
    sue = w.laptops["sue"]
    engagement = _engagement(w, pat)
    raised = pat.create(
        "supervision_item",
        team_id=pat.who.team_id,
        target_kind="engagement",
        target_id=engagement,
        reason="A threat was made in the custody suite.",
        supervisor_id=sue.who.user_id,
        status="open",
    )
    _ok(w, pat, raised)
    item = raised["record_id"]
    assert _access(w, sue, item) == "full" and _access(w, mo, item) == "full"
    assert _access(w, nina, item) == "absent"
    discussed = {
        "status": "discussed",
        "discussed_on": timeutil.now_text()[:10],
        "discussed_by": sue.who.user_id,
        "discussion_note": "Debriefed; pair up for custody visits.",
    }
    [not_hers] = send(w, nina, nina.upsert("supervision_item", item, **discussed))
    assert not_hers["status"] == "rejected"
    [edit_reason] = send(w, sue, sue.upsert("supervision_item", item, reason="Something else."))
    assert edit_reason["status"] == "rejected"  # the supervisor writes the discussion, not the concern
    sue.stamps[item] = dict(pat.stamps[item])  # Sue's laptop has pulled the concern
    _ok(w, sue, sue.upsert("supervision_item", item, **discussed))
    [deleted] = send(w, pat, pat.delete("supervision_item", item))
    assert deleted["status"] == "rejected" and "never deleted" in deleted["reason"]
    [target] = send(
        w,
        pat,
        pat.create(
            "supervision_item",
            team_id=pat.who.team_id,
            target_kind="contact",
            target_id=engagement,
            reason="Pointing at the wrong kind.",
            status="open",
        ),
    )
    assert target["status"] == "rejected"


def test_links_name_records_about_the_same_person(w: World) -> None:
    pat, nina, mo = (w.laptops[n] for n in ("pat", "nina", "mo"))
    client = new_client(w, nina, co_worker_ids=[pat.who.user_id])
    other = new_client(w, nina, co_worker_ids=[pat.who.user_id])
    contact = nina.append("contact", **contact_entry(client))
    _ok(w, nina, contact)
    concern = {
        "team_id": nina.who.team_id,
        "target_kind": "contact",
        "target_id": contact["record_id"],
        "reason": "Want to talk it through.",
        "status": "open",
    }
    [elsewhere] = send(w, nina, nina.create("supervision_item", client_id=other, **concern))
    assert elsewhere["status"] == "rejected" and "client_id" in elsewhere["reason"]
    _ok(w, nina, nina.create("supervision_item", client_id=client, **concern))
    # A signpost from an engagement that is someone's client now is about that client too.
    engagement = _engagement(w, pat)
    _ok(w, pat, pat.upsert("engagement", engagement, client_id=client))
    agency = _agency(w, mo)
    [clientless] = send(w, pat, _signpost(pat, agency, engagement_id=engagement))
    assert clientless["status"] == "rejected"
    _ok(w, pat, _signpost(pat, agency, engagement_id=engagement, client_id=client))
