"""Caseload: a searchable, sortable, filterable list of my clients, and what the search found in notes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.store.search import HIGHLIGHT_END, HIGHLIGHT_START, Hit
from navigator_desktop.ui import text
from navigator_desktop.ui.models.caseload import CaseloadModel
from navigator_desktop.ui.models.caseload_filter import FILTERS, CaseloadFilter
from navigator_desktop.ui.models.records import CLIENT_ROLE, Column, RecordTableModel
from navigator_desktop.ui.widgets.columns import bare_column
from navigator_desktop.ui.widgets.search_keys import SearchKeys
from navigator_desktop.ui.widgets.tables import table

SEARCH_DELAY_MS = 250  # search the notes once typing pauses; names filter at every keystroke

HIT_COLUMNS = [
    Column("Client", lambda h: h.get("client") or "Not on this laptop"),
    Column("Found in", lambda h: "Name" if h["kind"] == "client" else text.label(h["kind"])),
    Column("Text", lambda h: h["snippet"]),
]


def hit_row(hit: Hit, names: dict[str, str]) -> dict[str, object]:
    snippet = " ".join(hit.snippet.split()).replace(HIGHLIGHT_START, "«").replace(HIGHLIGHT_END, "»")
    return {"client_id": hit.client_id, "client": names.get(hit.client_id or ""), "kind": hit.kind,
            "snippet": snippet}  # fmt: skip


class CaseloadView(QWidget):
    client_activated = Signal(str)
    search_requested = Signal(str)  # text to look for in notes (after a pause in typing)

    def __init__(self, model: CaseloadModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.proxy = CaseloadFilter(model, self)

        self.search = QLineEdit()
        self.search.setObjectName("caseloadSearch")
        self.search.setPlaceholderText("Search names and notes (Ctrl+F)")
        self.search.setAccessibleName("Search the caseload by name, and notes by any word")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show")
        for key, shown in FILTERS.items():
            self.filter.addItem(shown, key)
        self.filter.currentIndexChanged.connect(lambda _: self.proxy.set_view(self.filter.currentData()))
        show = QLabel("&Show")
        show.setBuddy(self.filter)

        self.table = table(self.proxy, "Caseload")
        # Columns fitted to their contents when the caseload is loaded, not at each keystroke:
        # fitting measures sixty rows of every column, which was most of a keystroke's repaint,
        # and columns that jump as you type are hard to read.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.proxy.modelReset.connect(self._fit_columns)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._activated)

        self.hits = RecordTableModel(HIT_COLUMNS, self)
        self.hit_table = table(self.hits, "Found in notes")
        self.hit_table.activated.connect(self._activated)
        self.hit_caption = QLabel()
        self.hit_caption.setBuddy(self.hit_table)
        hit_pane, hit_layout = bare_column()
        hit_layout.addWidget(self.hit_caption)
        hit_layout.addWidget(self.hit_table)
        self.hit_pane = hit_pane
        hit_pane.hide()

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_DELAY_MS)
        self._pause.timeout.connect(lambda: self.search_requested.emit(self.search.text().strip()))
        self.search.textChanged.connect(self._typed)
        self.search_keys = SearchKeys(self.search, [self.table, self.hit_table], self._activated)

        self.count = QLabel()
        model.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(show)
        bar.addWidget(self.filter, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(hit_pane)
        split.setSizes([500, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Caseload</h2>"))
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.count)

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # a new text size: fit the columns again
            self._fit_columns()
        super().changeEvent(event)

    def _typed(self, typed: str) -> None:
        if typed.strip():
            self._pause.start()
        else:
            self._pause.stop()
            self.show_hits(None, [])

    def show_hits(self, typed: str | None, rows: list[dict[str, object]]) -> None:
        """What the search found, unless the person has typed something else since."""
        if typed is not None and typed != self.search.text().strip():
            return
        self.hits.set_rows(rows)
        self.hit_pane.setVisible(typed is not None)
        if typed is not None:
            self.proxy.set_also({str(r["client_id"]) for r in rows if r.get("client_id")})
            self.hit_caption.setText(
                f"<b>“{typed}”: {len(rows)} match{'es' if len(rows) != 1 else ''} in names and notes</b>"
                " (Enter opens the client)"
                if rows
                else f"<i>“{typed}” is not in any name or note on this laptop.</i>"
            )

    def clear(self) -> None:
        self.search.clear()
        self.hits.clear()

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} clients" if shown != total else f"{total} clients")

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.data(Qt.ItemDataRole.UserRole if index.model() is self.proxy else CLIENT_ROLE)
        if client_id:
            self.client_activated.emit(client_id)
