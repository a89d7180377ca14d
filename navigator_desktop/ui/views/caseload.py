"""Caseload: a searchable, sortable list of the clients on this laptop."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.ui.models.caseload import CaseloadModel


class CaseloadView(QWidget):
    client_activated = Signal(str)

    def __init__(self, model: CaseloadModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name (Ctrl+F)")
        self.search.setAccessibleName("Filter the caseload by name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Caseload")
        self.table.activated.connect(self._activated)

        self.count = QLabel()
        model.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.search.textChanged.connect(self._update_count)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Caseload</h2>"))
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(self.count)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} clients" if shown != total else f"{total} clients")

    def _activated(self, index: object) -> None:
        client_id = self.proxy.data(index, Qt.ItemDataRole.UserRole)  # type: ignore[arg-type]
        if client_id:
            self.client_activated.emit(client_id)
