"""A table of records (dicts) with columns given as functions: the lists on Today and the client tabs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QTableView

from navigator_desktop.ui import theme

Index = QModelIndex | QPersistentModelIndex
Record = dict[str, Any]
RECORD_ROLE = Qt.ItemDataRole.UserRole
CLIENT_ROLE = Qt.ItemDataRole.UserRole + 1


def selected_record(view: QTableView) -> Record | None:
    """The record of the row selected in a table of records, if any."""
    rows = view.selectionModel().selectedRows()
    return rows[0].data(RECORD_ROLE) if rows else None


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Record], str]
    # A risk level ("high", ...) to colour the cell by; the text must say the level in words too.
    level: Callable[[Record], str | None] | None = None


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Record] = []

    def set_rows(self, rows: list[Record]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def record(self, row: int) -> Record:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.text(record)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.ForegroundRole and column.level is not None:
            level = column.level(record)
            return QBrush(theme.colour(level)) if level else None
        if role == RECORD_ROLE:
            return record
        if role == CLIENT_ROLE:
            return record.get("client_id")
        return None
