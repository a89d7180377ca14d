"""The client screen's Safeguarding tab: each concern raised about the client, whether it is still
open (held by the team) or referred to the local authority, and what was seen and done."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QPushButton, QTextBrowser, QWidget

from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import RECORD_ROLE, Column, RecordTableModel
from navigator_desktop.ui.views.actions import ClientAction
from navigator_desktop.ui.views.client_tabs import Names, Record, rows_html
from navigator_desktop.ui.widgets.columns import buttons_over_split
from navigator_desktop.ui.widgets.tables import select_by_id, table


def status(concern: Record) -> str:
    """Open (``open``, set by the store) while the team holds it, until referred to the local authority."""
    if concern.get("open"):
        return "● Open: not referred"
    return f"Referred to the local authority ({concern.get('local_authority_reference') or '—'})"


def concern_columns(names: Names) -> list[Column]:
    return [
        Column("Raised", lambda c: text.moment(c["recorded_at"])),
        Column("Status", status, lambda c: "high" if c.get("open") else None),
        Column("Category", lambda c: text.label(c["category"])),
        Column("By", lambda c: names.get(c["author_id"], "—")),
        Column("What was seen or said", lambda c: text.first_line(c["observed"], 100)),
    ]


def concern_html(c: Record, names: Names) -> str:
    amended = f"<p>✎ <b>Corrected</b>: {escape(c.get('amend_reason') or '')}</p>" if c.get("amended") else ""
    pairs = [
        ("Category", text.label(c["category"])),
        ("Status", status(c)),
        ("Raised by", f"{names.get(c['author_id'], '—')}, {text.moment(c['recorded_at'])}"),
    ]
    body = "".join(
        f"<h4>{title}</h4><p>{escape(c.get(name) or '').replace(chr(10), '<br>')}</p>"
        for title, name in (("What was seen or said", "observed"), ("Action taken", "action_taken"))
    )
    return amended + rows_html(pairs) + body


class SafeguardingPane(QWidget):
    requested = Signal(str, object)  # raise_safeguarding (None) or amend_safeguarding (the concern)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: Names = {}
        self.concerns = RecordTableModel(concern_columns({}), self)
        self.view = table(self.concerns, "Safeguarding concerns", stretch=4)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("The selected safeguarding concern")
        self.raise_concern = QPushButton("Raise a &safeguarding concern…")
        self.raise_concern.setObjectName("raiseSafeguarding")
        self.amend = QPushButton("Add a referral or c&orrect…")
        self.amend.setObjectName("amendSafeguarding")
        self.amend.setToolTip(
            "A referral made later, or a mistake: the concern as first written stays in history"
        )
        self.raise_concern.clicked.connect(lambda: self.requested.emit(ClientAction.RAISE_SAFEGUARDING, None))
        self.amend.clicked.connect(self._amend)
        buttons_over_split(self, [self.raise_concern, self.amend], self.view, self.detail, [250, 250])
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self._selected()

    def selected(self) -> Record | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def set_names(self, names: Names) -> None:
        self.names = names
        self.concerns.columns = concern_columns(names)

    def show_concerns(self, concerns: list[Record]) -> None:
        kept = (self.selected() or {}).get("id")
        self.concerns.set_rows(concerns)
        select_by_id(self.view, concerns, kept)
        self._selected()

    def clear(self) -> None:
        self.concerns.clear()
        self.detail.clear()

    def _selected(self, *_: QItemSelection) -> None:
        concern = self.selected()
        self.detail.setHtml(concern_html(concern, self.names) if concern else "")
        self.amend.setEnabled(concern is not None)

    def _amend(self) -> None:
        concern = self.selected()
        if concern is not None:
            self.requested.emit(ClientAction.AMEND_SAFEGUARDING, concern)
