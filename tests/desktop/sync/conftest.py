"""A central store on loopback (SQLite) and a database worker on a fresh vault, for the worker and
CLI tests; a plain laptop store with its signed-in actor, for the apply tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from navigator_desktop.session import Session
from navigator_desktop.store.context import Actor, make_actor
from navigator_desktop.store.db import Database as LaptopDatabase
from navigator_desktop.store.plain import open_plain
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.vault import KdfParams
from navigator_server.db import Database
from tests.desktop.store.helpers import DEVICE_ID, USER_ID
from tests.e2e.harness import PASSPHRASE, Org, live_server
from tests.server.conftest import sqlite_db, sqlite_template  # noqa: F401 - fixtures


@pytest.fixture
def served(sqlite_db: Database) -> Iterator[tuple[Org, str]]:  # noqa: F811
    org = Org(sqlite_db, sqlite_db.settings)
    with live_server(org.app()) as url:
        yield org, url


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[TaskRunner[Session]]:
    runner: TaskRunner[Session] = TaskRunner(Session(tmp_path / "v", KdfParams.for_tests()))
    runner.call(lambda s: s.create(PASSPHRASE, recovery_key=False))
    yield runner
    runner.call(lambda s: s.lock())
    runner.stop()


@dataclass
class Local:
    """What a sync step runs against (sync/apply.py's Local): a laptop's store and its actor."""

    db: LaptopDatabase
    actor: Actor | None


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Local]:
    db = open_plain(tmp_path / "laptop.db")
    yield Local(db, make_actor(USER_ID, DEVICE_ID))
    db.close()
