"""Today: my visits, the reviews and risk reviews coming due, and handover notes I have not read."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from navigator_desktop.store.views import Today
from navigator_desktop.ui import text, theme
from navigator_desktop.ui.models.records import CLIENT_ROLE, Column, RecordTableModel
from navigator_desktop.ui.widgets.tables import table


def _visit_status(v: dict[str, object]) -> str:
    if v.get("overdue"):
        return "⚠ Overdue: not checked out"
    return text.label(str(v.get("status")))


VISIT_COLUMNS = [
    Column("Time", lambda v: text.clock(v["planned_start"])),
    Column("Client", lambda v: v.get("client") or "—"),
    Column("Place", lambda v: text.first_line(v.get("place"), 40)),
    Column("Status", _visit_status, lambda v: "high" if v.get("overdue") else None),
]
REVIEW_COLUMNS = [
    Column("Due", lambda r: text.review(r["due"])),
    Column("Client", lambda r: r.get("client") or "—"),
    Column("Review", lambda r: text.first_line(r["what"], 60)),
]
RISK_COLUMNS = [
    Column("Due", lambda r: text.review(r.get("review_date"))),
    Column("Client", lambda r: r.get("client") or "—"),
    Column("Risk", lambda r: f"{theme.RISK_WORDS[r['severity']]}: {text.label(r['category'])}",
           lambda r: r["severity"]),
]  # fmt: skip
NOTE_COLUMNS = [
    Column("Priority", lambda n: "⚑ Urgent" if n["priority"] == "urgent" else "Routine",
           lambda n: "high" if n["priority"] == "urgent" else None),
    Column("About", lambda n: n.get("client") or "The team"),
    Column("Note", lambda n: text.first_line(n["text"], 90)),
]  # fmt: skip


class TodayView(QWidget):
    client_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel("<h2>Today</h2>")
        self.visits = RecordTableModel(VISIT_COLUMNS, self)
        self.reviews = RecordTableModel(REVIEW_COLUMNS, self)
        self.risk_reviews = RecordTableModel(RISK_COLUMNS, self)
        self.handover = RecordTableModel(NOTE_COLUMNS, self)
        grid = QGridLayout()
        self.counts: dict[str, QLabel] = {}
        sections = (
            ("visits", "Visits today", self.visits, "No visits planned today."),
            ("handover", "Unread handover notes", self.handover, "No unread handover notes."),
            ("reviews", "Reviews due this week", self.reviews, "No reviews due this week."),
            (
                "risk_reviews",
                "Risk reviews due this week",
                self.risk_reviews,
                "No risk reviews due this week.",
            ),
        )
        for i, (key, title, model, empty) in enumerate(sections):
            box = QVBoxLayout()
            caption = QLabel()
            self.counts[key] = caption
            view = table(model, title, stretch=model.columnCount() - 1)
            view.activated.connect(self._activated)
            caption.setBuddy(view)

            def update(_: object = None, c: QLabel = caption, m: RecordTableModel = model,
                       t: str = title, e: str = empty) -> None:  # fmt: skip
                c.setText(f"<b>{t}</b> ({m.rowCount()})" if m.rowCount() else f"<b>{t}</b> — <i>{e}</i>")

            model.modelReset.connect(update)
            update()
            box.addWidget(caption)
            box.addWidget(view)
            grid.addLayout(box, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)

    def show_today(self, today: Today) -> None:
        self.heading.setText(f"<h2>Today — {text.day(text.today())}</h2>")
        self.visits.set_rows(today.visits)
        self.reviews.set_rows(today.reviews)
        self.risk_reviews.set_rows(today.risk_reviews)
        self.handover.set_rows(today.handover)

    def clear(self) -> None:
        for model in (self.visits, self.reviews, self.risk_reviews, self.handover):
            model.clear()

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.data(CLIENT_ROLE)
        if client_id:
            self.client_activated.emit(client_id)
