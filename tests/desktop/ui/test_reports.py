"""The Reports screen shows the store's numbers for the demo caseload, refreshes, passes the model
tester, and saves a table as CSV (written where chosen, audited)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QPushButton

from navigator_core import timeutil
from navigator_desktop.documents import report_csv
from navigator_desktop.store import contacts, reports
from navigator_desktop.ui.flows.reports import ReportsFlow
from navigator_desktop.ui.flows.signed_in import actor_of
from navigator_desktop.ui.views.reports import ReportsView
from tests.desktop.ui.conftest import wait_idle
from tests.desktop.ui.helpers import save_report_table

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def open_reports(qtbot, app) -> tuple[ReportsFlow, ReportsView]:
    flow = app.reports  # app.py installs the screen, so it has its navigation entry (Ctrl+5)
    view = flow.view
    assert app.window.screens["reports"] is view
    app.window.nav["reports"].trigger()
    qtbot.waitUntil(lambda: view.report is not None, timeout=20_000)
    return flow, view


def expected(app, view: ReportsView) -> reports.Report:
    period = view.selected_period()
    return app.runner.call(lambda s: reports.build(s.db, s.actor.user_id, period))


def test_reports_screen_shows_the_store_numbers(qtbot, app):
    _flow, view = open_reports(qtbot, app)
    testers = [QAbstractItemModelTester(m, FATAL) for m in view.models.values()]
    report = expected(app, view)
    assert view.report is not None and view.report.scope == report.scope
    assert report.scope.kind == "caseload" and report.contacts > 0
    assert view.scope.text().startswith(f"<b>My caseload</b> — {len(report.scope.client_ids)} clients")
    for key, model in view.models.items():
        rows = report_csv.rows(report, key)
        assert model.rowCount() == len(rows), key
        assert [
            [model.cell(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())
        ] == rows
    assert f"({report.did_not_attend} of {report.attempted})" in view.figures["dna"].text()
    assert view.contacts_chart.bars == [
        (f"{m.month:%b %y}", round(m.per_client, 2)) for m in report.months if m.per_client is not None
    ]
    assert "Housing" in view.outcomes_chart.accessibleDescription()
    # Who retention removed from this laptop is said, with the period, not silently left out.
    days = report.retention.days
    assert f"discharged more than {days} days ago have left this laptop" in view.retention.text()
    assert ("not shown" in view.equality_note.text()) == (report.equality_withheld is not None)
    for chart in (view.contacts_chart, view.outcomes_chart):  # they paint, even on a hidden tab
        assert not chart.grab().isNull()
    # Another period: the screen follows, on the worker thread.
    view.period.setCurrentIndex(2)
    qtbot.waitUntil(lambda: view.report is not None and len(view.report.months) == 3, timeout=20_000)
    assert view.models["contacts_by_month"].rowCount() == 3
    # A new contact changes the numbers on screen without asking.
    before = view.report.contacts
    client_id = report.scope.client_ids[0]
    when = timeutil.to_text(timeutil.utcnow().replace(day=1) - timedelta(days=20))
    values = {
        "client_id": client_id,
        "occurred_at": when,
        "contact_type": "phone",
        "narrative": "Rang to check in.",
    }
    app.bus.publish(app.runner.call(lambda s: contacts.add(s.db, actor_of(s), values)))
    qtbot.waitUntil(lambda: view.report is not None and view.report.contacts == before + 1, timeout=20_000)
    # Locking drops every figure.
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: view.report is None and view.models["contacts_by_month"].rowCount() == 0)
    assert len(testers) == len(view.models)


def test_saving_a_table_as_csv_writes_the_file_and_audits_it(qtbot, app, tmp_path, monkeypatch):
    _flow, view = open_reports(qtbot, app)
    target = tmp_path / "months.csv"
    asked = save_report_table(qtbot, app, monkeypatch, "contacts_by_month", target)
    assert asked == [report_csv.filename(view.report, "contacts_by_month")]
    text = target.read_text("utf-8")
    assert "have left this laptop under the retention rule" in text
    rows = list(csv.DictReader(io.StringIO(report_csv.table_text(text))))
    assert [int(r["Contacts"]) for r in rows] == [m.contacts for m in view.report.months]
    events = app.runner.call(
        lambda s: s.db.query("SELECT action, target_kind, reason FROM audit_events WHERE action = 'export'")
    )
    assert events == [
        {
            "action": "export",
            "target_kind": "report",
            "reason": f"{report_csv.describe(view.report, 'contacts_by_month')} to months.csv",
        }
    ]
    assert view.state.text() == "Saved months.csv."
    # Cancelling the save dialog writes nothing and records nothing.
    monkeypatch.setattr(view, "ask_save_path", lambda suggested: None)
    view.findChild(QPushButton, "export_equality").click()
    wait_idle(qtbot, app)
    assert (
        app.runner.call(lambda s: s.db.scalar("SELECT count(*) FROM audit_events WHERE action = 'export'"))
        == 1
    )
