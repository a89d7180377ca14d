"""kill -9 at random points: the client during push and pull (it exits abruptly at the Nth named
step: NAVIGATOR_SYNC_CRASH_AT), and the server during push (SIGKILL to its process). After a restart
the sync completes with nothing lost and nothing duplicated."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from navigator_desktop.store import outbox
from navigator_desktop.store import settings as device_settings
from navigator_server.db import Database
from navigator_server.schema import applied_ops, records
from tests.e2e.harness import PASSPHRASE, Laptop, Org, dump_local, dump_server, free_port
from tests.server.helpers import client_values, contact_entry, make_settings

pytestmark = pytest.mark.slow


class ServerProcess:
    def __init__(self, db_url: str, port: int) -> None:
        self.db_url, self.port = db_url, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.serve_for_tests", self.db_url, str(self.port)]
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
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None


@pytest.fixture
def server(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Org, ServerProcess]]:
    import shutil

    shutil.copy(sqlite_template, tmp_path / "server.db")
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(make_settings(url))
    proc = ServerProcess(url, free_port())
    proc.start()
    yield Org(db, db.settings), proc
    proc.kill()
    db.dispose()


def cli_sync(data: Path, crash_at: int | None = None) -> int:
    env = {**os.environ, "NAVIGATOR_TEST_KDF": "1", "NAVIGATOR_SYNC_BATCH": "4", "NAVIGATOR_SYNC_PAGE": "5"}
    if crash_at:
        env["NAVIGATOR_SYNC_CRASH_AT"] = str(crash_at)
    done = subprocess.run(
        [sys.executable, "-m", "navigator_desktop", "sync", "--data-dir", str(data)],
        input=f"{PASSPHRASE}\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode


def offline_edits(data: Path, url: str, client: str, rng: random.Random, n: int, tag: str) -> None:
    laptop = Laptop(data, url)
    for i in range(n):
        if rng.random() < 0.6:
            laptop.append("contact", **contact_entry(client, f"{tag}-{i}"))
        else:
            laptop.update("client", client, **{rng.choice(["phone", "address"]): f"{tag}-{i}"})
    laptop.close()


def check_nothing_lost_or_duplicated(org: Org, url: str, data: Path, others: list[Laptop]) -> None:
    a = Laptop(data, url)
    try:
        ops = a.db.query("SELECT op_id, result FROM outbox")
        assert ops and all(r["result"] not in (None, outbox.REJECTED) for r in ops)
        device = device_settings.get(a.db, device_settings.DEVICE_ID)
        with org.db.read() as conn:
            applied = conn.execute(
                sa.select(applied_ops.c.op_id).where(applied_ops.c.device_id == device)
            ).all()
            contacts = conn.execute(
                sa.select(sa.func.count()).select_from(records).where(records.c.kind == "contact")
            )
            n_contacts = contacts.scalar_one()
        assert sorted(r.op_id for r in applied) == sorted(r["op_id"] for r in ops), (
            "each op applied exactly once"
        )
        local = dump_local(a.db)
        assert sum(1 for kind, _ in local if kind == "contact") == n_contacts
        token = device_settings.get(a.db, device_settings.DEVICE_TOKEN)
        assert token and local == dump_server(url, token)
        for other in others:
            other.sync()
            assert dump_local(other.db) == dump_server(
                url, device_settings.get(other.db, "device_token") or ""
            )
    finally:
        a.close()


def test_client_killed_at_random_points_during_push_and_pull(server, tmp_path: Path):
    org, proc = server
    rng = random.Random(20260101)
    org.person("ann")
    org.person("bob")
    data = tmp_path / "ann"
    a = Laptop(data, proc.url)
    a.enrol(org, "ann")
    b = Laptop(tmp_path / "bob", proc.url)
    b.enrol(org, "bob")
    client = b.create(
        "client", **client_values(org.team_id, org.users["ann"], co_worker_ids=[org.users["bob"]])
    )
    b.sync()
    a.sync()
    a.close()
    crashes = 0
    rounds = 0
    while crashes < 50:
        rounds += 1
        assert rounds < 120
        offline_edits(data, proc.url, client, rng, rng.randint(3, 10), f"a{rounds}")
        for i in range(rng.randint(0, 8)):
            b.append("contact", **contact_entry(client, f"b{rounds}-{i}"))
        b.sync()
        code = cli_sync(data, crash_at=rng.randint(1, 14))
        assert code in (0, 137)
        crashes += code == 137
    assert cli_sync(data) == 0
    check_nothing_lost_or_duplicated(org, proc.url, data, [b])
    b.close()


def test_server_killed_during_push(server, tmp_path: Path):
    org, proc = server
    rng = random.Random(7)
    org.person("ann")
    data = tmp_path / "ann"
    a = Laptop(data, proc.url)
    a.enrol(org, "ann")
    client = a.create("client", **client_values(org.team_id, org.users["ann"]))
    a.close()
    for round_ in range(6):
        offline_edits(data, proc.url, client, rng, 60, f"r{round_}")
        env = {**os.environ, "NAVIGATOR_TEST_KDF": "1", "NAVIGATOR_SYNC_BATCH": "3"}
        secret = tmp_path / "passphrase"
        secret.write_text(f"{PASSPHRASE}\n")
        with secret.open() as stdin:
            sync = subprocess.Popen(
                [sys.executable, "-m", "navigator_desktop", "sync", "--data-dir", str(data)],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
        time.sleep(0.6 + rng.random() * 0.8)  # start-up, then somewhere in the push
        proc.kill()
        proc.start()
        _out, err = sync.communicate(timeout=120)
        assert "Traceback" not in err, err
    assert cli_sync(data) == 0
    check_nothing_lost_or_duplicated(org, proc.url, data, [])
