"""The on-call screen's lists: columns for the handover notes, the visits not checked out and the
team client finder, and the finder's search-as-you-type filter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from navigator_desktop.ui import text, theme
from navigator_desktop.ui.models.records import Column, RecordTableModel

Record = dict[str, Any]
STEP_WORDS = {
    "called_worker": "Called the worker",
    "called_buddy": "Called the buddy",
    "called_key_contact": "Called the key contact",
    "called_manager": "Called the manager",
    "escalated_to_police": "Escalated to police",
    "worker_safe": "Worker safe",
    "other": "Other",
    "sos_raised": "SOS: asked for help",
    "notified": "Alert sent",
    "notification_failed": "Alert failed",
    "acknowledged_by_link": "Acknowledged from the alert",
    "alerts_stopped": "Alerts stopped",
}


def visit_state(v: Record) -> str:
    if v.get("overdue"):
        return "⚠ OVERDUE: not checked out"
    if v.get("checked_in_at"):
        return "In progress"
    return "Not checked in"


def latest_step(v: Record) -> str:
    steps = v.get("steps") or []
    return (
        f"{STEP_WORDS.get(steps[-1]['step'], '—')} ({text.clock(steps[-1]['occurred_at'])})" if steps else "—"
    )


NOTE_COLUMNS = [
    Column("", lambda n: "Read" if n.get("read") else "● Unread"),
    Column(
        "Priority",
        lambda n: "⚑ Urgent" if n["priority"] == "urgent" else "Routine",
        lambda n: "high" if n["priority"] == "urgent" else None,
    ),
    Column("About", lambda n: n.get("client") or "The team"),
    Column("Until", lambda n: text.moment(n.get("valid_until")) if n.get("valid_until") else "7 days"),
    Column("Note", lambda n: text.first_line(n["text"], 90)),
]
VISIT_COLUMNS = [
    Column("Status", visit_state, lambda v: "high" if v.get("overdue") else None),
    Column("Expected out", lambda v: text.clock(v.get("due_out_at"))),
    Column("Client", lambda v: v.get("client") or "—"),
    Column("Worker", lambda v: v.get("worker") or "—"),
    Column("Latest step", latest_step),
    Column("Place", lambda v: text.first_line(v.get("place"), 50)),
]
FINDER_COLUMNS = [
    Column("Client", lambda c: c["client"]),
    Column("Risk", lambda c: theme.RISK_WORDS.get(c.get("risk") or "", "—"), lambda c: c.get("risk") or None),
    Column("Caseload", lambda c: "Mine" if c.get("mine") else "Team"),
]


class FinderProxy(QSortFilterProxyModel):
    """Keeps the clients whose name holds every word typed, in any order, ignoring case."""

    def __init__(self, source: RecordTableModel):
        super().__init__()
        self.setSourceModel(source)
        self._words: list[str] = []

    def set_text(self, typed: str) -> None:
        self.beginFilterChange()
        self._words = typed.casefold().replace(",", " ").split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        source = self.sourceModel()
        assert isinstance(source, RecordTableModel)
        if parent.isValid() or not 0 <= row < source.rowCount():
            return False
        name = str(source.record(row)["client"]).casefold()
        return all(w in name for w in self._words)


def models(parent: Any) -> tuple[RecordTableModel, RecordTableModel, RecordTableModel, FinderProxy]:
    notes = RecordTableModel(NOTE_COLUMNS, parent)
    visits = RecordTableModel(VISIT_COLUMNS, parent)
    clients = RecordTableModel(FINDER_COLUMNS, parent)
    proxy = FinderProxy(clients)
    proxy.setParent(parent)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return notes, visits, clients, proxy
