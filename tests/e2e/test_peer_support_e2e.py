"""The work with other agencies over a real central store on loopback, on SQLite and PostgreSQL:
each new kind makes the round trip, a referral edited on two laptops at once merges field by field,
and a peer support worker's engagements reach only their laptop (and their manager's) until the
person becomes a client."""

from __future__ import annotations

from pathlib import Path

from navigator_core import timeutil
from navigator_core.kinds import REFERRAL
from navigator_desktop.store import agencies, engagements, referrals, supervision
from tests.desktop.store.helpers import engagement_values, referral_values
from tests.e2e.harness import Laptop, Org, assert_converged, conflicts_of
from tests.server.helpers import client_values, contact_entry


def _agency(laptop: Laptop, team_id: str) -> str:
    values = {
        "team_id": team_id,
        "name": "Park Lane College",
        "agency_type": "college",
        "pathways": ["education"],
    }
    return agencies.add(laptop.db, laptop.actor, values).record_id


def _referral(laptop: Laptop, team_id: str, agency_id: str, **where: str) -> str:
    values = referral_values(agency_id, team_id, pathway="education", what_for="Entry-level maths", **where)
    return referrals.make(laptop.db, laptop.actor, values).record_id


def _engagement(laptop: Laptop, team_id: str) -> str:
    values = engagement_values(team_id, place="Elland Road custody suite")
    return engagements.record(laptop.db, laptop.actor, values).record_id


def test_each_new_kind_makes_the_round_trip(pair: tuple[Laptop, Laptop, str], org: Org) -> None:
    a, b, client = pair
    agency = _agency(a, org.team_id)
    referral = _referral(a, org.team_id, agency, client_id=client)
    contact = a.append("contact", **contact_entry(client, "Talked about college."))
    concern = supervision.raise_item(
        a.db,
        a.actor,
        team_id=org.team_id,
        target_kind="contact",
        target_id=contact,
        client_id=client,
        reason="Mentioned a debt to a dealer; want advice.",
    ).record_id
    safeguarding = a.append(
        "safeguarding_concern",
        client_id=client,
        category="financial",
        observed="Said his cousin keeps his bank card.",
        action_taken="Talked it through; raised with the local authority.",
        referred_to_local_authority=True,
        local_authority_reference="ASC-2026-000123",
    )
    engagement = _engagement(a, org.team_id)
    a.sync()
    b.sync()
    for kind, record_id in (
        ("agency", agency),
        ("referral", referral),
        ("supervision_item", concern),
        ("safeguarding_concern", safeguarding),
    ):
        assert b.get(kind, record_id) is not None, kind
    held = b.get("agency", agency)
    assert held is not None and held["pathways"] == ["education"]
    assert b.get("engagement", engagement) is None  # Ann's engagement, not yet anyone's client
    supervision.mark_discussed(b.db, b.actor, concern, "Referred to the debt advice service.")
    referrals.set_status(b.db, b.actor, referral, "accepted")
    b.sync()
    a.sync()
    assert_converged(a.url, a, b)
    discussed = a.get("supervision_item", concern)
    assert discussed is not None and discussed["status"] == "discussed"


def test_a_referral_changed_on_two_laptops_at_once_merges_field_by_field(
    pair: tuple[Laptop, Laptop, str], org: Org
) -> None:
    a, b, client = pair
    referral = _referral(a, org.team_id, _agency(a, org.team_id), client_id=client)
    a.sync()
    b.sync()
    referrals.set_status(a.db, a.actor, referral, "accepted")
    referrals.update(a.db, a.actor, referral, {"what_for": "Entry-level maths and English"})
    referrals.set_status(b.db, b.actor, referral, "declined", outcome="Course full until spring.")
    a.sync()
    b.sync()
    a.sync()
    assert_converged(a.url, a, b)
    on_a, on_b = a.get("referral", referral), b.get("referral", referral)
    assert on_a is not None and on_b is not None
    assert {k: on_a[k] for k in REFERRAL.field_names} == {k: on_b[k] for k in REFERRAL.field_names}
    # Fields only one side changed keep that side's value; each step's date is kept.
    assert on_a["what_for"] == "Entry-level maths and English"
    assert on_a["outcome"] == "Course full until spring."
    assert on_a["accepted_on"] and on_a["declined_on"]
    # The status both changed has one winner everywhere, and the other value is kept for review.
    assert on_a["status"] in ("accepted", "declined")
    kept = conflicts_of(a.db)
    assert kept == conflicts_of(b.db) and {(r, f) for r, f, _, _ in kept} == {(referral, "status")}


def test_a_peer_support_workers_engagement_reaches_their_manager_and_not_a_navigator_until_it_is_a_client(
    org: Org, url: str, tmp_path: Path
) -> None:
    org.person("pat", "peer_support")
    org.person("nina")
    org.person("mo", "manager")
    pat, nina, mo = (Laptop(tmp_path / n, url) for n in ("pat", "nina", "mo"))
    for laptop, name in ((pat, "pat"), (nina, "nina"), (mo, "mo")):
        laptop.enrol(org, name)
    try:
        engagement = _engagement(pat, org.team_id)
        signpost = _referral(pat, org.team_id, _agency(mo, org.team_id), engagement_id=engagement)
        mo.sync()
        pat.sync()
        nina.sync()
        mo.sync()
        assert pat.get("engagement", engagement) is not None and pat.get("referral", signpost) is not None
        assert mo.get("engagement", engagement) is not None and mo.get("referral", signpost) is not None
        assert nina.get("engagement", engagement) is None and nina.get("referral", signpost) is None
        assert [e["id"] for e in engagements.recorded_by(pat.db, org.users["pat"])] == [engagement]
        # Taken on: Nina key-works the new client, Pat co-works; the engagement and signpost attach.
        values = client_values(org.team_id, org.users["nina"], co_worker_ids=[org.users["pat"]])
        client = pat.create("client", **values)
        engagements.link(pat.db, pat.actor, engagement, client, on=timeutil.local(timeutil.utcnow()).date())
        pat.sync()
        nina.sync()
        mo.sync()
        for laptop in (pat, nina, mo):
            held = laptop.get("engagement", engagement)
            assert held is not None and held["client_id"] == client
            assert [r["id"] for r in referrals.for_client(laptop.db, client)] == [signpost]
        assert_converged(url, pat, nina, mo)
    finally:
        for laptop in (pat, nina, mo):
            laptop.close()
