"""On call: current handover notes, visits not checked out, and a team-wide client finder showing
the on-call summary, with what on call may do about a client (out-of-hours contact, crisis sheet,
break-glass). Says plainly how fresh it is: only as fresh as this laptop's last sync."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.store.freshness import Source
from navigator_desktop.store.views import OnCall, OnCallSummary
from navigator_desktop.ui import text, theme
from navigator_desktop.ui.models import on_call as m
from navigator_desktop.ui.models.on_call_summary import freshness, summary_html
from navigator_desktop.ui.models.records import RECORD_ROLE, selected_record
from navigator_desktop.ui.widgets.buttons import named_button
from navigator_desktop.ui.widgets.columns import bare_column
from navigator_desktop.ui.widgets.risk_banner import RiskBanner
from navigator_desktop.ui.widgets.search_keys import SearchKeys
from navigator_desktop.ui.widgets.tables import table


class OnCallView(QWidget):
    # ("acknowledge", note), ("escalate", visit), ("select_client", client_id), ("out_of_hours", None),
    # ("crisis_pdf", None), ("crisis_print", None)
    requested = Signal(str, object)
    client_activated = Signal(str)  # a client in my caseload: open the full record
    break_glass_requested = Signal(str, str)  # client id, name: a client outside my caseload

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary: OnCallSummary | None = None
        self.names: dict[str, str] = {}
        self.refusal: str | None = None  # why I may not work on call now (OnCall.on_call_refusal)
        self.notes, self.visits, self.clients, self.finder = m.models(self)
        self.heading = QLabel("<h2>On call</h2>")
        self.source = Source()  # where this laptop's records came from (set by the flow)
        self.fresh = QLabel()
        self.fresh.setObjectName("onCallFreshness")
        self.fresh.setWordWrap(True)

        self.note_table = table(self.notes, "Current handover notes", stretch=4)
        self.note_detail = QTextBrowser()
        self.note_detail.setAccessibleName("The selected handover note")
        self.acknowledge = named_button("&Mark as read", "onCallAcknowledge")
        self.visit_table = table(self.visits, "Visits not checked out", stretch=5)
        self.steps = QTextBrowser()
        self.steps.setAccessibleName("Escalation steps of the selected visit")
        self.escalate = named_button("Record an escalation &step…", "recordStep")
        self.note_caption, self.visit_caption = QLabel(), QLabel()

        self.search = QLineEdit()
        self.search.setObjectName("onCallSearch")
        self.search.setPlaceholderText("Find any client of the team by name…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a client of the team")
        self.client_table = table(self.finder, "Team clients", stretch=0)
        self.client_table.setSortingEnabled(True)
        self.client_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.banner = RiskBanner()
        self.summary_view = QTextBrowser()
        self.summary_view.setObjectName("onCallSummary")
        self.summary_view.setAccessibleName("On-call summary")
        self.out_of_hours = named_button("Record &out-of-hours contact…", "outOfHours")
        self.crisis_pdf = named_button("Crisis sheet (&PDF)…", "crisisPdf")
        self.crisis_print = named_button("Pr&int crisis sheet…", "crisisPrint")
        self.full_record = named_button("Open full record (&break-glass)…", "breakGlass")

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self._section(self.note_caption, self.note_table, self.note_detail, self.acknowledge))
        left.addWidget(self._section(self.visit_caption, self.visit_table, self.steps, self.escalate))
        right, column = bare_column()
        find = QLabel("<b>Team client finder</b> (on-call summary)")
        find.setBuddy(self.search)
        column.addWidget(find)
        column.addWidget(self.search)
        column.addWidget(self.client_table, 3)
        column.addWidget(self.banner)
        column.addWidget(self.summary_view, 4)
        for pair in ((self.out_of_hours, self.full_record), (self.crisis_pdf, self.crisis_print)):
            row = QHBoxLayout()
            for b in pair:
                row.addWidget(b)
            column.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([640, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.fresh)
        layout.addWidget(split, 1)

        self.search.textChanged.connect(self.finder.set_text)
        # Enter shows the on-call summary of the selected (or first) client found; Down moves into the list.
        self.search_keys = SearchKeys(
            self.search, [self.client_table], lambda i: self.client_table.selectRow(i.row())
        )
        self.acknowledge.clicked.connect(lambda: self._emit("acknowledge", self.note_table))
        self.escalate.clicked.connect(lambda: self._emit("escalate", self.visit_table))
        self.out_of_hours.clicked.connect(lambda: self.requested.emit("out_of_hours", None))
        self.crisis_pdf.clicked.connect(lambda: self.requested.emit("crisis_pdf", None))
        self.crisis_print.clicked.connect(lambda: self.requested.emit("crisis_print", None))
        self.full_record.clicked.connect(self._open_full)
        self.note_table.selectionModel().selectionChanged.connect(self._note_selected)
        self.visit_table.selectionModel().selectionChanged.connect(self._visit_selected)
        self.client_table.selectionModel().selectionChanged.connect(self._client_selected)
        self.show_summary(None)

    @staticmethod
    def _section(caption: QLabel, view: QTableView, detail: QTextBrowser, button: QPushButton) -> QWidget:
        box, column = bare_column()
        caption.setBuddy(view)
        row = QHBoxLayout()
        row.addWidget(caption, 1)
        row.addWidget(button)
        column.addLayout(row)
        column.addWidget(view, 3)
        detail.setMaximumHeight(110)
        column.addWidget(detail, 1)
        return box

    selected = staticmethod(selected_record)

    def _emit(self, action: str, view: QTableView) -> None:
        record = self.selected(view)
        if record is not None:
            self.requested.emit(action, record)

    def show_on_call(self, data: OnCall, names: dict[str, str]) -> None:
        self.names = names
        if data.on_call_refusal != self.refusal:
            self.refusal = data.on_call_refusal
            self._update_actions()
        keep = {v: (self.selected(v) or {}).get("id") for v in (self.note_table, self.visit_table)}
        self.fresh.setText(freshness(data.last_sync_at))
        self.notes.set_rows(data.notes)
        self.visits.set_rows(data.visits)
        unread = sum(1 for n in data.notes if not n.get("read"))
        overdue = sum(1 for v in data.visits if v.get("overdue"))
        self.note_caption.setText(f"<b>Current handover notes</b> ({len(data.notes)}, {unread} unread)")
        self.visit_caption.setText(
            f"<b>Visits not checked out</b> ({len(data.visits)}"
            + (
                f", <span style='color: {theme.colour('high').name()}'>⚠ {overdue} overdue</span>)"
                if overdue
                else ")"
            )
        )
        for view, rows in ((self.note_table, data.notes), (self.visit_table, data.visits)):
            ids = [r["id"] for r in rows]
            if ids:
                view.selectRow(ids.index(keep[view]) if keep[view] in ids else 0)
        chosen = self.summary.client["id"] if self.summary else None
        if [r["client_id"] for r in data.clients] != [
            self.clients.record(i)["client_id"] for i in range(self.clients.rowCount())
        ]:
            self.clients.set_rows(data.clients)
            if chosen:
                self.select_client(chosen)
        self._note_selected()
        self._visit_selected()

    def select_client(self, client_id: str) -> None:
        for row in range(self.finder.rowCount()):
            if self.finder.index(row, 0).data(RECORD_ROLE)["client_id"] == client_id:
                self.client_table.selectRow(row)
                self.client_table.scrollTo(self.finder.index(row, 0))
                return

    def show_summary(self, summary: OnCallSummary | None) -> None:
        self.summary = summary
        self._update_actions()
        if summary is None:
            self.banner.hide()
            self.summary_view.setHtml("<p><i>Choose a client to see their on-call summary.</i></p>")
            return
        self.banner.show()
        self.banner.show_flags(summary.risks)
        self.summary_view.setHtml(summary_html(summary, self.names, self.source))
        self.full_record.setText("Open full &record" if summary.mine else "Open full record (&break-glass)…")

    def _update_actions(self) -> None:
        """What may be done about the chosen client: for one outside my caseload, an out-of-hours
        contact and break-glass need on-call rights; without them the buttons say why."""
        summary = self.summary
        for b in (self.out_of_hours, self.crisis_pdf, self.crisis_print, self.full_record):
            b.setEnabled(summary is not None)
        self.out_of_hours.setToolTip("A contact out of hours, marked so, for the morning")
        self.full_record.setToolTip(
            "Your client: their full record"
            if summary is not None and summary.mine
            else "A reason is asked for, the record is fetched online, and the look is audited"
        )
        if summary is not None and not summary.mine and self.refusal:
            for b in (self.out_of_hours, self.full_record):
                b.setEnabled(False)
                b.setToolTip(f"{self.refusal} This client is not on your caseload.")

    def clear(self) -> None:
        self.refusal = None
        for model in (self.notes, self.visits, self.clients):
            model.clear()
        for widget in (self.note_detail, self.steps):
            widget.clear()
        self.search.clear()
        self.show_summary(None)

    def _note_selected(self, *_: QItemSelection) -> None:
        note = self.selected(self.note_table)
        self.acknowledge.setEnabled(bool(note) and not note.get("read"))  # type: ignore[union-attr]
        self.note_detail.setHtml(
            f"<p>{escape(note['text'])}</p><p><i>By {escape(self.names.get(note['author_id'], '—'))}, "
            f"{text.moment(note['valid_from'])}</i></p>"
            if note
            else ""
        )

    def _visit_selected(self, *_: QItemSelection) -> None:
        visit = self.selected(self.visit_table)
        self.escalate.setEnabled(visit is not None)
        if visit is None:
            self.steps.clear()
            return
        steps = "".join(
            f"<li>{text.clock(s['occurred_at'])} — <b>{m.STEP_WORDS.get(s['step'], s['step'])}</b>"
            f" ({escape(self.names.get(s['author_id'], '—'))})"
            f"{': ' + escape(s['notes']) if s.get('notes') else ''}</li>"
            for s in visit.get("steps") or []
        )
        who = f"{escape(visit.get('worker') or '—')}, checked in {text.clock(visit.get('checked_in_at'))}"
        call = escape(visit.get("call_contact") or "—")
        self.steps.setHtml(
            f"<p>{who}; who to call: {call}</p>"
            + (f"<ol>{steps}</ol>" if steps else "<p><i>No escalation steps recorded yet.</i></p>")
        )

    def _client_selected(self, *_: QItemSelection) -> None:
        client = self.selected(self.client_table)
        if client is not None:
            self.requested.emit("select_client", client["client_id"])

    def _open_full(self) -> None:
        if self.summary is None:
            return
        c = self.summary.client
        if self.summary.mine:
            self.client_activated.emit(c["id"])
        else:
            self.break_glass_requested.emit(c["id"], text.full_name(c))
