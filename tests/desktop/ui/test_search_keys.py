"""The Caseload search box: Enter opens the selected client (the first one found when none is
selected) and Down moves into the list, as its caption says."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.desktop.ui.helpers import shortcut, type_into, wait_idle


def _search(qtbot, app, typed: str) -> None:
    shortcut(qtbot, app, "Ctrl+F")
    view = app.caseload_view
    assert app.window.focusWidget() is view.search  # offscreen windows are never active: ask the window
    type_into(qtbot, view.search, typed)
    qtbot.waitUntil(lambda: view.proxy.rowCount() > 0)


def test_enter_in_the_search_box_opens_the_first_client_found(qtbot, app) -> None:
    view = app.caseload_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() > 0)
    family = str(view.proxy.index(0, 0).data()).split(",")[0]
    _search(qtbot, app, family)
    wanted = view.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    assert app.window.current_screen() == "client" and app.client_view.record.client["id"] == wanted
    wait_idle(qtbot, app)


def test_down_moves_into_the_list_and_enter_there_opens_the_client(qtbot, app) -> None:
    view = app.caseload_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() > 1)
    _search(qtbot, app, "a")
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert app.window.focusWidget() is view.table and view.table.currentIndex().row() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    second = view.table.currentIndex()
    assert second.row() == 1
    wanted = second.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    assert app.client_view.record.client["id"] == wanted
    wait_idle(qtbot, app)


def test_enter_opens_the_selected_client_not_the_first(qtbot, app) -> None:
    view = app.caseload_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() > 1)
    _search(qtbot, app, "a")
    view.table.selectRow(1)
    wanted = view.proxy.index(1, 0).data(Qt.ItemDataRole.UserRole)
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    assert app.client_view.record.client["id"] == wanted
    wait_idle(qtbot, app)


def test_the_on_call_finder_enter_shows_the_first_client_found_and_down_moves_into_the_list(
    qtbot, app
) -> None:
    shortcut(qtbot, app, "Ctrl+4")
    view = app.on_call_view
    app.on_call.refresh()
    qtbot.waitUntil(lambda: view.finder.rowCount() > 1, timeout=20_000)
    family = str(view.finder.index(0, 0).data()).split(",")[0]
    type_into(qtbot, view.search, family)
    wanted = view.finder.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.summary is not None, timeout=20_000)
    assert f"{view.summary.client['family_name']}, {view.summary.client['given_name']}" == wanted
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert app.window.focusWidget() is view.client_table
    wait_idle(qtbot, app)
