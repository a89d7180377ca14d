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
        self._accepted: list[bool] | None = None  # per source row, for the model's generation below
        self._generation = -1

    def set_text(self, typed: str) -> None:
        self.beginFilterChange()
        self._accepted = None
        self._words = typed.casefold().split()
        self._also = set()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_also(self, client_ids: set[str]) -> None:
        """Also show these clients while the text is typed (their notes match it)."""
        self.beginFilterChange()
        self._accepted = None
        self._also = client_ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_view(self, view: str) -> None:
        self.beginFilterChange()
        self._accepted = None
        self._view = view
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        # Qt asks once per row (4,290 calls from C++ for a team's caseload on each keystroke): the
        # answers are worked out for all rows at once in Python and only looked up here.
        if not self._words and self._view == "all":
            return True
        if self._generation != self.caseload.generation or self._accepted is None:
            self._accepted = self._answers()
            self._generation = self.caseload.generation
        return self._accepted[source_row]

    def _answers(self) -> list[bool]:
        rows, words, also = self.caseload.rows(), self._words, self._also
        if words:
            named = [all(w in name for w in words) for name in self.caseload.folded_names()]
            shown = [ok or row.client_id in also for ok, row in zip(named, rows, strict=True)]
        else:
            shown = [True] * len(rows)
        view = self._view
        if view == "risk":
            return [ok and row.risk_count > 0 for ok, row in zip(shown, rows, strict=True)]
        if view == "high":
            return [ok and row.risk_level == "high" for ok, row in zip(shown, rows, strict=True)]
        if view == "overdue":
            today = text.today()
            return [
                ok and bool(row.review_due and row.review_due[:10] < today)
                for ok, row in zip(shown, rows, strict=True)
            ]
        if view == "visit":
            return [ok and row.next_visit is not None for ok, row in zip(shown, rows, strict=True)]
        return shown

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The caseload model sorts itself (fast); this proxy only filters, keeping its order."""
        self.caseload.sort(column, order)
