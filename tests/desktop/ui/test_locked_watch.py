"""A locked on-call laptop keeps a narrow watch (issue 15 item 3): a real central store on loopback,
the on-call worker's laptop (the app) locked, another laptop's visit going overdue. The watch token
lives in memory only; a navigator not on call has none; a token the store refuses ends the watch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QSettings, Qt

from navigator_desktop.app import Navigator
from navigator_desktop.sync.live import WatchCounts
from navigator_desktop.ui.flows import watch as watch_flow
from navigator_server import accounts
from navigator_server.db import Database
from navigator_server.schema import audit_log, devices
from tests.desktop.ui.conftest import open_enrolled
from tests.desktop.ui.helpers import wait_idle
from tests.e2e.harness import PASSPHRASE, Laptop, Org, live_server, visit_gone_overdue


@pytest.fixture
def on_call(qtbot, tmp_path: Path, sqlite_db: Database) -> Iterator[tuple[Navigator, Org, str]]:
    """The app, unlocked, on the laptop of an on-call worker enrolled with a store on loopback."""
    org = Org(sqlite_db, sqlite_db.settings)
    with live_server(org.app()) as url:
        org.person("olly", "on-call")
        laptop = Laptop(tmp_path / "data", url)
        laptop.enrol(org, "olly")
        laptop.sync()  # the team directory: olly's role
        laptop.close()
        app = open_enrolled(qtbot, tmp_path / "data")
        app.watch.poll_ms = 200
        yield app, org, url
        app.shutdown()


def _locked_and_watching(qtbot, app: Navigator) -> None:
    qtbot.waitUntil(lambda: app.watch.holding, timeout=10_000)
    app.lock()
    qtbot.waitUntil(lambda: app.watch.counts is not None, timeout=10_000)


def test_a_locked_on_call_laptop_is_told_when_a_visit_in_its_team_goes_overdue(qtbot, tmp_path, on_call):
    app, org, url = on_call
    _locked_and_watching(qtbot, app)
    assert app.watch.counts is not None and app.watch.counts.overdue_visits == 0
    assert app.notifier.last is None
    note = app.unlock_view.watch_note
    assert note.isVisibleTo(app.unlock_view) and "0 visits overdue in your team" in note.text()

    visit_gone_overdue(org, url, tmp_path / "ann")
    qtbot.waitUntil(lambda: app.notifier.last is not None, timeout=10_000)
    title, body = app.notifier.last
    assert title == "On-call watch"
    assert body.startswith("1 visit overdue in your team.")
    for detail in ("Mill Lane", "Flat 3", "Example", "Testy"):  # no place, no client
        assert detail not in title + body + note.text()
    assert "1 visit overdue in your team" in note.text()
    assert body in app.unlock_view.message.text()  # said on the lock screen too (no tray here)

    # Unlocked: the watch stops and its token is forgotten; a new one is obtained for the next lock.
    held = app.watch.client
    assert held is not None
    qtbot.keyClicks(app.unlock_view.passphrase, PASSPHRASE)
    qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_screen() != "unlock", timeout=20_000)
    assert not held.holding and not app.watch.watching
    qtbot.waitUntil(lambda: app.watch.holding, timeout=10_000)
    assert app.watch.client is not held


def test_the_watch_token_is_held_in_memory_only(qtbot, tmp_path, on_call, caplog):
    caplog.set_level("DEBUG")
    app, _org, _url = on_call
    _locked_and_watching(qtbot, app)
    assert app.watch.client is not None
    token = app.watch.client._token
    assert token is not None and token.startswith("nvw_")
    secret = token.rpartition(".")[2]  # its signature, in whatever encoding a file might hold
    for path in (p for p in tmp_path.rglob("*") if p.is_file()):
        content = path.read_bytes()
        assert token.encode() not in content and secret.encode() not in content, path
    kept = QSettings()
    assert all(secret not in str(kept.value(key)) for key in kept.allKeys())
    assert secret not in caplog.text
    # Nor among the vault's settings, read once it is unlocked again.
    qtbot.keyClicks(app.unlock_view.passphrase, PASSPHRASE)
    qtbot.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_screen() != "unlock", timeout=20_000)
    wait_idle(qtbot, app)
    rows = app.runner.call(lambda s: [dict(r) for r in s.db.query("SELECT * FROM settings")])
    assert rows and all(secret not in str(row) for row in rows)


def test_a_navigator_not_on_call_has_no_watch(qtbot, enrolled):
    app, org, _visit, _url = enrolled
    wait_idle(qtbot, app)
    qtbot.wait(300)  # time enough for a token request, had one been made
    with org.db.read() as conn:
        asked = conn.execute(sa.select(audit_log.c.id).where(audit_log.c.action == "watch_token")).all()
    assert asked == [] and app.watch.client is None
    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    assert not app.watch.watching and not app.unlock_view.watch_note.isVisibleTo(app.unlock_view)


def test_a_token_the_store_refuses_ends_the_watch(qtbot, on_call):
    app, org, _url = on_call
    _locked_and_watching(qtbot, app)
    with org.db.write() as conn:
        device = conn.execute(
            sa.select(devices.c.id).where(devices.c.user_id == org.users["olly"])
        ).scalar_one()
        accounts.revoke_device(conn, str(device))
    qtbot.waitUntil(lambda: app.watch.ended, timeout=10_000)
    assert not app.watch.holding and not app.watch.watching and app.watch.client is None
    note = app.unlock_view.watch_note.text()
    assert "The on-call watch ended" in note and app.notifier.last == (
        watch_flow.ENDED_TITLE,
        watch_flow.ENDED,
    )
    polls = app.watch._poll
    assert not polls.isActive()


def test_only_a_rise_is_told_and_in_counts_only() -> None:
    calm = WatchCounts(1, 0, "2026-01-01T20:00:00.000Z")
    assert watch_flow.rise_words(calm, calm) == ""
    assert watch_flow.rise_words(calm, WatchCounts(0, 0, calm.at)) == ""
    both = watch_flow.rise_words(calm, WatchCounts(2, 1, calm.at))
    said = "2 visits overdue in your team; 1 urgent handover note."
    assert both == said + " Unlock Navigator to see them on the On call screen."
