"""Every item model passes Qt's model tester, filled from the demo vault and through resets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from navigator_desktop.store.clients import CaseloadRow
from navigator_desktop.ui.models.caseload import CaseloadModel
from navigator_desktop.ui.models.caseload_filter import CaseloadFilter
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


def _row(client_id: str, family: str, risk: str = "") -> CaseloadRow:
    return CaseloadRow(client_id, "Sam", family, None, "active", None, int(bool(risk)), risk, (), None, None,
                       None, None)  # fmt: skip


def _shown(proxy: CaseloadFilter) -> list[str]:
    return [
        proxy.caseload.row(proxy.mapToSource(proxy.index(i, 0)).row()).client_id
        for i in range(proxy.rowCount())
    ]


def test_the_caseload_filter_follows_every_change_of_rows_names_and_order(qtbot):
    """Its answers are worked out for all rows at once (one look-up per row from Qt); each new
    generation of rows, a renamed client or a new order is filtered afresh."""
    model = CaseloadModel()
    proxy = CaseloadFilter(model)
    model.set_rows([_row("a", "Okafor", "high"), _row("b", "Osei"), _row("c", "Patel", "low")])
    proxy.set_text("o")
    assert _shown(proxy) == ["a", "b"]
    proxy.set_view("risk")
    assert _shown(proxy) == ["a"]
    proxy.set_also({"c"})  # its notes match
    assert _shown(proxy) == ["a", "c"]
    proxy.set_view("all")
    proxy.set_text("pat")
    assert _shown(proxy) == ["c"]
    assert model.update_row(_row("b", "Patterson"))  # renamed: now matches
    assert _shown(proxy) == ["b", "c"]
    model.sort(0, Qt.SortOrder.AscendingOrder)  # Patel before Patterson
    assert _shown(proxy) == ["c", "b"]
    model.set_rows([_row("d", "Pattinson"), _row("e", "Jones")])
    assert _shown(proxy) == ["d"]
    proxy.set_text("")
    assert sorted(_shown(proxy)) == ["d", "e"]


def test_the_selected_client_stays_selected_while_the_filter_narrows_and_widens(qtbot):
    """A change of filter is a layout change: the selection follows the client, not the row number,
    and is dropped only when the client is no longer shown."""
    from PySide6.QtCore import QPersistentModelIndex

    model = CaseloadModel()
    proxy = CaseloadFilter(model)
    model.set_rows([_row("a", "Okafor"), _row("b", "Osei"), _row("c", "Patel")])
    kept = QPersistentModelIndex(proxy.index(1, 0))  # Osei
    proxy.set_text("os")
    assert (
        kept.isValid()
        and kept.row() == 0
        and proxy.index(kept.row(), 0).data(Qt.ItemDataRole.UserRole) == "b"
    )
    proxy.set_text("")
    assert kept.row() == 1
    proxy.set_text("pat")
    assert not kept.isValid()


def test_the_caseload_columns_are_fitted_when_loaded_not_at_each_keystroke(qtbot, app):
    """Fitting columns to their contents measures sixty rows of each column: at every keystroke it
    was most of the repaint (ui_bench's stalls), and the columns jumped as the person typed."""
    from PySide6.QtWidgets import QHeaderView

    view = app.caseload_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() > 1)
    header = view.table.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Interactive
    widths = [header.sectionSize(i) for i in range(header.count() - 1)]
    assert min(widths) > 30  # fitted to the loaded rows, not left at a default
    view.search.setText(str(view.proxy.index(0, 0).data()).split(",")[0])
    assert [header.sectionSize(i) for i in range(header.count() - 1)] == widths
