"""The Reports screen's tab on the work with other agencies and liaison and diversion: referrals
and signposts by pathway and agency with what became of them, engagements by setting and whether
they became clients, signposts per engagement, and safeguarding concerns raised and referred.
Each table is made by the Reports screen's own section (a title, a table, "Save as CSV…")."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from navigator_desktop.documents import partnership_csv
from navigator_desktop.ui.models.reports import RowsTableModel

TITLE = "Re&ferrals and engagements"
NOTE = (
    "<p><b>Referrals and signposts</b> made in the period, for the clients in this report and from "
    "the engagements in it. Each step is counted from its own date, so a referral accepted and then "
    "attended counts under both.</p>"
    "<p><b>Engagements</b>: people met in the period (yours, or the team's for a manager), by where; "
    "<b>became clients</b> are those now on a client's record. <b>Safeguarding concerns</b>: raised "
    "in the period about the clients in this report.</p>"
    f"<p>{partnership_csv.NOTE.replace(partnership_csv.FEWER, f'<b>{partnership_csv.FEWER}</b>')}</p>"
)


def partnership_tab(
    section: Callable[[str, RowsTableModel], QWidget], models: Mapping[str, RowsTableModel]
) -> QWidget:
    """Referrals across the top; engagements, the summary and what the words mean below."""
    page = QWidget()
    tables = QSplitter(Qt.Orientation.Vertical)
    tables.setChildrenCollapsible(False)
    tables.addWidget(section("referrals", models["referrals"]))
    row = QSplitter()
    row.setChildrenCollapsible(False)
    for key in ("engagements", "partnership_summary"):
        row.addWidget(section(key, models[key]))
    words = QLabel(NOTE)
    words.setObjectName("partnershipNote")
    words.setWordWrap(True)
    words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    row.addWidget(words)
    row.setSizes([380, 380, 340])
    tables.addWidget(row)
    tables.setSizes([300, 240])
    QVBoxLayout(page).addWidget(tables)
    return page
