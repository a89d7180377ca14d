"""A real app process for the crash test: unlock, open a contact and a risk flag, type into both,
wait past the draft debounce, say READY on standard output, then wait to be killed (SIGKILL).

    python -m tests.desktop.ui.typing_then_killed DATA_DIR
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.ui.draft_autosave import DEBOUNCE_MS
from navigator_desktop.ui.forms.record_form import RecordForm
from navigator_desktop.vault import KdfParams

NARRATIVE = "Seen in the car after the visit; he said the hostel"
RISK_DESCRIPTION = "Two dogs loose in the yard, one bit the postman last"
RISK_PLAN = "Phone ahead so the dogs are"


def wait_until(done: Callable[[], bool], seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        QTest.qWait(20)


def form_named(app: Navigator, name: str) -> RecordForm:
    wait_until(lambda: any(f.name == name for f in app.forms.open_forms.values()))
    return next(f for f in app.forms.open_forms.values() if f.name == name)


def main(data: Path) -> None:
    qt = QApplication.instance() or QApplication(sys.argv)
    app = Navigator(data, kdf=KdfParams.for_tests())
    app.start()
    wait_until(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
    QTest.keyClicks(app.unlock_view.passphrase, demo.DEMO_PASSPHRASE)
    QTest.keyClick(app.unlock_view.passphrase, Qt.Key.Key_Return)
    wait_until(lambda: app.window.current_screen() == "today" and app.runner.pending == 0)
    app.window.nav["caseload"].trigger()
    wait_until(lambda: app.caseload_model.rowCount() > 0)
    app.caseload_view.table.selectRow(0)
    QTest.keyClick(app.caseload_view.table, Qt.Key.Key_Return)
    wait_until(lambda: app.client_view.record is not None and app.runner.pending == 0)
    record = app.client_view.record
    client_id, name = record.client["id"], record.client.get("preferred_name") or "client"
    app.forms.new_contact(client_id, name)
    contact = form_named(app, "contact")
    QTest.keyClicks(contact.editors["narrative"].widget, NARRATIVE)
    app.forms.raise_risk(client_id, name)
    risk = form_named(app, "risk")
    QTest.keyClicks(risk.editors["description"].widget, RISK_DESCRIPTION)
    QTest.keyClicks(risk.editors["management_plan"].widget, RISK_PLAN)
    QTest.qWait(DEBOUNCE_MS + 500)  # past the debounce: the drafts are queued
    wait_until(lambda: app.runner.pending == 0)
    print("READY", client_id, flush=True)
    qt.exec()  # until killed


if __name__ == "__main__":
    main(Path(sys.argv[1]))
