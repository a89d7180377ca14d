"""Engagements: the people I met in custody, at court or in the community (a manager: the team's),
newest first, with the one chosen in full below; from here a new engagement is recorded and one
is made a client. Only shows what it is given; the flow (ui/flows/engagements.py) fills it."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import RECORD_ROLE, Column, RecordTableModel
from navigator_desktop.ui.widgets.tables import empty_note, table

Record = dict[str, Any]


def consent(e: Record) -> str:
    if not e.get("consent_asked"):
        return "Not asked"
    return text.label(e.get("consent_answer"))


def became(e: Record) -> str:
    return (e.get("client") or "Yes") if e.get("client_id") else "Not a client"


COLUMNS = [
    Column("When", lambda e: text.moment(e.get("met_at"))),
    Column("Where", lambda e: text.label(e.get("setting"))),
    Column("Person", lambda e: text.first_line(e.get("person"), 90)),
    Column("Consent to share", consent),
    Column("Needs", lambda e: text.labels(e.get("needs"))),
    Column("Signposts and referrals", lambda e: str(e.get("referrals", 0))),
    Column("Client", became),
    Column("Recorded by", lambda e: e.get("recorder") or "—"),  # shown on a manager's list only
]


def details(e: Record, names: dict[str, str]) -> str:
    """One engagement in full, as rich text."""
    rows = [
        ("Person", e.get("person")),
        ("When", text.moment(e.get("met_at"))),
        ("Where", ", ".join(p for p in (text.label(e.get("setting")), e.get("place")) if p)),
        ("Consent to share", consent(e)),
        ("Needs identified", text.labels(e.get("needs"))),
        ("Offered or signposted", e.get("offered") or "—"),
        ("Notes", e.get("notes") or "—"),
        ("Recorded by", names.get(str(e.get("created_by")), "—")),
        ("Client", f"{became(e)} (since {e['linked_on']})" if e.get("linked_on") else became(e)),
    ]
    cells = "".join(
        f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(str(v))}</td></tr>" for k, v in rows
    )
    return f"<table>{cells}</table>"


class EngagementsView(QWidget):
    record_requested = Signal()
    make_client_requested = Signal(object)  # the engagement
    supervision_requested = Signal(object)  # the engagement, to raise in supervision
    client_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: dict[str, str] = {}
        self.scope = QLabel()
        self.scope.setAccessibleName("Whose engagements")
        self.scope.setWordWrap(True)
        self.model = RecordTableModel(COLUMNS, self)
        self.table = table(self.model, "Engagements", stretch=2)
        needs = [c.title for c in COLUMNS].index("Needs")  # long lists of needs give the person room
        self.table.horizontalHeader().setSectionResizeMode(needs, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(needs, 260)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.table.activated.connect(self._activated)
        self.empty = QLabel()
        self.detail = QLabel()
        self.detail.setAccessibleName("Engagement")
        self.detail.setWordWrap(True)
        self.record_button = QPushButton("Record an &engagement…")
        self.record_button.setToolTip("Someone met in custody, at court or in the community (Ctrl+E)")
        self.record_button.clicked.connect(self.record_requested.emit)
        self.make_client = QPushButton("&Make a client from this engagement…")
        self.make_client.setToolTip(
            "A new client record, filled in from the engagement; the engagement and its referrals go on it"
        )
        self.make_client.clicked.connect(self._make_client)
        self.open_client = QPushButton("Open client")
        self.open_client.clicked.connect(self._open_client)
        self.for_supervision = QPushButton("For &supervision…")
        self.for_supervision.setToolTip("Raise this engagement in supervision, with a line of why")
        self.for_supervision.clicked.connect(self._for_supervision)
        buttons = QHBoxLayout()
        for button in (self.record_button, self.make_client, self.open_client, self.for_supervision):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Engagements</h2>"))
        layout.addWidget(self.scope)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.empty)
        layout.addWidget(self.detail, 1)
        self.clear()

    def show_engagements(self, team: bool, rows: list[Record], names: dict[str, str]) -> None:
        chosen = self.current()
        self.names = names
        self.scope.setText(
            "Your team's engagements: people met in custody, at court or in the community."
            if team
            else "People you met in custody, at court or in the community. Each stays counted as an "
            "engagement; one who is taken on becomes a client with it."
        )
        self.model.set_rows([{**r, "recorder": names.get(str(r.get("created_by")))} for r in rows])
        self.table.setColumnHidden(len(COLUMNS) - 1, not team)
        self.empty.setText(empty_note("No engagements recorded yet.") if not rows else "")
        self.empty.setVisible(not rows)
        ids = [r["id"] for r in rows]
        if chosen is not None and chosen["id"] in ids:
            self.table.selectRow(ids.index(chosen["id"]))
        elif rows:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> Record | None:
        index = self.table.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, dict) else None

    def clear(self) -> None:
        self.names = {}
        self.scope.setText("")
        self.model.clear()
        self.empty.hide()
        self._selected()

    def _selected(self) -> None:
        record = self.current()
        self.detail.setText(details(record, self.names) if record else "")
        self.make_client.setEnabled(record is not None and not record.get("client_id"))
        self.open_client.setEnabled(record is not None and bool(record.get("client_id")))
        self.for_supervision.setEnabled(record is not None)

    def _make_client(self) -> None:
        record = self.current()
        if record is not None and not record.get("client_id"):
            self.make_client_requested.emit(record)

    def _for_supervision(self) -> None:
        record = self.current()
        if record is not None:
            self.supervision_requested.emit(record)

    def _open_client(self) -> None:
        record = self.current()
        if record is not None and record.get("client_id"):
            self.client_activated.emit(str(record["client_id"]))

    def _activated(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if isinstance(record, dict) and record.get("client_id"):
            self.client_activated.emit(str(record["client_id"]))
