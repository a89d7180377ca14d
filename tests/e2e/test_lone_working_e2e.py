"""Lone working end to end: laptops with their own vaults and a real central store on loopback,
on SQLite and PostgreSQL. Visits through sync, overdue decided by the store while the navigator is
offline, escalation steps, handover acknowledgements, break-glass and the access audit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from navigator_core import timeutil
from navigator_desktop.store import conflicts, handover, outbox, visits
from navigator_desktop.sync import access_audit, break_glass
from navigator_desktop.sync.transport import Transport
from navigator_server.app import create_app
from navigator_server.schema import audit_log
from navigator_server.settings import Settings
from tests.e2e.harness import Laptop, Org, live_server
from tests.server.helpers import client_values, contact_entry

REASON = "Police welfare check requested tonight"


def ago(minutes: float) -> str:
    return timeutil.to_text(timeutil.utcnow() - timedelta(minutes=minutes))


@dataclass
class Team:
    org: Org
    url: str
    nav: Laptop  # key worker of `client`
    olly: Laptop  # on call
    nina: Laptop  # another navigator, no on-call rights
    boss: Laptop  # manager
    client: str
    note: str  # a contact about the client, in the key worker's caseload only
    settings: Settings  # the live server's: a test moves time on by shortening the grace period

    def time_passes(self) -> None:
        """The visit's end and grace pass (without waiting): the store's grace drops to 15 minutes."""
        self.settings.overdue_grace_minutes = 15


@pytest.fixture
def team(org: Org, tmp_path: Path) -> Iterator[Team]:
    # A day's grace at first, so that nothing is overdue until a test says time has passed.
    changes = {
        "overdue_pull_throttle_seconds": 0,
        "overdue_sweep_seconds": 0,
        "overdue_grace_minutes": 24 * 60,
    }
    settings = org.settings.model_copy(update=changes)
    with live_server(create_app(settings, org.db)) as url:
        laptops = {}
        for name, role in (
            ("nav", "navigator"),
            ("olly", "on-call"),
            ("nina", "navigator"),
            ("boss", "manager"),
        ):
            org.person(name, role)
            laptops[name] = Laptop(tmp_path / name, url)
            laptops[name].enrol(org, name)
        nav = laptops["nav"]
        client = nav.create("client", **client_values(org.team_id, org.users["nav"], ethnicity="white"))
        note = nav.append("contact", **contact_entry(client, "Spoke about the tenancy and the dog."))
        nav.sync()
        for name in ("olly", "nina", "boss"):
            laptops[name].sync()
        yield Team(org, url, nav, laptops["olly"], laptops["nina"], laptops["boss"], client, note, settings)
        for laptop in laptops.values():
            laptop.close()


def plan(t: Team, *, started_minutes_ago: float, minutes: int = 60) -> str:
    values = {
        "client_id": t.client,
        "place": "Client's flat",
        "planned_start": ago(started_minutes_ago),
        "expected_minutes": minutes,
        "call_contact": "Office 0161 496 0000",
    }
    return visits.plan(t.nav.db, t.nav.actor, values).record_id


def test_the_whole_visit_lifecycle_travels_through_sync(team: Team) -> None:
    t = team
    visit = plan(t, started_minutes_ago=5)
    t.nav.sync()
    report = t.olly.sync()
    assert t.olly.get("visit", visit)["status"] == "planned"  # on call sees open visits
    # The pull waited for the store's page (a round trip at least), within the sync's time.
    assert 0 < report.waited < report.seconds
    visits.start(t.nav.db, t.nav.actor, visit)
    assert visits.briefing_acknowledged(t.nav.db, visit)
    t.nav.sync()
    t.olly.sync()
    seen = t.olly.get("visit", visit)
    assert seen["status"] == "in_progress" and seen["checked_in_at"]
    assert any(v["id"] == visit for v in visits.open_visits(t.olly.db))
    visits.check_out(t.nav.db, t.nav.actor, visit)
    t.nav.sync()
    t.olly.sync()
    t.boss.sync()
    done = t.boss.get("visit", visit)
    assert done["status"] == "completed" and done["checked_out_at"] and done["checked_in_at"]
    assert t.olly.get("visit", visit) is None  # a closed visit leaves the on-call summary
    assert outbox.pending_count(t.nav.db) == 0


def test_overdue_is_decided_by_the_store_while_the_navigator_is_offline(team: Team) -> None:
    t = team
    visit = plan(t, started_minutes_ago=120)
    visits.start(t.nav.db, t.nav.actor, visit, at=ago(118))
    t.nav.sync()
    # The navigator's laptop goes quiet; time passes. The on-call laptop syncs: the store marks the
    # visit first, and the on-call worker sees it.
    t.time_passes()
    t.olly.sync()
    watched = t.olly.get("visit", visit)
    assert watched["status"] == "overdue"
    assert t.nav.get("visit", visit)["status"] == "in_progress"  # the offline laptop does not know
    # On call acts, with audited steps and the visit's escalation fields.
    visits.record_step(t.olly.db, t.olly.actor, visit, "called_worker", notes="No answer.")
    visits.record_step(t.olly.db, t.olly.actor, visit, "called_buddy", notes="Buddy driving over.")
    t.olly.sync()
    assert outbox.pending_count(t.olly.db) == 0
    # Back in signal: the navigator's laptop gets the mark and the steps.
    t.nav.sync()
    assert t.nav.get("visit", visit)["status"] == "overdue"
    assert [s["step"] for s in visits.steps(t.nav.db, visit)] == ["called_worker", "called_buddy"]
    assert {s["author_id"] for s in visits.steps(t.nav.db, visit)} == {t.org.users["olly"]}


def test_an_offline_check_out_before_the_mark_ends_completed_everywhere_with_nothing_to_review(
    team: Team,
) -> None:
    t = team
    visit = plan(t, started_minutes_ago=120)
    visits.start(t.nav.db, t.nav.actor, visit, at=ago(118))
    t.nav.sync()
    visits.check_out(t.nav.db, t.nav.actor, visit, at=ago(50))  # offline, before the store noticed
    t.time_passes()
    t.olly.sync()
    assert t.olly.get("visit", visit)["status"] == "overdue"
    t.nav.sync()  # the check-out arrives with an older stamp than the store's mark
    t.nav.sync()
    t.olly.sync()
    t.boss.sync()
    assert t.nav.get("visit", visit)["status"] == "completed"
    assert t.boss.get("visit", visit)["status"] == "completed"
    assert t.olly.get("visit", visit) is None  # no longer open: gone from the on-call view
    assert conflicts.open_conflicts(t.nav.db) == []
    assert conflicts.open_conflicts(t.boss.db) == []


def test_handover_acknowledgements_sync(team: Team) -> None:
    t = team
    values = {
        "team_id": t.org.team_id,
        "client_id": t.client,
        "text": "May ring the on-call line tonight; anxious about court.",
        "audience": "on_call",
        "priority": "urgent",
        "valid_from": ago(5),
    }
    note = handover.write(t.nav.db, t.nav.actor, values).record_id
    t.nav.sync()
    t.olly.sync()
    assert not handover.is_acknowledged(t.olly.db, note, t.org.users["olly"])
    handover.acknowledge(t.olly.db, t.olly.actor, note)
    t.olly.sync()
    t.nav.sync()
    assert handover.is_acknowledged(t.nav.db, note, t.org.users["olly"])
    assert [a["author_id"] for a in handover.acknowledgements(t.nav.db, note)] == [t.org.users["olly"]]


def config(laptop: Laptop) -> break_glass.ServerConfig:
    return break_glass.read_config(laptop.session)


def test_break_glass_is_refused_without_a_reason_and_audited_with_one(team: Team) -> None:
    t = team
    with pytest.raises(break_glass.BreakGlassError, match="at least 10 characters"):
        break_glass.fetch(config(t.olly), t.client, "  ")
    # The store refuses it too, with its own words, if a laptop skipped the check.
    cfg = config(t.olly)
    assert cfg.url and cfg.token
    with Transport(cfg.url, cfg.token) as transport:
        response = transport._client.post(
            "/v1/break-glass",
            json={"client_id": t.client, "reason": ""},
            headers={"Authorization": f"Bearer {cfg.token}"},
        )
    assert response.status_code == 403 and "say why you need this record" in response.json()["detail"]

    assert t.olly.get("contact", t.note) is None  # not on the on-call laptop
    record = break_glass.fetch(cfg, t.client, REASON)
    assert record.reason == REASON
    assert [c["narrative"] for c in record.of_kind("contact")] == ["Spoke about the tenancy and the dog."]
    assert record.client["ethnicity"] == "white"  # beyond the summary
    t.olly.sync()
    assert t.olly.get("contact", t.note) is None  # held in memory only, never in the vault
    with t.org.db.read() as conn:
        rows = list(conn.execute(sa.select(audit_log).where(audit_log.c.action == "break_glass")))
    assert [(r.actor_id, r.device_id, r.target_id, r.reason) for r in rows] == [
        (t.org.users["olly"], t.olly.actor.device_id, t.client, REASON)
    ]

    # The manager sees it in the access audit, with the device and the reason.
    audit = access_audit.fetch(config(t.boss), client_id=t.client)
    granted = [e for e in audit.entries if e.action == "break_glass"]
    assert [(e.user_name, e.device_id, e.reason) for e in granted] == [
        ("olly", t.olly.actor.device_id, REASON)
    ]
    with pytest.raises(access_audit.AccessAuditError, match="Only a team manager"):
        access_audit.fetch(config(t.olly))


def test_a_navigator_without_on_call_rights_does_not_see_other_caseloads_details(team: Team) -> None:
    t = team
    summary = t.nina.get("client", t.client)
    assert summary is not None and summary["crisis_plan"]  # the on-call summary is there
    assert summary.get("ethnicity") is None  # ... and nothing beyond it
    assert t.nina.get("contact", t.note) is None
    with pytest.raises(break_glass.BreakGlassError, match="on-call duty"):
        break_glass.fetch(config(t.nina), t.client, REASON)
    t.nina.sync()
    assert t.nina.get("contact", t.note) is None
    refused = access_audit.fetch(config(t.boss), client_id=t.client).entries
    assert [(e.action, e.user_name) for e in refused] == [("break_glass_refused", "nina")]


def test_without_a_connection_break_glass_says_why(team: Team, tmp_path: Path) -> None:
    stranded = break_glass.ServerConfig("http://127.0.0.1:9", "nav_token")
    with pytest.raises(break_glass.BreakGlassError) as caught:
        break_glass.fetch(stranded, team.client, REASON)
    assert str(caught.value) == break_glass.OFFLINE
    with pytest.raises(break_glass.BreakGlassError) as caught:
        break_glass.fetch(break_glass.ServerConfig(None, None), team.client, REASON)
    assert str(caught.value) == break_glass.NOT_ENROLLED
