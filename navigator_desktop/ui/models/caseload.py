"""The caseload as a table: one row per client, with risk shown in words as well as colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from navigator_core import timeutil
from navigator_desktop.store.clients import CaseloadRow

Index = QModelIndex | QPersistentModelIndex


COLUMNS = ("Name", "Status", "Risk", "Last contact", "Next visit", "Review due")
RISK_COLOURS = {"high": "#b3261e", "medium": "#9a5b00", "low": "#2e6b30"}


def _day(text: str | None) -> str:
    """A stored instant or date as a day in England: "23 Nov 2026"."""
    if not text:
        return "—"
    if "T" in text:
        return timeutil.local(timeutil.parse(text)).strftime("%d %b %Y")
    return timeutil.parse_date(text).strftime("%d %b %Y")


def _review(text: str | None) -> str:
    if text and text < timeutil.local(timeutil.utcnow()).date().isoformat():
        return f"{_day(text)} (overdue)"
    return _day(text)


class CaseloadModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[CaseloadRow] = []

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, index: int) -> CaseloadRow:
        return self._rows[index]

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
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.risk_level:
            return QBrush(QColor(RISK_COLOURS[row.risk_level]))
        if role == Qt.ItemDataRole.UserRole:
            return row.client_id
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return Qt.SortOrder.AscendingOrder
        return None

    @staticmethod
    def _text(row: CaseloadRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.status.replace("_", " ").capitalize()
        if column == 2:
            if not row.risk_level:
                return "No active risks"
            categories = ", ".join(c.replace("_", " ") for c in row.risk_categories)
            return f"{row.risk_level.upper()}: {categories}"
        if column == 3:
            return _day(row.last_contact)
        if column == 4:
            return _day(row.next_visit)
        return _review(row.review_due)
