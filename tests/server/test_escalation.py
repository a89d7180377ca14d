"""The escalation chain against real receivers on loopback: an SMTP server (aiosmtpd) receiving the
e-mails. A visit marked overdue alerts its worker, then on call, then the manager, one step at a
time, until someone acknowledges by the link, the visit is checked out, or "worker safe" is
recorded; every step is an entry of the store's own that syncs. Runs on both engines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_core.timerules import Limits
from navigator_server import overdue, push, store
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.escalation import chain, contacts, entries, tokens
from navigator_server.escalation.runner import Runner
from navigator_server.schema import escalation_steps
from tests.e2e.harness import free_port
from tests.server.escalation_support import SmtpServer, assert_no_client_data
from tests.server.helpers import Laptop, World, client_values

DRIFT = timedelta(hours=24)
LINK = re.compile(r"http://ack\.test/ack/(\S+)")


def ago(minutes: float) -> str:
    return timeutil.to_text(timeutil.utcnow() - timedelta(minutes=minutes))


def send(db: Database, laptop: Laptop, *ops: dict[str, Any]) -> list[str]:
    with db.write() as conn:
        results = push.push(conn, laptop.who, list(ops), limits=Limits(drift=DRIFT))
    return [r.status for r in results]


class Scene:
    def __init__(self, world: World, smtp: SmtpServer, **overrides: Any) -> None:
        self.world, self.db, self.smtp = world, world.db, smtp
        self.settings = world.settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": smtp.controller.port,
                "smtp_security": "none",
                "smtp_from": "alerts@navigator.test",
                "escalation_steps": "worker,buddy,on_call,manager,last_resort",
                "escalation_step_wait_seconds": 600,
                "escalation_late_seconds": 3600,
                "escalation_retry_seconds": 0,
                "public_url": "http://ack.test",
                "escalation_last_resort_email": "duty@navigator.test",
                "escalation_repeat_minutes": 10,
                "escalation_max_repeats": 3,
                **overrides,
            }
        )
        self.nav = world.person("nav", "North", Role.NAVIGATOR)
        self.olly = world.person("olly", "North", Role.ON_CALL)
        self.boss = world.person("boss", "North", Role.MANAGER)
        for name, laptop in (("nav", self.nav), ("olly", self.olly), ("boss", self.boss)):
            with self.db.write() as conn:
                contacts.set_contact(conn, laptop.who.user_id, email=f"{name}@navigator.test", mobile=None)
        self.runner = Runner(self.db, self.settings)

    def visit(self, **more: Any) -> str:
        client = self.nav.create(
            "client",
            **client_values(self.world.teams["North"], self.nav.who.user_id, nhs_number="9434765919"),
        )
        values = {
            "client_id": client["record_id"],
            "worker_id": self.nav.who.user_id,
            "place": "Flat 3, 9 Secret Road",
            "planned_start": ago(120),
            "expected_minutes": 60,
            "status": "in_progress",
            "checked_in_at": ago(120),
            **more,
        }
        visit = self.nav.create("visit", **values)
        self.client = str(client["record_id"])
        assert send(self.db, self.nav, client, visit) == ["applied", "applied"]
        return str(visit["record_id"])

    def mark_overdue(self) -> list[str]:
        with self.db.write() as conn:
            return overdue.sweep(conn, 15, on_marked=chain.on_marked(self.settings))

    def next_step_is_due(self) -> None:
        """The wait before the next step passes (its due time moved to now)."""
        with self.db.write() as conn:
            first = conn.execute(
                sa.select(sa.func.min(escalation_steps.c.position)).where(
                    escalation_steps.c.status == "pending"
                )
            ).scalar_one()
            conn.execute(
                escalation_steps.update()
                .where(escalation_steps.c.status == "pending", escalation_steps.c.position == first)
                .values(due_at=timeutil.now_text(), next_attempt_at=timeutil.now_text())
            )

    def outage(self, minutes: float) -> None:
        """The alert service was down this long: every step's due time moved back by as much."""
        with self.db.write() as conn:
            for row in conn.execute(sa.select(escalation_steps.c.id, escalation_steps.c.due_at)).all():
                earlier = timeutil.to_text(timeutil.parse(row.due_at) - timedelta(minutes=minutes))
                conn.execute(
                    escalation_steps.update()
                    .where(escalation_steps.c.id == row.id)
                    .values(due_at=earlier, next_attempt_at=earlier)
                )

    def steps(self, repeat: int = 0) -> list[tuple[str, str]]:
        """The chain's steps of one pass: 0 the first, k the k-th time nobody had answered."""
        with self.db.read() as conn:
            rows = conn.execute(
                sa.select(escalation_steps.c.target, escalation_steps.c.status)
                .where(escalation_steps.c.repeat == repeat)
                .order_by(escalation_steps.c.escalation_id, escalation_steps.c.position)
            )
            return [(r.target, r.status) for r in rows]

    def entries(self, visit: str) -> list[tuple[str, str]]:
        with self.db.read() as conn:
            return [(str(e["step"]), str(e.get("notes", ""))) for e in entries.of_visit(conn, visit)]

    def link(self, address: str) -> str:
        [mail] = self.smtp.inbox.to(address)[-1:]
        found = LINK.search(mail.body)
        assert found is not None
        return found.group(1)


