"""The client's Referrals tab: each referral or signpost (agency, pathway, what for, made when and
by whom, where it stands and since when, its outcome), the selected one's steps, and the buttons
that refer again or move one on. It shows what it is given; ui/flows/referrals.py fills it."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QPushButton, QTextBrowser, QWidget

from navigator_core.kinds import REFERRAL_STATUS_DATES, REFERRAL_STATUSES
from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import RECORD_ROLE, Column, RecordTableModel
from navigator_desktop.ui.views.actions import ClientAction
from navigator_desktop.ui.widgets.columns import buttons_over_split
from navigator_desktop.ui.widgets.tables import table

Record = dict[str, Any]
Names = dict[str, str]


def status_words(r: Record) -> str:
    """Where a referral stands and since when: "Accepted, 3 Mar 2026"."""
    dated = r.get(REFERRAL_STATUS_DATES.get(str(r["status"]), ""))
    return f"{text.label(r['status'])}, {text.day(dated)}" if dated else text.label(r["status"])


def referral_columns(names: Names) -> list[Column]:
    return [
        Column("Agency", lambda r: r.get("agency_name") or "An agency not on this laptop"),
        Column("Pathway", lambda r: text.label(r["pathway"])),
        Column("What for", lambda r: text.first_line(r["what_for"], 60)),
        Column("Made", lambda r: text.day(r["made_on"])),
        Column("By", lambda r: names.get(r["made_by"], "—")),
        Column("Status", status_words),
        Column("Outcome", lambda r: text.first_line(r.get("outcome"), 80)),
    ]


def referral_html(r: Record, names: Names) -> str:
    """The referral: what for, then its rows, its steps each with the day it was reached."""
    steps = " → ".join(
        f"{text.label(status)} {text.day(r[REFERRAL_STATUS_DATES[status]])}"
        for status in REFERRAL_STATUSES
        if r.get(REFERRAL_STATUS_DATES[status])
    )
    rows = [
        ("Agency", r.get("agency_name") or "An agency not on this laptop"),
        ("Pathway", text.label(r["pathway"])),
        ("Made", f"{text.day(r['made_on'])} by {names.get(r['made_by'], '—')}"),
        ("Now", status_words(r)),
        ("Steps", steps),
        ("Outcome", r.get("outcome")),
    ]
    cells = "".join(
        f"<tr><td style='padding-right:12px'><b>{escape(k)}</b></td><td>{escape(str(v))}</td></tr>"
        for k, v in rows
        if v
    )
    what_for = escape(r["what_for"]).replace("\n", "<br>")
    return f"<p><b>{what_for}</b></p><table>{cells}</table>"


class ReferralsPane(QWidget):
    requested = Signal(str, object)  # ClientAction.REFER (None) or UPDATE_REFERRAL (the referral)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: Names = {}
        self.client_id: str | None = None
        self.model = RecordTableModel([], self)
        self.table = table(self.model, "Referrals and signposts")
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("The selected referral and its steps")
        self.detail.setMinimumHeight(160)
        self.refer = QPushButton("Re&fer / signpost…")
        self.refer.setObjectName("refer")
        self.update_status = QPushButton("Upd&ate status…")
        self.update_status.setObjectName("updateReferral")
        self.refer.clicked.connect(lambda: self.requested.emit(ClientAction.REFER, None))
        self.update_status.clicked.connect(self._update)
        self.table.activated.connect(lambda _: self._update())
        self.table.selectionModel().selectionChanged.connect(self._selected)

        buttons_over_split(self, [self.refer, self.update_status], self.table, self.detail, [300, 200])
        self._selected()

    def set_names(self, names: Names) -> None:
        self.names = names
        self.model.columns = referral_columns(names)

    def show_referrals(self, client_id: str, referrals: list[Record]) -> None:
        kept = (self.selected() or {}).get("id") if client_id == self.client_id else None
        self.client_id = client_id
        self.model.set_rows(referrals)
        ids = [r["id"] for r in referrals]
        if ids:
            self.table.selectRow(ids.index(kept) if kept in ids else 0)
        self._selected()

    def clear(self) -> None:
        self.client_id = None
        self.model.clear()
        self._selected()

    def selected(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def _selected(self, *_: QItemSelection) -> None:
        referral = self.selected()
        self.detail.setHtml(referral_html(referral, self.names) if referral else "")
        self.update_status.setEnabled(referral is not None)

    def _update(self) -> None:
        referral = self.selected()
        if referral is not None:
            self.requested.emit(ClientAction.UPDATE_REFERRAL, referral)
