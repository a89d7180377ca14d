"""Issue 19: an initial sync killed (SIGKILL, a real process) while its indexer is at work, then
completed, leaves a search index that finds exactly what a laptop never killed finds: every
search result and the index's per-kind counts and checksums are the same."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from navigator_core.demo import Scale
from navigator_desktop.session import Session
from navigator_desktop.store import search
from navigator_desktop.store.db import Database as LocalStore
from navigator_desktop.store.search import check as search_check
from navigator_desktop.store.search import queue as search_queue
from navigator_desktop.sync.engine import Direct, SyncEngine
from navigator_desktop.vault import KdfParams
from navigator_server import accounts, seed
from navigator_server.db import Database
from navigator_server.schema import users
from navigator_server.security import Passwords
from tests.e2e.harness import PASSPHRASE, free_port
from tests.e2e.test_crash import ServerProcess
from tests.server.helpers import make_settings

pytestmark = pytest.mark.slow

PASSWORD = "synthetic team password"
# A team whose initial sync hands the indexer process several batches of thousands of entries.
SCALE = Scale(
    clients=60,
    contacts=12_000,
    risk_flags=600,
    handover_notes=1_500,
    navigators=4,
    visits=200,
    support_goals=240,
    outcomes=20,
    agencies=6,
    safeguarding_concerns=4,
    acknowledgements=100,
    entered_in_error=10,
    demo_caseload=10,
    busiest_client_contacts=200,
)
# Where each killed laptop's syncs are killed: seconds after its indexer process started (the first
# large batch committed and handed over, and the process past its start-up), one number per kill,
# then the sync is run to its end.
KILLS = [(0.05, 0.3), (0.6, 0.05)]


@pytest.fixture
def team(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[ServerProcess, str, Database]]:
    import shutil

    shutil.copy(sqlite_template, tmp_path / "server.db")
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(make_settings(url))
    seed.seed_demo(db, Passwords(db.settings), db.settings, PASSWORD, scale=SCALE)
    with db.read() as conn:
        manager = conn.execute(users.select().where(users.c.role == "manager")).first()
    assert manager is not None
    proc = ServerProcess(url, free_port())
    proc.start()
    yield proc, manager.username, db
    proc.kill()
    db.dispose()


def laptop(data: Path, url: str, username: str, db: Database) -> None:
    session = Session(data, KdfParams.for_tests())
    session.create(PASSPHRASE, recovery_key=False)
    with db.write() as conn:
        manager = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar_one()
        code, _ = accounts.issue_enrolment_code(conn, db.settings, manager)
    SyncEngine(Direct(session)).enrol(url, username, code, PASSWORD, data.name)
    session.lock()


def start_sync(data: Path) -> subprocess.Popen[str]:
    # Transactions of a few thousand records: an initial sync hands the indexer several batches.
    env = {
        **os.environ,
        "NAVIGATOR_TEST_KDF": "1",
        "NAVIGATOR_SYNC_PAGE": "1000",
        "NAVIGATOR_SYNC_TRANSACTION": "3000",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "navigator_desktop", "sync", "--data-dir", str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


def sync_to_the_end(data: Path) -> None:
    proc = start_sync(data)
    _out, err = proc.communicate(f"{PASSPHRASE}\n", timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err


def indexer_started(pid: int) -> bool:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.exists() and bool(children.read_text().split())


def sync_killed(data: Path, after_indexer_s: float) -> tuple[bool, str]:
    """Run a sync and SIGKILL it `after_indexer_s` after its indexer process started; False when it
    finished first."""
    proc = start_sync(data)
    assert proc.stdin is not None
    proc.stdin.write(f"{PASSPHRASE}\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not indexer_started(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(after_indexer_s)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)  # the orphaned indexer shares its stderr: ended too
    return killed, err


@contextmanager
def unlocked(data: Path) -> Iterator[LocalStore]:
    session = Session(data, KdfParams.for_tests())
    session.unlock(PASSPHRASE)
    try:
        yield session.db
    finally:
        session.lock()


def left_unindexed(data: Path) -> int:
    with unlocked(data) as local:
        return search_queue.pending(local)


Found = tuple[dict[str, frozenset[tuple[str, str]]], list[tuple[str, int, int, str]]]


def what_is_found(data: Path) -> Found:
    """Every search result for every client's names and for the words of the notes, and the
    index's count and checksum per kind (compared with the records, which must agree)."""
    with unlocked(data) as local:
        words: set[str] = set()
        for row in local.query("SELECT given_name, family_name FROM clients"):
            words |= {row["given_name"], row["family_name"]}
        for text in local.column("SELECT narrative FROM contacts LIMIT 300"):
            words |= set(re.findall(r"[^\W\d_]{4,}", text.lower()))
        results = {
            word: frozenset((h.kind, h.record_id) for h in search.search(local, f"{word} ", limit=100_000))
            for word in sorted(words)
        }
        checks = search_check.compare(local)
        assert all(c.ok for c in checks), [c for c in checks if not c.ok]
        return results, [(c.kind, c.records, c.indexed, c.indexed_digest) for c in checks]


def test_a_killed_initial_sync_leaves_a_complete_search_index(
    team: tuple[ServerProcess, str, Database], tmp_path: Path
) -> None:
    server, manager, db = team
    reference = tmp_path / "never-killed"
    laptop(reference, server.url, manager, db)
    sync_to_the_end(reference)
    expected = what_is_found(reference)
    assert sum(count for _, count, _, _ in expected[1]) > 12_000
    assert sum(1 for hits in expected[0].values() if hits) > 50

    interrupted = 0
    for n, kills in enumerate(KILLS):
        data = tmp_path / f"killed-{n}"
        laptop(data, server.url, manager, db)
        for after in kills:
            killed, err = sync_killed(data, after)
            assert "Traceback" not in err, err
            left = left_unindexed(data) if killed else 0
            print(f"killed {after}s after the indexer started: {left} records left unindexed")
            interrupted += left > 0
        sync_to_the_end(data)
        found = what_is_found(data)
        assert found[1] == expected[1], "per-kind counts and checksums"
        differing = [word for word in expected[0] if found[0][word] != expected[0][word]]
        assert not differing, f"{len(differing)} searches differ, e.g. {differing[:5]}"
    assert interrupted >= 2, "the kills landed while records handed over were not yet indexed"
