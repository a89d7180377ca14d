"""A small demo vault (made once per run, copied per test) and an app unlocked on it; and an
enrolled laptop, checked in to a visit, against a real central store on loopback (`enrolled`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from navigator_core.demo import Scale
from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.sync.engine import Direct, SyncEngine
from navigator_desktop.vault import KdfParams
from navigator_server.db import Database
from tests.e2e.harness import PASSPHRASE, PASSWORD, Org, checked_in, live_server
from tests.server.conftest import sqlite_db, sqlite_template  # noqa: F401 - fixtures


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    where = tmp_path_factory.mktemp("demo-template") / "data"
    demo.ensure_demo_vault(Session(where, KdfParams.for_tests()), Scale.small())
    return where


def wait_idle(qtbot, app: Navigator) -> None:
    qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=20_000)


def unlock(qtbot, app: Navigator) -> None:
    # Starting is not what is measured: a loaded machine may take longer than the default 5 s.
    qtbot.waitUntil(
        lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled(), timeout=20_000
    )
    qtbot.keyClicks(app.unlock_view.passphrase, demo.DEMO_PASSPHRASE)
    qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_screen() == "today", timeout=20_000)
    wait_idle(qtbot, app)


@pytest.fixture
def app(qtbot, tmp_path, demo_template):
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    navigator = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(navigator.window)
    navigator.start()
    unlock(qtbot, navigator)
    yield navigator
    navigator.shutdown()


def _checked_in(org: Org, url: str, data: Path) -> str:
    """An enrolled laptop whose navigator is checked in to a visit the store knows; the visit id."""
    org.person("ann")
    session = Session(data, KdfParams.for_tests())
    session.create(PASSPHRASE, recovery_key=False)
    engine = SyncEngine(Direct(session))
    engine.enrol(url, "ann", org.code("ann"), PASSWORD)
    visit_id = checked_in(session, org, minutes_ago=5)
    engine.sync()
    session.lock()
    return visit_id


@pytest.fixture
def enrolled(qtbot, tmp_path: Path, sqlite_db: Database) -> Iterator[tuple[Navigator, Org, str, str]]:  # noqa: F811
    org = Org(sqlite_db, sqlite_db.settings)
    with live_server(org.app()) as url:
        visit_id = _checked_in(org, url, tmp_path / "data")
        app = open_enrolled(qtbot, tmp_path / "data")
        yield app, org, visit_id, url
        app.shutdown()


def open_enrolled(qtbot, data: Path) -> Navigator:
    """The app on an enrolled laptop's vault (no tray), unlocked with the tests' passphrase."""
    app = Navigator(data, kdf=KdfParams.for_tests(), tray=False)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitUntil(lambda: app.unlock_view.button.isEnabled())
    qtbot.keyClicks(app.unlock_view.passphrase, PASSPHRASE)
    qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_screen() not in ("unlock", "create"), timeout=20_000)
    wait_idle(qtbot, app)
    return app
