"""The manager's access audit screen: who viewed which client, when, from which device and why.

Only shows what it is given; the flow (ui/flows/access_audit.py) fetches it off the GUI thread.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from navigator_core import timeutil
from navigator_desktop.sync.access_audit import AccessAudit
from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import Column, RecordTableModel
from navigator_desktop.ui.widgets.tables import table
from navigator_desktop.ui.widgets.typed_date import TypedDateEdit, london_today

COLUMNS = (
    Column("When", lambda r: text.moment(r.get("at"))),
    Column("Who", lambda r: r.get("user_name") or "(unknown user)"),
    Column("Client", lambda r: r.get("client_name") or "(not in your team's records)"),
    Column("What", lambda r: r.get("action_label") or ""),
    Column("Device", lambda r: r.get("device_name") or "—"),
    Column("Why", lambda r: r.get("reason") or ""),
)


def _day_start(day: date) -> str:
    """Midnight at the start of a London day, as the store's UTC text."""
    local = datetime.combine(day, time(0), tzinfo=timeutil.LONDON)
    return timeutil.to_text(local.astimezone(UTC))


class AccessAuditView(QWidget):
    refresh_requested = Signal(object, str, str)  # client id or None, since, until (UTC text)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Access audit")
        title = QLabel(
            "<h2>Access audit</h2>Who looked at your team's clients: when, from which laptop, and why."
        )
        self.client = QComboBox()
        self.client.setAccessibleName("Client")
        self.client.addItem("All clients", None)
        today = london_today()
        self.since, self.until = TypedDateEdit(with_time=False), TypedDateEdit(with_time=False)
        for edit, name, day in ((self.since, "From", today - timedelta(days=30)), (self.until, "To", today)):
            edit.set_value(day)
            edit.setAccessibleName(name)
            edit.returnPressed.connect(self.request_refresh)
        self.refresh_button = QPushButton("Refresh")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Access audit status")
        self.model = RecordTableModel(COLUMNS, self)
        self.table = table(self.model, "Access audit")
        filters = QHBoxLayout()
        for label, widget in (("Client", self.client), ("From", self.since), ("To", self.until)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.request_refresh)
        # Bound methods, not lambdas that hold `self`: PySide6 can crash destroying such a widget.
        self.client.activated.connect(self._client_picked)
        self.resize(1100, 600)

    def _client_picked(self, _index: int) -> None:
        self.request_refresh()

    def request_refresh(self) -> None:
        client_id = self.client.currentData()
        first, last = self.since.reading(), self.until.reading()
        if not isinstance(first, date) or not isinstance(last, date):
            self.status.setText(
                next(p for p in (self.since.problem(), self.until.problem(), "Give both dates.") if p)
            )
            return
        since, until = _day_start(first), _day_start(last + timedelta(days=1))
        self.refresh_button.setEnabled(False)
        self.status.setText("Fetching from the central store…")
        self.refresh_requested.emit(client_id, since, until)

    def show_audit(self, audit: AccessAudit) -> None:
        self.refresh_button.setEnabled(True)
        rows = [{**asdict(e), "action_label": e.action_label} for e in audit.entries]
        self.model.set_rows(rows)
        known = {self.client.itemData(i) for i in range(self.client.count())}
        for row in rows:
            if row["client_id"] and row["client_id"] not in known and row["client_name"]:
                self.client.addItem(row["client_name"], row["client_id"])
                known.add(row["client_id"])
        count = f"{len(rows)} look{'s' if len(rows) != 1 else ''}"
        more = " (the most recent; narrow the dates to see earlier ones)" if audit.more else ""
        self.status.setText(
            f"{count}{more}. Fetched {text.moment(timeutil.now_text())}."
            if rows
            else "No looks in this period."
        )

    def show_error(self, message: str) -> None:
        self.refresh_button.setEnabled(True)
        self.model.clear()
        self.status.setText(f"<b>{message}</b>")

    def clear(self) -> None:
        self.model.clear()
        self.status.clear()
