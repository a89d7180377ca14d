"""Connect to your organisation: offered after the vault is made, against a real central store on
loopback; success starts the sync, and each failure (nothing listening, no secure connection, a
used, expired or someone else's code, a wrong password, a disabled account, too many attempts)
gets its own sentence and puts the focus where the person should look again."""

from __future__ import annotations

import contextlib
import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from navigator_core import timeutil
from navigator_desktop.app import Navigator
from navigator_desktop.ui.flows.enrolment import MENU_TEXT
from navigator_desktop.ui.widgets.sync_status import NOT_ENROLLED
from navigator_desktop.vault import KdfParams
from navigator_server.db import Database
from navigator_server.schema import enrolment_codes, users
from tests.desktop.ui.test_mnemonics import _letter
from tests.e2e.harness import PASSPHRASE, PASSWORD, Laptop, Org, free_port, live_server
from tests.server.conftest import sqlite_db, sqlite_template  # noqa: F401 - fixtures
from tests.server.test_escalation_channels import self_signed


@pytest.fixture
def served(sqlite_db: Database) -> Iterator[tuple[Org, str]]:  # noqa: F811
    org = Org(sqlite_db, sqlite_db.settings)
    org.person("ann")
    with live_server(org.app()) as url:
        yield org, url


@pytest.fixture
def fresh(qtbot, tmp_path: Path) -> Iterator[Navigator]:
    """The app on a new laptop: the vault is made on the first-run screen, then the dialog shows."""
    app = Navigator(tmp_path / "data", kdf=KdfParams.for_tests(), tray=False)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitUntil(lambda: app.window.current_screen() == "create", timeout=20_000)
    view = app.create_view
    view.first.setText(PASSPHRASE)
    view.second.setText(PASSPHRASE)
    view.recovery.setChecked(False)
    view.button.click()
    qtbot.waitUntil(
        lambda: app.enrolment.dialog is not None and app.enrolment.dialog.isVisible(), timeout=20_000
    )
    qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=20_000)
    yield app
    app.shutdown()


def connect(
    qtbot, app: Navigator, server: str, code: str, password: str = PASSWORD, user: str = "ann"
) -> str:
    """Type into the dialog, press Connect and wait for the answer; the dialog's message."""
    dialog = app.enrolment.dialog
    assert dialog is not None
    for field, text in ((dialog.server, server), (dialog.username, user), (dialog.code, code),
                        (dialog.password, password)):  # fmt: skip
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.connect_button.click()
    assert not dialog.connect_button.isEnabled()  # busy while the network job runs
    qtbot.waitUntil(lambda: app.enrolment.dialog is None or dialog.connect_button.isEnabled(), timeout=30_000)
    return "" if app.enrolment.dialog is None else dialog.message.text()  # closed: it worked


def test_a_new_vault_offers_the_connection_and_success_starts_the_sync(qtbot, fresh, served) -> None:
    org, url = served
    app = fresh
    assert app.enrolment.action.isVisible() and app.enrolment.action.isEnabled()
    qtbot.waitUntil(lambda: app.sync.widget.state.text() == NOT_ENROLLED, timeout=20_000)
    connect(qtbot, app, url, org.code("ann"))
    assert app.enrolment.dialog is None
    assert "connected to your organisation as ann" in app.window.status.text()
    assert not app.enrolment.action.isVisible()
    # The sync status follows, and the first sync runs and finishes.
    qtbot.waitUntil(lambda: app.sync.last is not None and app.sync.last.enrolled, timeout=20_000)
    qtbot.waitUntil(lambda: app.sync.widget.last.text() not in ("", "Last sync: never"), timeout=30_000)
    assert app.sync.widget.state.text() != NOT_ENROLLED
    assert app.signed_in.who is not None  # ann is signed in: records can be written


