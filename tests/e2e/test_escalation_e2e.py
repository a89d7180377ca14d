"""Lone-working alerts end to end on PostgreSQL, with two real server processes sharing the
database and a real SMTP server on loopback (aiosmtpd). A navigator's laptop checks in and goes
silent: after the grace period the on-call user's e-mail arrives, then the manager's when nobody
acknowledges; one server process is killed mid-chain and the other carries on (nothing sent twice,
nothing skipped); acknowledging by the link stops the chain; a check-out that arrives late
withdraws a second chain. Waits are seconds (settings in seconds), so the test takes seconds."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from navigator_core import timeutil
from navigator_core.policy import Role
from navigator_server.db import Database
from navigator_server.escalation import contacts, entries
from tests.e2e.harness import free_port
from tests.server.escalation_support import SmtpServer, assert_no_client_data
from tests.server.helpers import Laptop, World, client_values

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
STEP_WAIT = 3.0
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/ack/\S+)")


class ServerProcess:
    def __init__(self, db_url: str, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.serve_for_tests", db_url, str(self.port)],
            env={**os.environ, **env},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def ago(minutes: float) -> str:
    return timeutil.to_text(timeutil.utcnow() - timedelta(minutes=minutes))


def push(url: str, laptop: Laptop, *ops: dict[str, Any]) -> list[str]:
    answer = httpx.post(f"{url}/v1/push", json={"ops": list(ops)}, headers=laptop.headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return [r["status"] for r in answer.json()["results"]]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


def test_two_processes_alert_on_call_then_the_manager_once_each_until_acknowledged(
    pg_db: Database, smtp: SmtpServer
) -> None:
    world = World(pg_db, pg_db.settings)
    team = world.team("North")
    nav = world.person("nav", "North", Role.NAVIGATOR)
    for name, role in (("olly", Role.ON_CALL), ("boss", Role.MANAGER)):
        laptop = world.person(name, "North", role)
        with pg_db.write() as conn:
            contacts.set_contact(conn, laptop.who.user_id, email=f"{name}@navigator.test", mobile=None)
    public = free_port()
    env = {
        "NAVIGATOR_SMTP_HOST": "127.0.0.1",
        "NAVIGATOR_SMTP_PORT": str(smtp.controller.port),
        "NAVIGATOR_SMTP_SECURITY": "none",
        "NAVIGATOR_OVERDUE_GRACE_MINUTES": "0",
        "NAVIGATOR_OVERDUE_SWEEP_SECONDS": "0.3",
        "NAVIGATOR_ESCALATION_POLL_SECONDS": "0.2",
        "NAVIGATOR_ESCALATION_STEPS": "worker,on_call,manager,last_resort",
        "NAVIGATOR_ESCALATION_STEP_WAIT_SECONDS": str(STEP_WAIT),
        "NAVIGATOR_ESCALATION_CLAIM_SECONDS": "2",
        "NAVIGATOR_ESCALATION_LAST_RESORT_EMAIL": "duty@navigator.test",
        "NAVIGATOR_PUBLIC_URL": f"http://127.0.0.1:{public}",
    }
    a, b = ServerProcess(world_url(pg_db), env), ServerProcess(world_url(pg_db), env)
    try:
        client = nav.create("client", **client_values(team, nav.who.user_id, nhs_number="9434765919"))
        visit = nav.create(
            "visit",
            client_id=client["record_id"],
            worker_id=nav.who.user_id,
            place="Flat 3, 9 Secret Road",
            planned_start=ago(2),
            expected_minutes=1,
            status="in_progress",
            checked_in_at=ago(1.05),  # due out three seconds ago; then the laptop goes silent
        )
        visit_id = visit["record_id"]
        assert push(a.url, nav, client, visit) == ["applied", "applied"]
        # The worker has no contact details: skipped (on call is told), and on call is alerted at once.
        smtp.inbox.wait_for(1)
        assert [m.to for m in smtp.inbox.mails] == [["olly@navigator.test"]]
        # Mid-chain (between steps: once on call's alert is recorded), one process dies; the
        # other carries on. (Dying between the mail server's "250" and the commit would send
        # that one message twice: the documented window, milliseconds wide.)
        deadline = time.monotonic() + 10
        while "notified" not in steps_of(pg_db, visit_id):
            assert time.monotonic() < deadline, "on call's alert was not recorded"
            time.sleep(0.05)
        a.kill()
        smtp.inbox.wait_for(2, timeout=STEP_WAIT * 4)
        assert [m.to for m in smtp.inbox.mails][1] == ["boss@navigator.test"]
        link = LINK.search(smtp.inbox.mails[1].body)
        assert link is not None
        token_path = link.group(1).split("/ack/", 1)[1]
        done = httpx.post(f"{b.url}/ack/{token_path}", timeout=10)
        assert done.status_code == 200 and "Acknowledged" in done.text
        time.sleep(STEP_WAIT * 1.5)  # the last resort's time passes
        assert [m.to for m in smtp.inbox.mails] == [["olly@navigator.test"], ["boss@navigator.test"]]
        assert steps_of(pg_db, visit_id) == [
            "notification_failed",
            "notified",
            "notified",
            "acknowledged_by_link",
        ]

        # A second visit; its check-out arrives late, after on call was alerted: the chain is withdrawn.
        late = nav.create(
            "visit",
            client_id=client["record_id"],
            worker_id=nav.who.user_id,
            place="Flat 3, 9 Secret Road",
            planned_start=ago(2),
            expected_minutes=1,
            status="in_progress",
            checked_in_at=ago(1.05),
        )
        assert push(b.url, nav, late) == ["applied"]
        smtp.inbox.wait_for(3, timeout=STEP_WAIT * 4)
        assert smtp.inbox.mails[2].to == ["olly@navigator.test"]
        checkout = nav.upsert("visit", late["record_id"], status="completed", checked_out_at=ago(0.5))
        assert push(b.url, nav, checkout)[0] in ("applied", "conflict_recorded")
        time.sleep(STEP_WAIT * 2.5)
        assert len(smtp.inbox.mails) == 3  # the manager was never alerted about it
        with pg_db.read() as conn:
            last = entries.of_visit(conn, late["record_id"])[-1]
        assert last["step"] == "alerts_stopped" and "checked out" in str(last["notes"])
        assert_no_client_data(pg_db, [m.subject + "\n" + m.body for m in smtp.inbox.mails])
    finally:
        a.kill()
        b.kill()


def world_url(db: Database) -> str:
    return db.settings.database_url


def steps_of(db: Database, visit_id: str) -> list[str]:
    with db.read() as conn:
        return [str(e["step"]) for e in entries.of_visit(conn, visit_id)]
