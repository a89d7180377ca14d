"""A client made from an engagement on a peer support worker's laptop (the Engagements screen's
"Make a client from this engagement…", one local transaction) is accepted by the central store:
the client, the engagement and its signpost all reach the manager, attached to the client."""

from __future__ import annotations

from pathlib import Path

from navigator_desktop.store import agencies, engagements, referrals
from tests.desktop.store.helpers import engagement_values, referral_values
from tests.e2e.harness import Laptop, Org, assert_converged
from tests.server.helpers import client_values


def test_a_client_made_from_an_engagement_syncs_with_its_engagement_and_signpost(
    org: Org, url: str, tmp_path: Path
) -> None:
    org.person("pat", "peer_support")
    org.person("mo", "manager")
    pat, mo = Laptop(tmp_path / "pat", url), Laptop(tmp_path / "mo", url)
    for laptop, name in ((pat, "pat"), (mo, "mo")):
        laptop.enrol(org, name)
    try:
        agency = agencies.add(
            pat.db,
            pat.actor,
            {"team_id": org.team_id, "name": "Leeds Housing Options", "agency_type": "housing"},
        ).record_id
        met = engagements.record(pat.db, pat.actor, engagement_values(org.team_id)).record_id
        signpost = referrals.make(
            pat.db, pat.actor, referral_values(agency, org.team_id, engagement_id=met, status="signposted")
        ).record_id
        assert pat.sync().rejected == 0
        made = engagements.make_client(pat.db, pat.actor, met, client_values(org.team_id, org.users["pat"]))
        assert pat.sync().rejected == 0
        mo.sync()
        held = mo.get("engagement", met)
        assert held is not None and held["client_id"] == made.record_id and held["linked_on"]
        assert [r["id"] for r in referrals.for_client(mo.db, made.record_id)] == [signpost]
        assert mo.get("client", made.record_id) is not None
        assert_converged(url, pat, mo)
    finally:
        pat.close()
        mo.close()
