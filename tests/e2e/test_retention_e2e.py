"""Retention end to end with a real central store: a discharged client leaves the laptop after the
retention period, the central store keeps every record, and a newly enrolled laptop never
receives them."""

from __future__ import annotations

from datetime import timedelta

from navigator_core import timeutil
from navigator_desktop.store import retention, search
from navigator_server import store
from tests.e2e.harness import Laptop, live_server
from tests.server.helpers import client_values, contact_entry


def test_a_discharged_client_leaves_laptops_after_the_retention_period_and_stays_on_the_server(org, tmp_path):
    org.settings.retention_days = 21
    org.person("ann")
    today = timeutil.local(timeutil.utcnow()).date()
    with live_server(org.app()) as url:
        a = Laptop(tmp_path / "a", url)
        a.enrol(org, "ann")
        assert retention.retention_days(a.db) == 21, "the period came with the enrolment"
        gone = a.create("client", **client_values(org.team_id, org.users["ann"], family_name="Leaving"))
        stays = a.create("client", **client_values(org.team_id, org.users["ann"], family_name="Recent"))
        note = a.append("contact", **contact_entry(gone, "Quokka: last visit before discharge."))
        a.sync()
        # Discharged 30 days ago (past 21 days), and another 5 days ago (not yet).
        a.update("client", gone, status="discharged",
                 service_discharge_date=(today - timedelta(days=30)).isoformat())  # fmt: skip
        a.update("client", stays, status="discharged",
                 service_discharge_date=(today - timedelta(days=5)).isoformat())  # fmt: skip
        assert retention.purge(a.db).waiting == [gone], "not before its changes reached the central store"
        assert a.get("client", gone) is not None

        a.sync()  # pushes the discharge, then purges
        assert a.get("client", gone) is None and a.get("contact", note) is None
        assert search.search(a.db, "Quokka") == []
        assert a.get("client", stays) is not None, "still within the retention period"

        with org.db.read() as conn:
            assert store.load(conn, gone) is not None and store.load(conn, note) is not None
            kept = store.load(conn, gone)
            assert kept is not None and kept.data["status"] == "discharged"

        # A laptop enrolled now never receives them; the recent one it does.
        b = Laptop(tmp_path / "b", url)
        b.enrol(org, "ann")
        b.sync()
        assert b.get("client", gone) is None and b.get("contact", note) is None
        assert b.get("client", stays) is not None
        a.sync()
        assert a.get("client", gone) is None, "a later sync does not bring it back"
        # A shorter period: the purge after the sync removes the recent one, and the sync's report
        # says so (the screens are told from it: ui.retention_hook).
        retention.set_retention_days(a.db, 3)
        assert a.sync().purged == [stays]
        assert a.get("client", stays) is None
        a.close()
        b.close()
