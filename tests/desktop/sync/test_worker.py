"""The sync worker on its own thread, the status widget and the conflict dialog."""

from __future__ import annotations

from navigator_desktop.store import conflicts, records
from navigator_desktop.sync.engine import Direct, SyncEngine
from navigator_desktop.sync.status import SyncStatus
from navigator_desktop.sync_worker import SyncWorker
from navigator_desktop.ui.dialogs.conflict import ConflictDialog
from navigator_desktop.ui.widgets.sync_status import NOT_ENROLLED, SyncStatusWidget
from navigator_desktop.vault import KdfParams
from tests.e2e.harness import PASSPHRASE, PASSWORD
from tests.server.helpers import client_values


def test_the_worker_syncs_on_its_thread_when_online_and_stops_cleanly(qtbot, served, runner):
    org, url = served
    org.person("ann")
    code = org.code("ann")
    runner.call(lambda s: SyncEngine(Direct(s)).enrol(url, "ann", code, PASSWORD))
    runner.call(
        lambda s: records.create(s.db, s.actor, "client", client_values(org.team_id, org.users["ann"]))
    )
    worker = SyncWorker(runner, ping_every=0.05)
    statuses: list[SyncStatus] = []
    worker.status_changed.connect(statuses.append)
    with qtbot.waitSignal(worker.finished, timeout=20_000) as done:
        worker.start()
    assert done.args[0].pushed >= 2  # the client and its audit event
    qtbot.waitUntil(lambda: any(s.online and s.waiting == 0 and s.last_sync_at for s in statuses))
    with qtbot.waitSignal(worker.finished, timeout=20_000):
        worker.sync_now()
    worker.stop()
    assert not worker.running


def test_the_status_widget_shows_offline_waiting_and_risk_conflicts(qtbot):
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.show_status(SyncStatus(True, False, False, 3, 2, 1, "2026-01-02T10:00:00.000000Z"))
    assert widget.state.text() == "Offline"
    assert widget.waiting.text() == "3 changes waiting"
    assert "2 conflicts" in widget.review.text() and "risk" in widget.review.text()
    assert "02 Jan" in widget.last.text()


def test_the_conflict_dialog_shows_both_sides_and_returns_the_choice(qtbot):
    conflict = conflicts.Conflict(
        1,
        "risk_flag",
        "r",
        "c",
        "severity",
        "high",
        "1767348000000.00000.dev-a",
        None,
        "low",
        "1767347000000.00000.dev-b",
        None,
        "2026-01-02T10:00:00Z",
        None,
        None,
        None,
    )
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    shown = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"high", "low"} <= shown
    dialog.take_button.click()
    assert dialog.choice == conflicts.TAKE_OTHER


def test_the_conflict_dialog_names_who_wrote_each_value_and_when(qtbot):
    from dataclasses import replace

    from PySide6.QtWidgets import QLabel

    conflict = conflicts.Conflict(
        1, "client", "r", "r", "phone", "222", "1767348000000.00000.dev-b", "u-bob",
        "111", "1767347000000.00000.dev-a", "u-ann", "2026-01-02T10:00:00Z", None, None, None,
    )  # fmt: skip
    dialog = ConflictDialog(conflict, {"u-ann": "Ann Navigator", "u-bob": "Bob Peer"})
    qtbot.addWidget(dialog)
    shown = " | ".join(label.text() for label in dialog.findChildren(QLabel))
    # 1767348000000 ms is 2026-01-02 10:00 UTC, which is 10:00 in London in January.
    assert "by Bob Peer, 02 Jan 2026 10:00" in shown
    assert "by Ann Navigator, 02 Jan 2026 09:43" in shown
    unknown = ConflictDialog(replace(conflict, lost_author=None), {})
    qtbot.addWidget(unknown)
    assert any("device dev-a" in label.text() for label in unknown.findChildren(QLabel))


def test_install_sync_puts_the_indicator_in_the_status_bar_and_follows_lock(qtbot, tmp_path):
    from navigator_desktop.app import Navigator

    navigator = Navigator(tmp_path / "app", kdf=KdfParams.for_tests())
    qtbot.addWidget(navigator.window)
    wiring = navigator.sync  # the app installs it (app.py)
    assert wiring.widget.parent() is not None
    navigator.runner.call(lambda s: s.create(PASSPHRASE, recovery_key=False))
    navigator.vault_flow.unlocked.emit()
    assert wiring.worker.running
    qtbot.waitUntil(lambda: wiring.widget.state.text() == NOT_ENROLLED)
    jobs: list[bool] = []
    navigator.runner.busy_changed.connect(jobs.append)
    qtbot.wait(200)
    assert len(jobs) < 10, "refreshing the indicator does not feed itself"
    navigator.vault_flow.locked.emit()
    assert not wiring.worker.running
    navigator.shutdown()
