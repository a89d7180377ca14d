"""The caseload as a table: one row per client, with risk shown in words as well as colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from navigator_desktop.store.clients import CaseloadRow
from navigator_desktop.ui import text, theme

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Name", "Status", "Risk", "Last contact", "Next visit", "Review due")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_RANK = {"high": 3, "medium": 2, "low": 1, "": 0}
_TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole})
ROLES = _TEXT_ROLES | frozenset(  # the roles this model answers; every other is None
    {
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.UserRole,
        SORT_ROLE,
        Qt.ItemDataRole.InitialSortOrderRole,
    }
)
_day = text.day
_review = text.review


class CaseloadModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[CaseloadRow] = []
        self._folded: dict[str, str] = {}  # client id -> name in lower case, for the filter
        # client id -> the texts of its first five columns, worked out at the first paint: Qt asks
        # for every visible cell at each repaint (a keystroke repaints the list), and formatting
        # dates and risk words each time was most of the Python in a paint.
        self._cells: dict[str, tuple[str, ...]] = {}
        self._order: tuple[int, Qt.SortOrder] | None = None
        # The folded names in row order, which the filter reads at each keystroke; dropped
        # whenever the rows, a name or the order change, before Qt is told.
        self._folded_list: list[str] | None = None

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self._folded = {r.client_id: r.name.casefold() for r in rows}
        self._cells = {}
        self._folded_list = None
        self.endResetModel()

    def folded_names(self) -> list[str]:
        """Every row's folded name, in row order (not a copy: read, do not change)."""
        if self._folded_list is None:
            folded = self._folded
            self._folded_list = [folded[r.client_id] for r in self._rows]
        return self._folded_list

    def _sorted(self, rows: list[CaseloadRow]) -> list[CaseloadRow]:
        if self._order is None:
            return list(rows)
        column, order = self._order
        return sorted(
            rows, key=lambda r: self._sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here with Python's sort on precomputed keys: a proxy calling lessThan() in Python
        tens of thousands of times stalls the window for a 5,000-client caseload."""
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self._rows
        self._order = (column, order)
        self._rows = self._sorted(old)
        self._folded_list = None
        where = {id(row): i for i, row in enumerate(self._rows)}
        for index in self.persistentIndexList():
            moved = where[id(old[index.row()])]
            self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()

    def row(self, index: int) -> CaseloadRow:
        return self._rows[index]

    def rows(self) -> list[CaseloadRow]:
        """The rows in their order (not a copy: read, do not change)."""
        return self._rows

    def update_row(self, new: CaseloadRow) -> bool:
        """Replace one client's row in place (after a change to that client); False if not shown."""
        for i, old in enumerate(self._rows):
            if old.client_id == new.client_id:
                self._rows[i] = new
                self._folded[new.client_id] = new.name.casefold()
                self._cells.pop(new.client_id, None)
                self._folded_list = None
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return True
        return False

    def client_ids(self) -> list[str]:
        return [r.client_id for r in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ROLES:
            return None
        r = index.row()
        if not 0 <= r < len(self._rows) or not index.isValid():
            return None
        return self.value(self._rows[r], index.column(), role)

    def value(self, row: CaseloadRow, column: int, role: int) -> Any:
        """One cell's data for one of ROLES. Qt asks for every role of every visible cell at each
        repaint (a keystroke repaints the list): callers drop the other roles first, and the
        texts are worked out once per row."""
        if role in _TEXT_ROLES:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and row.risk_categories:
            return ", ".join(text.label(c) for c in row.risk_categories)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.risk_level:
            return QBrush(theme.colour(row.risk_level))
        if role == Qt.ItemDataRole.UserRole:
            return row.client_id
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return Qt.SortOrder.AscendingOrder
        return None

    def text(self, row: CaseloadRow, column: int) -> str:
        """What a cell shows; the review date is worked out each time (it becomes overdue at
        midnight), the rest once per row."""
        if column == 5:
            return _review(row.review_due)
        cells = self._cells.get(row.client_id)
        if cells is None:
            cells = self._cells[row.client_id] = tuple(self._text(row, c) for c in range(5))
        return cells[column]

    @staticmethod
    def _sort_key(row: CaseloadRow, column: int) -> Any:
        if column == 0:
            return row.name.casefold()
        if column == 1:
            return row.status
        if column == 2:
            return (_RANK.get(row.risk_level, 0), row.risk_count)
        # "~" sorts after any date, so clients with nothing come last
        return {3: row.last_contact, 4: row.next_visit, 5: row.review_due}[column] or "~"

    @staticmethod
    def _text(row: CaseloadRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return text.label(row.status)
        if column == 2:
            if not row.risk_level:
                return "No active risks"
            shown = [text.label(c) for c in row.risk_categories[:2]]
            more = len(row.risk_categories) - len(shown)
            categories = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
            return f"{theme.RISK_WORDS[row.risk_level]}: {categories}"
        if column == 3:
            return _day(row.last_contact)
        if column == 4:
            return _day(row.next_visit)
        return _review(row.review_due)
