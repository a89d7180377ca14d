"""One table of a report as an item model: the very rows the CSV export writes (report_csv), so
the screen and the file always agree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from navigator_desktop.documents import report_csv
from navigator_desktop.store.reports import Report

Index = QModelIndex | QPersistentModelIndex
CLIENT_ROLE = Qt.ItemDataRole.UserRole + 1


class RowsTableModel(QAbstractTableModel):
    """Rows of text under a title and headers, numbers right-aligned, each row maybe about a client."""

    def __init__(self, title: str, headers: tuple[str, ...], parent: Any = None):
        super().__init__(parent)
        self.title, self.headers = title, headers
        self._rows: list[list[str]] = []
        self._clients: list[str | None] = []
        self._numeric: set[int] = set()

    def set_rows(self, rows: list[list[str]], clients: list[str | None] | None = None) -> None:
        self.beginResetModel()
        self._rows = rows
        self._clients = clients if clients is not None else [None] * len(rows)
        self._numeric = {
            c
            for c in range(1, len(self.headers))
            if any(_number(r[c]) for r in self._rows)
            and all(_number(r[c]) or r[c] in NEUTRAL for r in self._rows)
        }
        self.endResetModel()

    def cell(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CLIENT_ROLE:
            return self._clients[index.row()] if index.row() < len(self._clients) else None
        return None


class ReportTableModel(RowsTableModel):
    """One table of the service's report (report_csv.TABLES)."""

    def __init__(self, key: str, parent: Any = None):
        self.table = report_csv.TABLES[key]
        super().__init__(self.table.title, self.table.headers, parent)

    @property
    def key(self) -> str:
        return self.table.key

    def set_report(self, report: Report | None) -> None:
        self.set_rows(
            report_csv.rows(report, self.key) if report is not None else [], self._client_ids(report)
        )

    def _client_ids(self, report: Report | None) -> list[str | None] | None:
        """The client each row is about (for opening their record), where rows are per client."""
        if report is None:
            return []
        source = {
            "contacts_by_client": report.per_client,
            "risk_overdue": report.risk_overdue,
            "plan_reviews": report.plans.rows,
        }.get(self.key)
        return [r["client_id"] for r in source] if source is not None else None


# Cells a column of numbers may hold that are not numbers: nothing to show, or a hidden count.
NEUTRAL = frozenset({"—", "fewer than 5", "suppressed"})


def _numbers(cells: Iterable[str]) -> bool:
    """A column of numbers (right-aligned): at least one number and nothing but numbers and NEUTRAL."""
    found = False
    for cell in cells:
        if _number(cell):
            found = True
        elif cell not in NEUTRAL:
            return False
    return found


def _number(text: str) -> bool:
    return text.rstrip("%").replace(".", "", 1).isdigit()
