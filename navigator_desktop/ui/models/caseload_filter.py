"""Filters the caseload by typed text and by a chosen view (risk, overdue review, visit planned)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from navigator_desktop.ui import text
from navigator_desktop.ui.models.caseload import CaseloadModel

FILTERS = {
    "all": "All my clients",
    "risk": "With active risk flags",
    "high": "High risk",
    "overdue": "Review overdue",
    "visit": "Visit planned",
}


class CaseloadFilter(QSortFilterProxyModel):
    def __init__(self, model: CaseloadModel, parent: Any = None):
        super().__init__(parent)
        self.caseload = model
        self.setSourceModel(model)
        self.setDynamicSortFilter(True)
        self._words: list[str] = []
        self._also: set[str] = set()  # clients whose notes matched the search
        self._view = "all"

    def set_text(self, typed: str) -> None:
        self.beginFilterChange()
        self._words = typed.casefold().split()
        self._also = set()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_also(self, client_ids: set[str]) -> None:
        """Also show these clients while the text is typed (their notes match it)."""
        self.beginFilterChange()
        self._also = client_ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_view(self, view: str) -> None:
        self.beginFilterChange()
        self._view = view
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row = self.caseload.row(source_row)
        if self._words:
            name = self.caseload.folded_name(source_row)
            if not all(w in name for w in self._words) and row.client_id not in self._also:
                return False
        if self._view == "risk":
            return row.risk_count > 0
        if self._view == "high":
            return row.risk_level == "high"
        if self._view == "overdue":
            return bool(row.review_due and row.review_due[:10] < text.today())
        if self._view == "visit":
            return row.next_visit is not None
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The caseload model sorts itself (fast); this proxy only filters, keeping its order."""
        self.caseload.sort(column, order)