@pytest.fixture
def scene(store_db: Database) -> Iterator[Scene]:
    world = World(store_db, store_db.settings)
    world.team("North")
    with SmtpServer(free_port()) as smtp:
        s = Scene(world, smtp)
        yield s
    assert_no_client_data(store_db, [m.subject + "\n" + m.body for m in smtp.inbox.mails])


def test_an_overdue_visit_alerts_the_worker_then_on_call_then_the_manager_until_acknowledged(
    scene: Scene,
) -> None:
    visit = scene.visit()
    assert scene.mark_overdue() == [visit]
    assert scene.mark_overdue() == []  # the chain is made once
    assert scene.runner.tick() == 1
    [to_worker] = scene.smtp.inbox.to("nav@navigator.test")
    assert "You have not checked out" in to_worker.subject
    assert scene.runner.tick() == 0  # nothing else due yet
    scene.next_step_is_due()  # the buddy: none named, so skipped at once and on call is next
    scene.runner.tick()
    scene.runner.tick()
    [to_olly] = scene.smtp.inbox.to("olly@navigator.test")
    assert "has not checked out" in to_olly.subject and "Call them now" in to_olly.body
    assert scene.smtp.inbox.to("boss@navigator.test") == []
    scene.next_step_is_due()
    scene.runner.tick()
    assert len(scene.smtp.inbox.to("boss@navigator.test")) == 1
    with TestClient(create_app(scene.settings, scene.db)) as http:
        token = scene.link("olly@navigator.test")
        page = http.get(f"/ack/{token}")
        assert page.status_code == 200 and "I am dealing with it" in page.text
        done = http.post(f"/ack/{token}")
        assert done.status_code == 200 and "Acknowledged" in done.text
        assert "Secret Road" not in done.text and "Testy" not in done.text
        again = http.post(f"/ack/{token}")
        assert again.status_code == 410 and "used already" in again.text
    scene.next_step_is_due()
    scene.runner.tick()
    assert scene.smtp.inbox.to("duty@navigator.test") == []  # the last resort was never needed
    assert scene.steps() == [
        ("worker", "sent"),
        ("buddy", "skipped"),
        ("on_call", "sent"),
        ("manager", "sent"),
        ("last_resort", "cancelled"),
    ]
    assert scene.steps(repeat=1) == [("on_call", "cancelled"), ("last_resort", "cancelled")]
    kinds = [step for step, _notes in scene.entries(visit)]
    assert kinds == ["notified", "notification_failed", "notified", "notified", "acknowledged_by_link"]
    notes = dict(scene.entries(visit))
    assert "by e-mail" in notes["notified"]
    assert "acknowledged" in scene.entries(visit)[-1][1]


def test_a_late_check_out_withdraws_the_chain(scene: Scene) -> None:
    visit = scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    checkout = scene.nav.upsert("visit", visit, status="completed", checked_out_at=ago(1))
    assert send(scene.db, scene.nav, checkout) == ["conflict_recorded"]  # it had not seen the mark
    assert scene.runner.settle() == 1
    scene.next_step_is_due()
    scene.runner.tick()
    assert [m.to for m in scene.smtp.inbox.mails] == [["nav@navigator.test"]]
    assert scene.entries(visit)[-1][0] == "alerts_stopped"
    assert "checked out" in scene.entries(visit)[-1][1]