@contextlib.contextmanager
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """An https server on loopback whose certificate nobody trusts."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _used_code(org: Org, url: str, tmp_path: Path) -> str:
    code = org.code("ann")
    laptop = Laptop(tmp_path / "other", url)
    laptop.engine.enrol(url, "ann", code, PASSWORD)
    laptop.close()
    return code


def _expired_code(org: Org) -> str:
    code = org.code("ann")
    with org.db.write() as conn:
        conn.execute(enrolment_codes.update().values(expires_at=timeutil.now_text()))
    return code


def _disabled(org: Org) -> str:
    code = org.code("ann")
    with org.db.write() as conn:
        conn.execute(users.update().where(users.c.username == "ann").values(active=False))
    return code


def _too_many(org: Org, url: str) -> str:
    code = org.code("ann")
    for _ in range(org.settings.auth_max_failures):
        body = {"username": "ann", "code": code, "password": "not the password", "device_name": "x"}
        assert httpx.post(f"{url}/v1/enrol", json=body).status_code == 401
    return code


def _someone_elses(org: Org) -> str:
    org.person("bob")
    return org.code("bob")


# (case, the words its sentence must have, the field that takes the focus). Both TLS cases get the
# one sentence about the certificate (it says to check the address, too).
FAILURES = [
    ("unreachable", "could not reach 127.0.0.1", "server"),
    ("plain http port", "secure connection to 127.0.0.1 could not be made", "server"),
    ("self-signed", "secure connection to 127.0.0.1 could not be made", "server"),
    ("used code", "used already", "code"),
    ("expired code", "has expired", "code"),
    ("someone else's code", "not issued for ann", "code"),
    ("wrong password", "username or password is wrong", "password"),
    ("disabled", "disabled your account", ""),
    ("too many", "Too many failed attempts", ""),
]


def _attempt(case: str, org: Org, url: str, tmp_path: Path) -> tuple[str, str, str]:
    """(server, code, password) for a failure case, set up on the real server."""
    port = url.rsplit(":", 1)[1]
    if case == "unreachable":
        return f"http://127.0.0.1:{free_port()}", org.code("ann"), PASSWORD
    if case == "plain http port":
        return f"https://127.0.0.1:{port}", org.code("ann"), PASSWORD
    if case == "used code":
        return url, _used_code(org, url, tmp_path), PASSWORD
    if case == "expired code":
        return url, _expired_code(org), PASSWORD
    if case == "someone else's code":
        return url, _someone_elses(org), PASSWORD
    if case == "wrong password":
        return url, org.code("ann"), "not the password"
    if case == "disabled":
        return url, _disabled(org), PASSWORD
    assert case == "too many"
    return url, _too_many(org, url), PASSWORD


@pytest.mark.parametrize(("case", "words", "field"), FAILURES, ids=[f[0] for f in FAILURES])
def test_each_failure_says_why_and_what_next(qtbot, fresh, served, tmp_path, case, words, field) -> None:
    org, url = served
    app = fresh
    dialog = app.enrolment.dialog
    if case == "self-signed":
        with self_signed_server(tmp_path) as https:
            said = connect(qtbot, app, https, org.code("ann"))
    else:
        server, code, password = _attempt(case, org, url, tmp_path)
        said = connect(qtbot, app, server, code, password)
    assert app.enrolment.dialog is dialog and dialog.isVisible()  # still open, to try again
    assert dialog.height() >= dialog.sizeHint().height()  # grown to show the sentence, nothing squeezed
    assert words in said, said
    assert not [other for _, other, _ in FAILURES if other != words and other in said]  # told apart
    assert said.rstrip().endswith(".") and len(said.split(". ")) >= 2  # why, then what to do
    if field:
        assert dialog.fields[field].hasFocus()
    assert app.enrolment.action.isVisible()  # still offered in the menu
    assert app.sync.widget.state.text() == NOT_ENROLLED


def test_an_empty_field_is_named_before_anything_is_sent(qtbot, fresh) -> None:
    dialog = fresh.enrolment.dialog
    qtbot.keyClicks(dialog.server, "https://navigator.example")
    dialog.connect_button.click()
    assert dialog.message.text() == "Type the username first."
    assert dialog.username.hasFocus() and dialog.connect_button.isEnabled()


def test_not_now_leaves_it_in_the_navigator_menu(qtbot, fresh) -> None:
    fresh.enrolment.dialog.later.click()
    assert fresh.enrolment.dialog is None
    menu = fresh.window.menuBar().actions()[0].menu()
    entries = [a.text() for a in menu.actions()]
    assert MENU_TEXT in entries and fresh.enrolment.action.isEnabled()
    letters = [t[t.index("&") + 1].lower() for t in entries if "&" in t]
    assert letters.count("o") == 1  # Alt+O is this entry's alone in the menu
    fresh.enrolment.action.trigger()
    assert fresh.enrolment.dialog is not None and fresh.enrolment.dialog.isVisible()


def test_the_dialog_has_no_two_things_on_one_alt_letter(qtbot, fresh) -> None:
    dialog = fresh.enrolment.dialog
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    texts += [button.text() for button in dialog.findChildren(QPushButton) if button.isVisible()]
    found = [_letter(text) for text in texts]
    assert len(found) == 6 and None not in found and len(set(found)) == 6


def test_an_enrolled_laptop_has_no_connect_entry(qtbot, enrolled) -> None:
    app = enrolled[0]
    qtbot.waitUntil(lambda: not app.enrolment.action.isVisible(), timeout=10_000)
    assert app.sync.widget.state.text() != NOT_ENROLLED
