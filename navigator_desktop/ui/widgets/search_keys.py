"""Keys that take a search box to its results: Enter opens the selected result (the first when
none is selected), Down moves into the list. The lists are tried in order; the first with rows
is the one the keys reach."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
HINT = "Enter opens the selected (or first) result; Down moves into the list."


class SearchKeys(QObject):
    def __init__(
        self,
        search: QLineEdit,
        lists: Sequence[QAbstractItemView],
        open_result: Callable[[QModelIndex], None],
    ):
        super().__init__(search)
        self.search, self.lists, self.open_result = search, list(lists), open_result
        search.installEventFilter(self)
        search.setToolTip(HINT)  # the same words on every search box
        search.setAccessibleDescription(HINT)

    def _target(self) -> QAbstractItemView | None:
        return next((v for v in self.lists if v.isVisible() and v.model().rowCount() > 0), None)

    def _chosen(self, view: QAbstractItemView) -> QModelIndex:
        selected = view.selectionModel().selectedRows() if view.selectionModel() else []
        return selected[0] if selected else view.model().index(0, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.search or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        view = self._target()
        if view is None:
            return False
        if event.key() in ENTER:
            self.open_result(self._chosen(view))
            return True
        if event.key() == Qt.Key.Key_Down:
            index = self._chosen(view)
            view.setFocus(Qt.FocusReason.TabFocusReason)
            view.setCurrentIndex(index)
            view.selectionModel().select(
                index,
                view.selectionModel().SelectionFlag.ClearAndSelect | view.selectionModel().SelectionFlag.Rows,
            )
            return True
        return False