def test_worker_safe_recorded_by_on_call_stops_the_chain(scene: Scene) -> None:
    visit = scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    safe = scene.olly.append(
        "visit_escalation",
        client_id=scene.client,
        visit_id=visit,
        step="worker_safe",
        occurred_at=timeutil.now_text(),
    )
    send(scene.db, scene.olly, safe)
    scene.next_step_is_due()
    scene.next_step_is_due()
    scene.runner.tick()
    assert len(scene.smtp.inbox.mails) == 1
    assert "worker safe" in scene.entries(visit)[-1][1]


def test_an_smtp_server_that_refuses_is_retried_then_the_next_step_is_tried(scene: Scene) -> None:
    visit = scene.visit()
    scene.mark_overdue()
    scene.smtp.inbox.refuse = True
    for _ in range(scene.settings.escalation_attempts):
        scene.runner.tick()
    assert scene.steps()[0] == ("worker", "failed")
    failures = [notes for step, notes in scene.entries(visit) if step == "notification_failed"]
    assert any("Could not alert the worker" in n and "SMTP" in n for n in failures)
    assert all("nav@navigator.test" not in n for n in failures)  # no addresses in entries
    scene.smtp.inbox.refuse = False
    scene.runner.tick()  # the buddy (none named) is skipped and on call is brought forward
    scene.runner.tick()
    assert len(scene.smtp.inbox.to("olly@navigator.test")) == 1


def test_a_person_without_contact_details_is_skipped_and_on_call_is_told(scene: Scene) -> None:
    with scene.db.write() as conn:
        conn.execute(sa.text("DELETE FROM staff_contacts WHERE user_id = :u"), {"u": scene.nav.who.user_id})
    visit = scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    assert scene.smtp.inbox.mails == []
    assert scene.steps()[0] == ("worker", "skipped")
    assert "No contact details to alert the worker" in scene.entries(visit)[0][1]
    scene.runner.tick()  # buddy skipped, on call brought forward
    scene.runner.tick()
    assert len(scene.smtp.inbox.to("olly@navigator.test")) == 1


def test_after_an_outage_only_the_latest_due_step_is_sent_and_says_it_is_late(scene: Scene) -> None:
    scene.settings = scene.settings.model_copy(update={"escalation_max_repeats": 0})  # the first pass only
    visit = scene.visit()
    scene.mark_overdue()
    scene.outage(minutes=101)  # the alert service was down: everything is due
    scene.runner.tick()
    scene.runner.tick()
    assert [m.to for m in scene.smtp.inbox.mails] == [["duty@navigator.test"]]
    assert scene.smtp.inbox.mails[0].body.startswith("This alert is late")
    assert "sent late" in scene.entries(visit)[-1][1]


