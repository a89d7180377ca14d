"""Filters the caseload by typed text and by a chosen view (risk, overdue review, visit planned).

Not a QSortFilterProxyModel: that one asks Python once per row whether to show it (4,290 calls
from C++ for a team's caseload at each keystroke), and at each repaint maps every role of every
visible cell back to the caseload through two more Python calls. Here the rows shown are worked
out for all rows at once in Python, as a list of the caseload's row numbers, and a change of
filter is a layout change that keeps the selection on the clients still shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from navigator_desktop.ui import text
from navigator_desktop.ui.models.caseload import ROLES, CaseloadModel, Index

FILTERS = {
    "all": "All my clients",
    "risk": "With active risk flags",
    "high": "High risk",
    "overdue": "Review overdue",
    "visit": "Visit planned",
}


class CaseloadFilter(QAbstractTableModel):
    def __init__(self, model: CaseloadModel, parent: Any = None):
        super().__init__(parent)
        self.caseload = model
        self._words: list[str] = []
        self._also: set[str] = set()  # clients whose notes matched the search
        self._view = "all"
        self._shown: list[int] = []  # the caseload's row numbers, in its order
        self._kept: list[tuple[QModelIndex, str]] = []  # during a layout change: index, client id
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._reset)
        model.layoutAboutToBeChanged.connect(self._about_to_change)
        model.layoutChanged.connect(self._changed)
        # A client's row replaced in place (renamed, new risk): shown again, or no longer.
        model.dataChanged.connect(lambda *_: self._refilter())
        self._shown = self._answers()

    # -- what is shown -------------------------------------------------------------------------

    def set_text(self, typed: str) -> None:
        self._refilter(words=typed.casefold().split(), also=set())

    def set_also(self, client_ids: set[str]) -> None:
        """Also show these clients while the text is typed (their notes match it)."""
        self._refilter(also=client_ids)

    def set_view(self, view: str) -> None:
        self._refilter(view=view)

    def _refilter(self, **wanted: Any) -> None:
        self._about_to_change()
        self._words = wanted.get("words", self._words)
        self._also = wanted.get("also", self._also)
        self._view = wanted.get("view", self._view)
        self._changed()

    def _answers(self) -> list[int]:
        rows, words, also = self.caseload.rows(), self._words, self._also
        if words:
            names = self.caseload.folded_names()
            shown = [words[0] in name for name in names]
            for word in words[1:]:
                shown = [ok and word in name for ok, name in zip(shown, names, strict=True)]
            if also:
                shown = [ok or row.client_id in also for ok, row in zip(shown, rows, strict=True)]
        else:
            shown = [True] * len(rows)
        view = self._view
        if view == "risk":
            shown = [ok and row.risk_count > 0 for ok, row in zip(shown, rows, strict=True)]
        elif view == "high":
            shown = [ok and row.risk_level == "high" for ok, row in zip(shown, rows, strict=True)]
        elif view == "overdue":
            today = text.today()
            shown = [
                ok and bool(row.review_due and row.review_due[:10] < today)
                for ok, row in zip(shown, rows, strict=True)
            ]
        elif view == "visit":
            shown = [ok and row.next_visit is not None for ok, row in zip(shown, rows, strict=True)]
        return [i for i, ok in enumerate(shown) if ok]

    # -- following the caseload ----------------------------------------------------------------

    def _reset(self) -> None:
        self._shown = self._answers()
        self.endResetModel()

    def _about_to_change(self) -> None:
        self.layoutAboutToBeChanged.emit()
        rows, shown = self.caseload.rows(), self._shown
        self._kept = [
            (p, rows[shown[p.row()]].client_id)
            for p in self.persistentIndexList()
            if 0 <= p.row() < len(shown)
        ]

    def _changed(self) -> None:
        self._shown = self._answers()
        rows = self.caseload.rows()
        where = {rows[source].client_id: i for i, source in enumerate(self._shown)}
        for old, client_id in self._kept:
            moved = where.get(client_id)
            new = QModelIndex() if moved is None else self.index(moved, old.column())
            self.changePersistentIndex(old, new)
        self._kept = []
        self.layoutChanged.emit()

    # -- the table -----------------------------------------------------------------------------

    def mapToSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return QModelIndex()
        return self.caseload.index(self._shown[index.row()], index.column())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return self.caseload.columnCount(parent)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self.caseload.headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ROLES:  # most of what a repaint asks for
            return None
        r = index.row()
        if not 0 <= r < len(self._shown) or not index.isValid():
            return None
        return self.caseload.value(self.caseload.row(self._shown[r]), index.column(), role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The caseload model sorts itself (fast); this model keeps its order."""
        self.caseload.sort(column, order)
