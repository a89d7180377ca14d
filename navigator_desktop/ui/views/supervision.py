"""The supervisor's screen: concerns raised for supervision still to discuss (oldest first), each
with the worker, when, why and the record it was raised on; and those already discussed, with the
note. Only shows what it is given; the flow (ui/flows/supervision.py) reads and writes."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.store.supervision import Board
from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import RECORD_ROLE, Column, RecordTableModel
from navigator_desktop.ui.views.client_tabs import Names, Record, rows_html
from navigator_desktop.ui.widgets.tables import select_by_id, table


def _raised_on(item: Record, when: Callable[[str], str] = text.day) -> str:
    what = text.label(item["target_kind"])
    return f"{what} of {when(item['target_when'])}" if item.get("target_when") else what


def open_columns(names: Names) -> list[Column]:
    return [
        Column("Raised", lambda i: text.day(i["created_at"])),
        Column("Worker", lambda i: names.get(i["created_by"], "—")),
        Column("Client", lambda i: i.get("client_name") or "Not a client (yet)"),
        Column("On", _raised_on),
        Column("Why", lambda i: text.first_line(i["reason"], 100)),
    ]


def discussed_columns(names: Names) -> list[Column]:
    return [
        Column("Discussed", lambda i: text.day(i.get("discussed_on"))),
        Column("By", lambda i: names.get(i.get("discussed_by") or "", "—")),
        Column("Worker", lambda i: names.get(i["created_by"], "—")),
        Column("Client", lambda i: i.get("client_name") or "Not a client (yet)"),
        Column("What was discussed", lambda i: text.first_line(i.get("discussion_note"), 100)),
    ]


def item_html(item: Record, names: Names) -> str:
    pairs = [
        ("Raised by", f"{names.get(item['created_by'], '—')}, {text.moment(item['created_at'])}"),
        ("Client", item.get("client_name") or "Not a client (yet)"),
        ("Raised on", _raised_on(item, text.moment)),
        ("For", names.get(item.get("supervisor_id") or "", "") or "The team's managers"),
        ("Status", text.label(item["status"])),
    ]
    if item["status"] == "discussed":
        pairs.append(
            (
                "Discussed",
                f"{text.day(item.get('discussed_on'))} by {names.get(item.get('discussed_by') or '', '—')}",
            )
        )
    parts = [rows_html(pairs), f"<h4>Why</h4><p>{escape(item['reason'])}</p>"]
    if item.get("discussion_note"):
        parts.append(f"<h4>What was discussed</h4><p>{escape(item['discussion_note'])}</p>")
    if item.get("target_summary"):
        parts.append(f"<h4>The record</h4><p>{escape(text.first_line(item['target_summary'], 400))}</p>")
    return "".join(parts)


class SupervisionView(QWidget):
    client_activated = Signal(str)
    contact_activated = Signal(str, str)  # the client, the contact an item was raised on
    discuss_requested = Signal(object)  # the open item to mark discussed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: Names = {}
        self._current: Record | None = None
        self.heading = QLabel("<h2>Concerns for supervision</h2>")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.open_items = RecordTableModel(open_columns({}), self)
        self.discussed = RecordTableModel(discussed_columns({}), self)
        self.open_table = table(self.open_items, "To discuss", stretch=4)
        self.discussed_table = table(self.discussed, "Discussed", stretch=4)
        self.open_caption = QLabel()
        self.open_caption.setBuddy(self.open_table)
        self.discussed_caption = QLabel()
        self.discussed_caption.setBuddy(self.discussed_table)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("The selected concern for supervision")
        self.discuss = QPushButton("Mark &discussed…")
        self.discuss.setObjectName("markDiscussed")
        self.discuss.setToolTip(
            "Say what was discussed; the concern leaves the open list and stays in the record"
        )
        self.open_client = QPushButton("Open the &client")
        self.open_client.setObjectName("openSupervisionClient")
        self.open_client.setToolTip(
            "The client's record, at the contact the concern was raised on (or Enter)"
        )
        self.discuss.clicked.connect(self._discuss)
        self.open_client.clicked.connect(self._open_client)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discuss)
        buttons.addWidget(self.open_client)
        buttons.addStretch(1)

        lists = QWidget()
        column = QVBoxLayout(lists)
        column.setContentsMargins(0, 0, 0, 0)
        for caption, view in (
            (self.open_caption, self.open_table),
            (self.discussed_caption, self.discussed_table),
        ):
            column.addWidget(caption)
            column.addWidget(view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(lists)
        split.addWidget(self.detail)
        split.setSizes([720, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        for view in (self.open_table, self.discussed_table):
            view.activated.connect(self._activated)
            view.selectionModel().selectionChanged.connect(lambda *_, v=view: self._selected(v))
        self._captions()
        self._update_buttons()

    def set_names(self, names: Names) -> None:
        self.names = names
        self.open_items.columns = open_columns(names)
        self.discussed.columns = discussed_columns(names)

    def show_board(self, board: Board) -> None:
        kept = (self.selected() or {}).get("id")
        self._current = None
        self.intro.setText(
            "Raised to you by name, and those of your team raised to no one in particular."
            if board.manager
            else "Raised to you by name. Those raised to no one in particular go to the team's managers."
        )
        self.open_items.set_rows(board.open)
        self.discussed.set_rows(board.discussed)
        self._captions()
        self.detail.clear()
        select_by_id(self.open_table, board.open, kept)
        self._update_buttons()

    def clear(self) -> None:
        """Empty, as at the lock: nothing of the last supervisor's lists stays on screen."""
        for model in (self.open_items, self.discussed):
            model.clear()
        self._current = None
        self.detail.clear()
        self._captions()
        self._update_buttons()

    def selected(self) -> Record | None:
        """The item last chosen in either list."""
        return self._current

    def _captions(self) -> None:
        n, m = self.open_items.rowCount(), self.discussed.rowCount()
        self.open_caption.setText(
            f"<b>To discuss</b> ({n})" if n else "<b>To discuss</b> — <i>Nothing open.</i>"
        )
        self.discussed_caption.setText(
            f"<b>Discussed</b> ({m}, the most recent first)" if m else "<b>Discussed</b> — <i>None yet.</i>"
        )

    def _selected(self, view: QAbstractItemView, *_: QItemSelection) -> None:
        rows = view.selectionModel().selectedRows()
        if not rows:
            return
        other = self.discussed_table if view is self.open_table else self.open_table
        other.clearSelection()
        item = self._current = rows[0].data(RECORD_ROLE)
        self.detail.setHtml(item_html(item, self.names))
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        self.discuss.setEnabled(item is not None and item["status"] == "open")
        self.open_client.setEnabled(item is not None and bool(item.get("client_id")))

    def _discuss(self) -> None:
        item = self.selected()
        if item is not None and item["status"] == "open":
            self.discuss_requested.emit(item)

    def _open_client(self) -> None:
        self._open(self.selected())

    def _activated(self, index: QModelIndex) -> None:
        self._open(index.data(RECORD_ROLE))

    def _open(self, item: Record | None) -> None:
        """The record the item was raised on: its contact in the client's record, or the client."""
        if item is None or not item.get("client_id"):
            return
        if item["target_kind"] == "contact":
            self.contact_activated.emit(item["client_id"], item["target_id"])
        else:
            self.client_activated.emit(item["client_id"])
