"""Two laptops and a real central store on loopback (uvicorn), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from navigator_desktop.store import conflicts, settings
from tests.e2e.harness import Laptop, assert_converged, conflicts_of
from tests.server.helpers import client_values, contact_entry, risk_values


def test_offline_edits_on_both_sides_converge(pair):
    a, b, client = pair
    assert b.get("client", client) is not None
    a.update("client", client, phone="01234 567890")
    b.update("client", client, address="2 New Road")
    note_a = a.append("contact", **contact_entry(client, "Ann's visit."))
    note_b = b.append("contact", **contact_entry(client, "Bob's call."))
    risk = b.create("risk_flag", **risk_values(client))
    for laptop in (a, b, a):
        laptop.sync()
    url = a.url
    assert_converged(url, a, b)
    for laptop in (a, b):
        row = laptop.get("client", client)
        assert row is not None
        assert row["phone"] == "01234 567890" and row["address"] == "2 New Road"
        assert (
            laptop.get("contact", note_a) and laptop.get("contact", note_b) and laptop.get("risk_flag", risk)
        )
        assert row["refreshed_at"]
    assert conflicts_of(a.db) == conflicts_of(b.db) == set()


def test_concurrent_edits_to_one_field_pick_one_winner_and_keep_the_loser_everywhere(pair):
    a, b, client = pair
    risk = a.create("risk_flag", **risk_values(client))
    a.sync()
    b.sync()
    a.update("risk_flag", risk, severity="high")
    b.update("risk_flag", risk, severity="low")
    a.update("client", client, phone="111")
    b.update("client", client, phone="222")
    b.sync()
    a.sync()
    b.sync()
    assert_converged(a.url, a, b)
    winner_a, winner_b = a.get("risk_flag", risk), b.get("risk_flag", risk)
    assert winner_a and winner_b and winner_a["severity"] == winner_b["severity"]
    # The later stamp wins (a's edit came after b's in wall-clock time here... either way, the same).
    found_a, found_b = conflicts_of(a.db), conflicts_of(b.db)
    assert found_a == found_b and len(found_a) == 2
    open_a = conflicts.open_conflicts(a.db)
    assert open_a[0].is_risk, "risk-flag conflicts come first"
    values = {open_a[0].kept_value, open_a[0].lost_value}
    assert values == {"high", "low"} and open_a[0].kept_value == winner_a["severity"]


def test_a_resolution_is_synced_and_audited(pair):
    a, b, client = pair
    a.update("client", client, phone="111")
    b.update("client", client, phone="222")
    a.sync()
    b.sync()
    a.sync()
    (conflict,) = conflicts.open_conflicts(a.db)
    loser = conflict.lost_value
    conflicts.resolve(a.db, a.actor, conflict.id, conflicts.TAKE_OTHER, "checked with the client")
    assert conflicts.open_conflicts(a.db) == []
    a.sync()
    b.sync()
    assert b.get("client", client)["phone"] == loser
    events = a.db.query("SELECT reason FROM audit_events WHERE reason LIKE 'Conflict on phone%'")
    assert events and "checked with the client" in events[0]["reason"]
    assert_converged(a.url, a, b)


def test_nothing_acknowledged_is_lost_when_a_response_never_arrives(pair, org):
    a, b, client = pair
    ids = [a.append("contact", **contact_entry(client, f"note {i}")) for i in range(30)]
    a.sync()
    b.sync()
    for i in ids:
        assert b.get("contact", i) is not None
    assert_converged(a.url, a, b)


def test_a_record_leaving_scope_is_removed_from_the_laptop(org, url, tmp_path):
    org.person("mgr", "manager")
    org.person("ann")
    m, a = Laptop(tmp_path / "m", url), Laptop(tmp_path / "a", url)
    m.enrol(org, "mgr")
    a.enrol(org, "ann")
    client = m.create("client", **client_values(org.team_id, org.users["ann"]))
    note = m.append("contact", **contact_entry(client))
    m.sync()
    a.sync()
    assert a.get("contact", note) is not None
    m.update("client", client, key_worker_id=None, status="discharged")
    m.sync()
    report = a.sync()
    assert report.forgotten >= 1
    assert a.get("contact", note) is None and a.get("client", client) is None
    assert_converged(url, a, m)
    a.close()
    m.close()


def test_a_revoked_device_wipes_its_data(org, url, tmp_path):
    from navigator_desktop.sync.errors import DeviceRevokedError
    from navigator_server import accounts

    org.person("ann")
    a = Laptop(tmp_path / "a", url)
    a.enrol(org, "ann")
    a.sync()
    device = settings.get(a.db, settings.DEVICE_ID)
    with org.db.write() as conn:
        accounts.revoke_device(conn, device)
    with pytest.raises(DeviceRevokedError):
        a.sync()
    assert a.wiped and not a.session.vault.exists()
    left = {p.name for p in (tmp_path / "a").iterdir()} - {"logs"}
    assert left == set(), f"the wipe left {left}"
