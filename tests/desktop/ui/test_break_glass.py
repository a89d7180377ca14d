"""Break-glass and the access audit in the app: the reason dialog, the fetch off the GUI thread,
the red banner, nothing kept in the vault, plain messages when it cannot, and the manager's table."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QLabel

from navigator_desktop.session import Session
from navigator_desktop.store import settings
from navigator_desktop.sync import break_glass
from navigator_desktop.sync.access_audit import AccessAudit, AccessAuditError, AccessEntry
from navigator_desktop.sync.break_glass import BreakGlassError, BreakGlassRecord, ServerConfig
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.dialogs.break_glass import BreakGlassWindow, ReasonDialog
from navigator_desktop.ui.flows.access_audit import AccessAuditFlow
from navigator_desktop.ui.flows.break_glass import BreakGlassFlow
from navigator_desktop.ui.views.access_audit import AccessAuditView
from navigator_desktop.vault import KdfParams
from tests.desktop.ui.helpers import wait_idle

CLIENT = "6f1c1f38-8f7a-4f51-9a52-1b2a7f0e1c11"
NOTE = "9d1c1f38-8f7a-4f51-9a52-1b2a7f0e1c12"
REASON = "Police welfare check requested tonight"


def sample(reason: str = REASON) -> BreakGlassRecord:
    client = {
        "kind": "client",
        "id": CLIENT,
        "data": {"given_name": "Jo", "family_name": "Bloggs"},
        "meta": {},
    }
    contact = {
        "kind": "contact",
        "id": NOTE,
        "data": {
            "client_id": CLIENT,
            "narrative": "Talked <b>about</b> the tenancy.",
            "contact_type": "phone",
        },
        "meta": {"recorded_at": "2026-11-20T10:00:00.000Z"},
    }
    return BreakGlassRecord(CLIENT, reason, [client, contact])


@pytest.fixture
def runner(qtbot, tmp_path: Path) -> Iterator[TaskRunner[Session]]:
    session = Session(tmp_path / "vault", KdfParams.for_tests())
    session.create("a long enough passphrase for tests only", recovery_key=False)
    task_runner: TaskRunner[Session] = TaskRunner(session)
    yield task_runner
    task_runner.call(lambda s: s.lock())
    task_runner.stop()


def enrol(runner: TaskRunner[Session], url: str = "http://127.0.0.1:9") -> None:
    def put(s: Session) -> None:
        settings.put(s.db, settings.SERVER_URL, url)
        settings.put(s.db, settings.DEVICE_TOKEN, "nav_token")

    runner.call(put)


def count_rows(runner: TaskRunner[Session]) -> int:
    def count(s: Session) -> int:
        tables = [r["name"] for r in s.db.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return sum(s.db.one(f'SELECT count(*) AS n FROM "{t}"')["n"] for t in tables if "fts" not in t)

    return runner.call(count)


def test_the_reason_dialog_says_it_is_audited_and_refuses_short_reasons(qtbot) -> None:
    dialog = ReasonDialog("Jo Bloggs", break_glass.check_reason)
    qtbot.addWidget(dialog)
    assert "recorded on the central store" in dialog.explain.text()
    assert not dialog.open_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "because")
    assert not dialog.open_button.isEnabled() and "at least 10 characters" in dialog.hint.text()
    qtbot.keyClicks(dialog.reason, " the police asked")
    assert dialog.open_button.isEnabled() and "audited" in dialog.hint.text()


def test_the_record_is_fetched_off_the_gui_thread_and_shown_under_a_red_banner(qtbot, runner) -> None:
    enrol(runner)
    before = count_rows(runner)
    threads: list[str] = []

    def fake(config: ServerConfig, client_id: str, reason: str) -> BreakGlassRecord:
        threads.append(threading.current_thread().name)
        assert (config.url, config.token, client_id) == ("http://127.0.0.1:9", "nav_token", CLIENT)
        return sample(reason)

    flow = BreakGlassFlow(None, runner, fetcher=fake)
    flow.request(CLIENT, "Jo Bloggs")
    assert flow.dialog is not None
    qtbot.keyClicks(flow.dialog.reason, REASON)
    with qtbot.waitSignal(flow.opened, timeout=10_000) as opened:
        flow.dialog.open_button.click()
    window: BreakGlassWindow = opened.args[0]
    qtbot.addWidget(window)
    assert threads and threads[0] != threading.main_thread().name
    assert window.banner.text() == f"Break-glass access: {REASON} — audited"
    assert "background: #b00020" in window.banner.styleSheet() and window.isVisible()
    html = window.body.toPlainText()
    assert "Talked <b>about</b> the tenancy." in html  # escaped, shown as typed
    assert "not saved on this laptop" in html
    assert count_rows(runner) == before  # nothing of it went into the vault
    flow.close_all()
    assert flow.windows == [] and window.record is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [(None, break_glass.NOT_ENROLLED), ("http://127.0.0.1:9", break_glass.OFFLINE)],
)
def test_without_a_connection_it_says_plainly_why_it_cannot(qtbot, runner, url, expected) -> None:
    if url:
        enrol(runner, url)
    flow = BreakGlassFlow(None, runner)
    flow.request(CLIENT, "Jo Bloggs")
    assert flow.dialog is not None
    qtbot.keyClicks(flow.dialog.reason, REASON)
    with qtbot.waitSignal(flow.failed, timeout=20_000) as failed:
        flow.dialog.open_button.click()
    assert failed.args == [expected]
    assert flow.message is not None and flow.message.text() == expected
    flow.message.close()


def test_a_refusal_from_the_store_is_shown_in_its_own_words(qtbot, runner) -> None:
    enrol(runner)

    def refuse(_config: ServerConfig, _cid: str, _reason: str) -> BreakGlassRecord:
        raise BreakGlassError("The central store refused: break-glass is for on-call duty.")

    flow = BreakGlassFlow(None, runner, fetcher=refuse)
    flow.request(CLIENT, "Jo Bloggs")
    assert flow.dialog is not None
    qtbot.keyClicks(flow.dialog.reason, REASON)
    with qtbot.waitSignal(flow.failed, timeout=10_000) as failed:
        flow.dialog.open_button.click()
    assert "on-call duty" in failed.args[0]
    assert flow.message is not None
    flow.message.close()


def entry(action: str, client: str, reason: str | None = None) -> AccessEntry:
    return AccessEntry(
        "2026-11-20T10:00:00.000Z",
        action,
        "server",
        "u1",
        "Ann",
        "d1",
        "Ann's laptop",
        CLIENT,
        client,
        reason,
    )


def test_the_access_audit_table_passes_the_model_tester_and_fills_off_the_gui_thread(qtbot, runner) -> None:
    enrol(runner)
    asked: list[tuple[str | None, str]] = []

    def fake(_config: ServerConfig, client_id: str | None, since: str, until: str) -> AccessAudit:
        asked.append((client_id, threading.current_thread().name))
        assert since < until
        return AccessAudit(
            [entry("break_glass", "Jo Bloggs", REASON), entry("view", "Jo Bloggs")], more=False
        )

    view = AccessAuditView()
    qtbot.addWidget(view)
    tester = QAbstractItemModelTester(view.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    flow = AccessAuditFlow(runner, view, fetcher=fake)
    flow.open()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)
    assert asked[0][0] is None and asked[0][1] != threading.main_thread().name
    cells = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert cells[1:] == ["Ann", "Jo Bloggs", "Break-glass", "Ann's laptop", REASON]
    assert view.client.findData(CLIENT) > 0  # the client can now be picked as a filter
    view.client.setCurrentIndex(view.client.findData(CLIENT))
    view.request_refresh()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=10_000)
    assert asked[1][0] == CLIENT
    flow.close()
    assert view.model.rowCount() == 0
    del tester


def test_a_non_manager_gets_a_clear_refusal(qtbot, runner) -> None:
    enrol(runner)

    def refuse(*_args: object) -> AccessAudit:
        raise AccessAuditError("Only a team manager may read the access audit.")

    view = AccessAuditView()
    qtbot.addWidget(view)
    AccessAuditFlow(runner, view, fetcher=refuse).open()
    qtbot.waitUntil(lambda: "Only a team manager" in view.status.text(), timeout=10_000)
    assert view.model.rowCount() == 0 and view.refresh_button.isEnabled()


def test_install_access_audit_adds_it_to_the_menu_and_empties_it_on_lock(qtbot, app) -> None:
    flow = app.access_audit  # app.py installs it
    qtbot.addWidget(flow.view)
    labels = [a.text() for a in app.window.menuBar().actions()[0].menu().actions()]
    assert labels.count("&Access audit…") == 1
    flow.action.trigger()
    # The demo vault is not enrolled: the screen says so instead of failing.
    qtbot.waitUntil(lambda: "not enrolled" in flow.view.status.text(), timeout=10_000)
    app.lock()
    wait_idle(qtbot, app)
    assert not flow.view.isVisible()


def test_break_glass_windows_close_when_the_app_locks(qtbot, app) -> None:
    flow = app.break_glass  # app.py installs it
    flow._show(sample(), "Jo Bloggs")
    [window] = flow.windows
    qtbot.addWidget(window)
    assert window.isVisible()
    app.lock()
    wait_idle(qtbot, app)
    assert flow.windows == [] and window.record is None


def test_the_on_call_screen_asks_for_a_reason_before_opening_a_record_outside_my_caseload(qtbot, app) -> None:
    app.on_call_view.break_glass_requested.emit("c0000000-0000-4000-8000-0000000000ff", "Jo Bloggs")
    dialog = app.break_glass.dialog
    assert dialog is not None and dialog.isVisible()
    assert "Jo Bloggs" in dialog.windowTitle() + " ".join(w.text() for w in dialog.findChildren(QLabel))
    dialog.reject()
    assert app.break_glass.windows == []


def test_a_fetch_still_in_flight_when_the_app_locks_opens_no_window(qtbot, runner) -> None:
    enrol(runner)
    called, release = threading.Event(), threading.Event()

    def slow(_config: ServerConfig, _cid: str, reason: str) -> BreakGlassRecord:
        called.set()
        assert release.wait(10)
        return sample(reason)

    flow = BreakGlassFlow(None, runner, fetcher=slow)
    opened: list[object] = []
    flow.opened.connect(opened.append)
    flow.request(CLIENT, "Jo Bloggs")
    assert flow.dialog is not None
    qtbot.keyClicks(flow.dialog.reason, REASON)
    flow.dialog.open_button.click()
    qtbot.waitUntil(called.is_set, timeout=10_000)
    flow.close_all()  # the app locks while the server is answering
    release.set()
    qtbot.waitUntil(lambda: flow.job is not None and flow.job.done.is_set(), timeout=10_000)
    qtbot.wait(50)
    assert opened == [] and flow.windows == []


def test_a_failure_arriving_after_the_lock_shows_no_message(qtbot, runner) -> None:
    enrol(runner)
    called, release = threading.Event(), threading.Event()

    def slow_refusal(_config: ServerConfig, _cid: str, _reason: str) -> BreakGlassRecord:
        called.set()
        assert release.wait(10)
        raise BreakGlassError("The central store refused: break-glass is for on-call duty.")

    flow = BreakGlassFlow(None, runner, fetcher=slow_refusal)
    failures: list[str] = []
    flow.failed.connect(failures.append)
    flow.request(CLIENT, "Jo Bloggs")
    assert flow.dialog is not None
    qtbot.keyClicks(flow.dialog.reason, REASON)
    flow.dialog.open_button.click()
    qtbot.waitUntil(called.is_set, timeout=10_000)
    flow.close_all()
    release.set()
    qtbot.waitUntil(lambda: flow.job is not None and flow.job.done.is_set(), timeout=10_000)
    qtbot.wait(50)
    assert failures == [] and flow.message is None


def test_a_fetch_after_the_lock_and_unlock_opens_as_usual(qtbot, runner) -> None:
    enrol(runner)
    flow = BreakGlassFlow(None, runner, fetcher=lambda _c, _i, reason: sample(reason))
    flow.close_all()  # an earlier lock does not spoil later requests
    flow.request(CLIENT, "Jo Bloggs")
    assert flow.dialog is not None
    qtbot.keyClicks(flow.dialog.reason, REASON)
    with qtbot.waitSignal(flow.opened, timeout=10_000) as opened:
        flow.dialog.open_button.click()
    qtbot.addWidget(opened.args[0])
    flow.close_all()
    assert flow.windows == []


def test_an_access_audit_arriving_after_the_lock_does_not_fill_the_hidden_view(qtbot, runner) -> None:
    enrol(runner)
    called, release = threading.Event(), threading.Event()

    def slow(_config: ServerConfig, _client_id: str | None, _since: str, _until: str) -> AccessAudit:
        called.set()
        assert release.wait(10)
        return AccessAudit([entry("break_glass", "Jo Bloggs", REASON)], more=False)

    view = AccessAuditView()
    qtbot.addWidget(view)
    flow = AccessAuditFlow(runner, view, fetcher=slow)
    flow.open()
    qtbot.waitUntil(called.is_set, timeout=10_000)
    flow.close()  # the app locks while the server is answering
    release.set()
    qtbot.waitUntil(lambda: flow.job is not None and flow.job.done.is_set(), timeout=10_000)
    qtbot.wait(50)
    assert view.model.rowCount() == 0 and not view.isVisible()
