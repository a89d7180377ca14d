"""Today: my visits, the reviews and risk reviews coming due, and handover notes I have not read;
for a team manager, also the team's open safeguarding concerns."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from navigator_desktop.store.views import Today
from navigator_desktop.ui import text, theme
from navigator_desktop.ui.models.records import CLIENT_ROLE, RECORD_ROLE, Column, RecordTableModel
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
    Column(
        "Risk",
        lambda r: f"{theme.RISK_WORDS[r['severity']]}: {text.label(r['category'])}",
        lambda r: r["severity"],
    ),
]
NOTE_COLUMNS = [
    Column(
        "Priority",
        lambda n: "⚑ Urgent" if n["priority"] == "urgent" else "Routine",
        lambda n: "high" if n["priority"] == "urgent" else None,
    ),
    Column("About", lambda n: n.get("client") or "The team"),
    Column("Note", lambda n: text.first_line(n["text"], 90)),
]
CONCERN_COLUMNS = [
    Column("Raised", lambda c: text.day(c["recorded_at"])),
    Column("Client", lambda c: c.get("client") or "—"),
    Column("Category", lambda c: text.label(c["category"]), lambda _c: "high"),
    Column("What was seen or said", lambda c: text.first_line(c["observed"], 80)),
]


class TodayView(QWidget):
    client_activated = Signal(str)
    visit_requested = Signal(str, object)  # "plan", "start", "extend" or "check_out"; the visit or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel("<h2>Today</h2>")
        self.visits = RecordTableModel(VISIT_COLUMNS, self)
        self.reviews = RecordTableModel(REVIEW_COLUMNS, self)
        self.risk_reviews = RecordTableModel(RISK_COLUMNS, self)
        self.handover = RecordTableModel(NOTE_COLUMNS, self)
        self.concerns = RecordTableModel(CONCERN_COLUMNS, self)
        grid = QGridLayout()
        self.visit_table: QTableView
        self.counts: dict[str, QLabel] = {}
        self.sections: dict[str, QWidget] = {}
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
            (
                "concerns",
                "Open safeguarding concerns in the team (4 weeks)",
                self.concerns,
                "No open safeguarding concerns.",
            ),
        )
        for i, (key, title, model, empty) in enumerate(sections):
            self.sections[key] = holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            caption = QLabel()
            self.counts[key] = caption
            view = table(model, title, stretch=model.columnCount() - 1)
            view.activated.connect(self._activated)
            caption.setBuddy(view)

            def update(
                _: object = None,
                c: QLabel = caption,
                m: RecordTableModel = model,
                t: str = title,
                e: str = empty,
            ) -> None:
                c.setText(f"<b>{t}</b> ({m.rowCount()})" if m.rowCount() else f"<b>{t}</b> — <i>{e}</i>")

            model.modelReset.connect(update)
            update()
            box.addWidget(caption)
            box.addWidget(view)
            if key == "visits":
                self.visit_table = view
                box.addLayout(self._visit_buttons())
            grid.addWidget(holder, i // 2, i % 2)
        self.sections["concerns"].hide()  # a team manager's only (show_today)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)

    def _visit_buttons(self) -> QHBoxLayout:
        self.plan_visit = QPushButton("&Plan a visit…")
        self.start_visit = QPushButton("&Start visit…")
        self.start_visit.setToolTip("Read the safety briefing, then check in")
        self.extend_visit = QPushButton("E&xtend visit…")
        self.extend_visit.setToolTip("Need longer? Add minutes to the expected end (sent at once)")
        self.check_out = QPushButton("Check &out…")
        row = QHBoxLayout()
        for button, action in (
            (self.plan_visit, "plan"),
            (self.start_visit, "start"),
            (self.extend_visit, "extend"),
            (self.check_out, "check_out"),
        ):
            button.setObjectName(f"visit_{action}")
            button.clicked.connect(lambda _=False, a=action: self._visit_action(a))
            row.addWidget(button)
        row.addStretch(1)
        self.visit_table.selectionModel().selectionChanged.connect(self._update_visit_buttons)
        self.visits.modelReset.connect(self._update_visit_buttons)
        self._update_visit_buttons()
        return row

    def selected_visit(self) -> dict[str, object] | None:
        rows = self.visit_table.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def _visit_action(self, action: str) -> None:
        self.visit_requested.emit(action, None if action == "plan" else self.selected_visit())

    def _update_visit_buttons(self, *_: object) -> None:
        visit = self.selected_visit() or {}
        self.start_visit.setEnabled(visit.get("status") == "planned")
        running = bool(visit.get("checked_in_at")) and not visit.get("checked_out_at")
        self.check_out.setEnabled(running)
        self.extend_visit.setEnabled(running)

    def show_today(self, today: Today) -> None:
        self.heading.setText(f"<h2>Today — {text.day(text.today())}</h2>")
        kept = (self.selected_visit() or {}).get("id")
        self.visits.set_rows(today.visits)
        ids = [v["id"] for v in today.visits]
        if ids:
            self.visit_table.selectRow(ids.index(kept) if kept in ids else 0)
        self.reviews.set_rows(today.reviews)
        self.risk_reviews.set_rows(today.risk_reviews)
        self.handover.set_rows(today.handover)
        self.concerns.set_rows(today.concerns or [])
        self.sections["concerns"].setVisible(today.concerns is not None)

    def clear(self) -> None:
        for model in (self.visits, self.reviews, self.risk_reviews, self.handover, self.concerns):
            model.clear()

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.data(CLIENT_ROLE)
        if client_id:
            self.client_activated.emit(client_id)