def test_two_runners_send_each_step_once(scene: Scene) -> None:
    for _ in range(5):
        scene.visit()
    assert len(scene.mark_overdue()) == 5
    other = Runner(scene.db, scene.settings)
    import threading

    threads = [threading.Thread(target=r.tick) for r in (scene.runner, other, scene.runner)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(scene.smtp.inbox.to("nav@navigator.test")) == 5


def test_forged_expired_and_unknown_links_are_refused_clearly(scene: Scene) -> None:
    scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    token = scene.link("nav@navigator.test")
    with TestClient(create_app(scene.settings, scene.db)) as http:
        forged = http.post(f"/ack/{token[:-2]}xx")
        assert forged.status_code == 404 and "not valid" in forged.text
        with scene.db.write() as conn:
            conn.execute(sa.text("UPDATE ack_tokens SET expires_at = :t"), {"t": ago(1)})
        expired = http.post(f"/ack/{token}")
        assert expired.status_code == 410 and "expired" in expired.text
        assert http.post("/ack", content="code=ABCD-EFGH").status_code == 404


def test_the_short_code_acknowledges_once(scene: Scene) -> None:
    visit = scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    [mail] = scene.smtp.inbox.mails
    found = re.search(r"enter the code ([A-Z0-9]{8})", mail.body)
    assert found is not None
    code = found.group(1)
    with TestClient(create_app(scene.settings, scene.db)) as http:
        assert "Code from the text message" in http.get("/ack").text
        typed = f"{code[:4].lower()} {code[4:]}"  # as a person types it off a phone
        done = http.post(
            "/ack", content=f"code={typed}", headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert done.status_code == 200 and "Acknowledged" in done.text
        again = http.post(
            "/ack", content=f"code={code}", headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert again.status_code == 410
    assert scene.entries(visit)[-1][0] == "acknowledged_by_link"
    assert "by its code" in scene.entries(visit)[-1][1]
    assert {status for _target, status in scene.steps()[1:]} == {"cancelled"}


def test_an_alert_out_when_someone_acknowledges_leaves_the_chain_stopped(scene: Scene) -> None:
    visit = scene.visit()
    scene.mark_overdue()
    tokens.ensure_key(scene.db)
    [step_id] = scene.runner.claim()
    out = scene.runner._prepare(step_id)
    assert out is not None
    step, outgoing = out
    scene.smtp.inbox.refuse = True  # the alert fails while, meanwhile, someone acknowledges
    token = LINK.search(outgoing[0].message.body)
    assert token is not None
    with TestClient(create_app(scene.settings, scene.db)) as http:
        assert http.post(f"/ack/{token.group(1)}").status_code == 200
    for item in outgoing:
        scene.runner._send(item, step.id)
    scene.runner._record(step_id, outgoing)
    assert scene.steps()[0] == ("worker", "cancelled")  # not put back for a retry
    assert scene.runner.tick() == 0
    assert scene.entries(visit)[-1][0] == "notification_failed"


def test_guessing_links_or_codes_is_slowed_per_address(scene: Scene) -> None:
    scene.visit()
    settings = scene.settings.model_copy(update={"auth_max_failures_per_address": 3})
    form = {"content-type": "application/x-www-form-urlencoded"}
    with TestClient(create_app(settings, scene.db)) as http:
        answers = [
            http.post("/ack", content=f"code=GUESS{n:03d}", headers=form).status_code for n in range(4)
        ]
        assert answers == [404, 404, 404, 429]
        assert http.post("/ack/forged.link").status_code == 429


def test_on_call_means_whoever_the_rota_has_on_shift_now(scene: Scene) -> None:
    from navigator_core.fields import new_id
    from navigator_server.schema import rota

    with scene.db.write() as conn:  # tonight the manager covers on call; the on-call user is off
        conn.execute(
            rota.insert().values(
                id=new_id(),
                team_id=scene.world.teams["North"],
                user_id=scene.boss.who.user_id,
                starts_at=ago(60),
                ends_at=ago(-60),
            )
        )
    scene.settings = scene.settings.model_copy(update={"escalation_steps": "on_call"})
    scene.runner = Runner(scene.db, scene.settings)
    scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    assert [m.to for m in scene.smtp.inbox.mails] == [["boss@navigator.test"]]


def _through_the_first_pass(scene: Scene) -> str:
    visit = scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    for _ in range(3):  # buddy (none: skipped, so on call at once), manager, last resort
        scene.next_step_is_due()
        scene.runner.tick()
        scene.runner.tick()
    assert [status for _t, status in scene.steps()] == ["sent", "skipped", "sent", "sent", "sent"]
    return visit


def test_nobody_answers_so_on_call_and_the_last_resort_are_alerted_again_until_someone_does(
    scene: Scene,
) -> None:
    """Issue 14: "until someone answers". After the last step, on call and the last resort are
    alerted again every NAVIGATOR_ESCALATION_REPEAT_MINUTES, at most ..._MAX_REPEATS times."""
    visit = _through_the_first_pass(scene)
    assert len(scene.smtp.inbox.to("olly@navigator.test")) == 1
    assert len(scene.smtp.inbox.to("duty@navigator.test")) == 1
    with scene.db.read() as conn:  # the repeats follow each other every ten minutes
        due = dict(
            conn.execute(
                sa.select(escalation_steps.c.repeat, escalation_steps.c.due_at).where(
                    escalation_steps.c.target == "last_resort"
                )
            ).all()
        )
    assert timeutil.parse(due[2]) - timeutil.parse(due[1]) == timedelta(minutes=10)
    assert scene.runner.tick() == 0  # not before its time
    scene.next_step_is_due()
    scene.runner.tick()
    scene.next_step_is_due()
    scene.runner.tick()
    again = scene.smtp.inbox.to("olly@navigator.test")[-1]
    assert len(scene.smtp.inbox.to("olly@navigator.test")) == 2
    assert len(scene.smtp.inbox.to("duty@navigator.test")) == 2
    assert again.subject.startswith("STILL NO ANSWER") and "Nobody has acknowledged" in again.body
    assert scene.steps(repeat=1) == [("on_call", "sent"), ("last_resort", "sent")]
    assert "sent again, 1 of 3" in scene.entries(visit)[-1][1]
    with TestClient(create_app(scene.settings, scene.db)) as http:
        assert http.post(f"/ack/{scene.link('olly@navigator.test')}").status_code == 200
    scene.next_step_is_due()
    scene.runner.tick()
    assert len(scene.smtp.inbox.mails) == 6  # worker, on call, manager, last resort; the last two again
    assert scene.steps(repeat=2) == [("on_call", "cancelled"), ("last_resort", "cancelled")]


def test_the_repeats_are_bounded(scene: Scene) -> None:
    _through_the_first_pass(scene)
    for _ in range(3 * 2 + 2):  # every repeat made due in turn, and then some
        scene.next_step_is_due()
        scene.runner.tick()
    assert len(scene.smtp.inbox.to("duty@navigator.test")) == 1 + 3
    assert scene.steps(repeat=4) == []
    with scene.db.read() as conn:
        pending = conn.execute(sa.select(escalation_steps.c.id).where(escalation_steps.c.status == "pending"))
        assert pending.all() == []


def test_after_an_outage_only_the_latest_repeat_is_sent(scene: Scene) -> None:
    scene.visit()
    scene.mark_overdue()
    scene.outage(minutes=101)  # long enough for the first pass and every repeat to be due
    scene.runner.tick()
    scene.runner.tick()
    assert sorted(m.to[0] for m in scene.smtp.inbox.mails) == ["duty@navigator.test", "olly@navigator.test"]
    assert scene.steps(repeat=3) == [("on_call", "sent"), ("last_resort", "sent")]


def test_steps_people_record_other_than_worker_safe_go_on_and_are_noted(scene: Scene) -> None:
    """Only "worker safe" stops the alerts; the visit marked escalated, the police called or the
    manager called do not, and the alerts that follow say what has been recorded."""
    visit = scene.visit()
    scene.mark_overdue()
    scene.runner.tick()
    with scene.db.read() as conn:
        client_id = str(store.load(conn, visit).client_id)  # type: ignore[union-attr]
    police = scene.olly.append(
        "visit_escalation",
        client_id=client_id,
        visit_id=visit,
        step="escalated_to_police",
        occurred_at=timeutil.now_text(),
    )
    marked = scene.olly.upsert("visit", visit, status="escalated")
    assert send(scene.db, scene.olly, police, marked)[0] == "applied"
    assert scene.runner.settle() == 0  # nothing ends the chain
    scene.next_step_is_due()
    scene.runner.tick()
    scene.runner.tick()
    [to_olly] = scene.smtp.inbox.to("olly@navigator.test")
    assert "Recorded in Navigator since the alerts began: the police were called" in to_olly.body
    assert "alerts_stopped" not in [step for step, _ in scene.entries(visit)]


@pytest.mark.parametrize("step", ["acknowledged_by_link", "alerts_stopped", "notified", "sos_raised"])
def test_a_person_cannot_record_a_step_only_the_store_writes(scene: Scene, step: str) -> None:
    visit = scene.visit()
    scene.mark_overdue()
    with scene.db.read() as conn:
        client_id = str(store.load(conn, visit).client_id)  # type: ignore[union-attr]
    forged = scene.olly.append(
        "visit_escalation", client_id=client_id, visit_id=visit, step=step, occurred_at=timeutil.now_text()
    )
    with scene.db.write() as conn:
        [result] = push.push(conn, scene.olly.who, [forged], limits=Limits(drift=DRIFT))
    assert (result.status, result.field) == ("rejected", "step")
    assert scene.entries(visit) == []
