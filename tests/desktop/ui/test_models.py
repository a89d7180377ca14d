"""Every item model passes Qt's model tester, filled from the demo vault and through resets."""

from __future__ import annotations

from PySide6.QtTest import QAbstractItemModelTester

from tests.desktop.ui.helpers import open_first_client, wait_idle

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_every_item_model_passes_the_model_tester(qtbot, app):
    open_first_client(qtbot, app)
    models = [
        app.caseload_model,
        app.caseload_view.proxy,
        app.caseload_view.hits,
        app.today_view.visits,
        app.today_view.reviews,
        app.today_view.risk_reviews,
        app.today_view.handover,
        app.client_view.contacts,
        app.client_view.risks,
        app.client_view.goals,
        app.client_view.notes,
        app.client_view.audit,
        app.client_view.versions,
    ]
    testers = [QAbstractItemModelTester(m, FATAL) for m in models]
    assert app.client_view.contacts.rowCount() > 0
    # Exercise them: sort, filter, search, refresh and drop everything.
    view = app.caseload_view
    for column in range(app.caseload_model.columnCount()):
        view.table.sortByColumn(column, view.table.horizontalHeader().sortIndicatorOrder())
    view.filter.setCurrentIndex(1)
    view.search.setText("a")
    qtbot.waitUntil(lambda: view.hits.rowCount() > 0, timeout=10_000)
    view.filter.setCurrentIndex(0)
    app.client.refresh()
    app.caseload.refresh()
    app.today.refresh()
    wait_idle(qtbot, app)
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: app.caseload_model.rowCount() == 0, timeout=10_000)
    assert len(testers) == len(models)
