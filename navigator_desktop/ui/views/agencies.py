"""The team's agencies directory: search by name, type or pathway, the selected agency's details,
and its phone number and e-mail address ready to copy. Offline: it shows what the vault holds."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_core.kinds import AGENCY_TYPES, PATHWAYS
from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import RECORD_ROLE, Column, RecordTableModel
from navigator_desktop.ui.widgets.search_keys import SearchKeys
from navigator_desktop.ui.widgets.tables import table

Record = dict[str, Any]
COLUMNS = [
    Column("Name", lambda a: a["name"]),
    Column("Type", lambda a: text.label(a["agency_type"])),
    Column("Pathways", lambda a: text.labels(a.get("pathways"))),
    Column("Phone", lambda a: a.get("phone") or "—"),
]  # the e-mail address is beside the list, with the phone number, each with a Copy button
COPIED = "{what} copied. Navigator clears the clipboard when it locks."


def searched_words(agency: Record) -> str:
    """What the search box looks in: the name, the notes, and the type and pathways in words."""
    parts = [agency["name"], agency.get("notes") or "", text.label(agency["agency_type"]),
             text.labels(agency.get("pathways"))]  # fmt: skip
    return " ".join(parts).casefold()


def matches(agency: Record, typed: str, agency_type: str | None = None, pathway: str | None = None) -> bool:
    """Whether `agency` is of the type and serves the pathway chosen (when chosen) and holds every
    word typed (in its name, notes, type or pathways)."""
    if agency_type and agency["agency_type"] != agency_type:
        return False
    if pathway and pathway not in (agency.get("pathways") or []):
        return False
    words = searched_words(agency)
    return all(word in words for word in typed.casefold().split())


def details_html(agency: Record) -> str:
    rows = [
        ("Type", text.label(agency["agency_type"])),
        ("Pathways", text.labels(agency.get("pathways"))),
        ("Address", agency.get("address")),
        ("Notes", agency.get("notes")),
    ]
    cells = "".join(
        f"<tr><td style='padding-right:12px'><b>{escape(k)}</b></td><td>{escape(str(v))}</td></tr>"
        for k, v in rows
        if v
    )
    return f"<table>{cells}</table>"


def _choices(caption: str, values: tuple[str, ...], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(caption)
    combo.addItem("Any", None)
    for value in values:
        combo.addItem(text.label(value), value)
    return combo


def _value(name: str, caption: str) -> QLabel:
    """A phone number or an address: selectable with the mouse, copied with its button."""
    shown = QLabel()
    shown.setObjectName(name)
    shown.setAccessibleName(caption)
    shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return shown


class AgenciesView(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)  # the agency (a record)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.agencies: list[Record] = []
        self.search = QLineEdit()
        self.search.setObjectName("agencySearch")
        self.search.setPlaceholderText("Search by name, type or pathway")
        self.search.setAccessibleName("Search the agencies by name, type or pathway")
        self.search.setClearButtonEnabled(True)
        self.type_filter = _choices("Type", AGENCY_TYPES, "agencyType")
        self.pathway_filter = _choices("Pathway", PATHWAYS, "agencyPathway")
        self.add = QPushButton("&Add agency…")
        self.add.setObjectName("addAgency")
        self.edit = QPushButton("&Edit agency…")
        self.edit.setObjectName("editAgency")

        self.model = RecordTableModel(COLUMNS, self)
        self.table = table(self.model, "Agencies", stretch=2)  # the pathways take what is left
        self.title = QLabel()
        self.title.setObjectName("agencyName")
        self.title.setWordWrap(True)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("The selected agency")
        self.phone, self.email = _value("agencyPhone", "Phone"), _value("agencyEmail", "E-mail")
        self.copy_phone = QPushButton("Copy &phone")
        self.copy_phone.setObjectName("copyPhone")
        self.copy_email = QPushButton("Copy e-&mail")
        self.copy_email.setObjectName("copyEmail")
        self.copied = QLabel()
        self.copied.setObjectName("copied")
        self.copied.setWordWrap(True)
        self.count = QLabel()

        self.search.textChanged.connect(lambda _: self._apply())
        for combo in (self.type_filter, self.pathway_filter):
            combo.currentIndexChanged.connect(lambda _: self._apply())
        self.search_keys = SearchKeys(self.search, [self.table], self._chosen)
        self.table.activated.connect(self._open)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(lambda: self._open(None))
        self.copy_phone.clicked.connect(lambda: self._copy("phone", "Phone number"))
        self.copy_email.clicked.connect(lambda: self._copy("email", "E-mail address"))

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for caption, combo in (("&Type", self.type_filter), ("Pat&hway", self.pathway_filter)):
            label = QLabel(caption)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo, 1)
        found = QWidget()
        listed = QVBoxLayout(found)
        listed.setContentsMargins(0, 0, 0, 0)
        listed.addLayout(bar)
        listed.addWidget(self.table, 1)
        listed.addWidget(self.count)

        reach = QGridLayout()
        for row, (caption, value, button) in enumerate(
            (("Phone", self.phone, self.copy_phone), ("E-mail", self.email, self.copy_email))
        ):
            reach.addWidget(QLabel(f"<b>{caption}</b>"), row, 0)
            reach.addWidget(value, row, 1)
            reach.addWidget(button, row, 2)
        reach.setColumnStretch(1, 1)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addLayout(reach)
        column.addWidget(self.copied)
        column.addWidget(self.detail, 1)

        title = QHBoxLayout()
        title.addWidget(QLabel("<h2>Agencies</h2>"), 1)
        title.addWidget(self.add)
        title.addWidget(self.edit)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(found)
        split.addWidget(side)
        split.setSizes([860, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(title)
        layout.addWidget(split, 1)
        self._selected()

    def show_agencies(self, agencies: list[Record]) -> None:
        self.agencies = list(agencies)
        self._apply()

    def clear(self) -> None:
        self.search.clear()
        self.show_agencies([])

    def selected(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def _apply(self) -> None:
        """Show the agencies that match, keeping the selected one selected when it still is."""
        kept = (self.selected() or {}).get("id")
        typed, kind, pathway = (
            self.search.text(),
            self.type_filter.currentData(),
            self.pathway_filter.currentData(),
        )
        shown = [a for a in self.agencies if matches(a, typed, kind, pathway)]
        self.model.set_rows(shown)
        ids = [a["id"] for a in shown]
        if kept in ids:
            self.table.selectRow(ids.index(kept))
        self._selected()
        total = len(self.agencies)
        self.count.setText(
            f"{len(shown)} of {total} agencies" if len(shown) != total else f"{total} agencies"
        )

    def _selected(self, *_: QItemSelection) -> None:
        agency = self.selected()
        self.title.setText(f"<h3>{escape(agency['name'])}</h3>" if agency else "<i>Choose an agency.</i>")
        self.detail.setHtml(details_html(agency) if agency else "")
        for name, shown, button in (
            ("phone", self.phone, self.copy_phone),
            ("email", self.email, self.copy_email),
        ):
            value = (agency or {}).get(name)
            shown.setText(value or "—")
            button.setEnabled(bool(value))
        self.edit.setEnabled(agency is not None)
        self.copied.clear()

    def _chosen(self, index: QModelIndex) -> None:
        """Enter in the search box: the agency found (or the one selected) is selected and its
        details shown; the list takes the keys."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.selectRow(index.row())

    def _open(self, index: QModelIndex | None) -> None:
        agency = index.data(RECORD_ROLE) if index is not None and index.isValid() else self.selected()
        if agency is not None:
            self.edit_requested.emit(agency)

    def _copy(self, name: str, what: str) -> None:
        agency = self.selected()
        if agency and agency.get(name):
            QGuiApplication.clipboard().setText(str(agency[name]))
            self.copied.setText(COPIED.format(what=what))
