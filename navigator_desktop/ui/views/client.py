"""One client's record: a header with the risk banner, and tabs for everything kept about them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_core import nhs
from navigator_desktop.store.freshness import Source
from navigator_desktop.store.plans import Plan
from navigator_desktop.store.views import ClientRecord
from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import Record, RecordTableModel, selected_record
from navigator_desktop.ui.views import client_tabs as tabs
from navigator_desktop.ui.views.actions import ClientAction
from navigator_desktop.ui.views.plan_pane import PlanPane
from navigator_desktop.ui.views.referrals_pane import ReferralsPane
from navigator_desktop.ui.views.safeguarding import SafeguardingPane
from navigator_desktop.ui.widgets.buttons import named_button
from navigator_desktop.ui.widgets.risk_banner import RiskBanner
from navigator_desktop.ui.widgets.tables import table


class ClientView(QWidget):
    # (action, record or None): new_contact, amend_contact, contact_in_error, edit_client, raise_risk,
    # review_risk, resolve_risk, write_note, acknowledge; the support plan tab's (see PlanPane);
    # export_subject_access, export_handover_client, export_handover_team
    requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.record: ClientRecord | None = None
        self.names: dict[str, str] = {}
        self._reveal: str | None = None  # a contact to show once its client's record is on screen
        self.name = QLabel()
        self.name.setObjectName("clientName")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.banner = RiskBanner()
        self.sync_note = QLabel()  # "Risk changed by sync at 14:02": the banner changed while open
        self.sync_note.setObjectName("riskSyncNote")
        self.sync_note.setAccessibleName("Risk changed by sync")
        self.sync_note.setStyleSheet("font-weight: bold")
        self.sync_note.hide()
        self.source = Source()  # where this laptop's records came from (set by the flow)
        self.refreshed = QLabel()
        self.refreshed.setObjectName("refreshedAt")
        self.status = QLabel()

        self.new_contact = named_button("New con&tact", "newContact")
        self.new_contact.setToolTip("Record a contact (Ctrl+N)")
        self.edit = named_button("&Edit details", "editClient")
        self.note = named_button("&Handover note", "writeNote")
        self.exports = named_button("E&xport", "exports")
        self.exports.setToolTip("Paper and archives of this record; every export is audited")
        menu = QMenu(self.exports)
        for caption, action in (
            ("Support plan (PDF)…", ClientAction.EXPORT_PLAN),
            ("Handover sheet for this client (PDF)…", ClientAction.EXPORT_HANDOVER_CLIENT),
            ("Handover sheet for the team (PDF)…", ClientAction.EXPORT_HANDOVER_TEAM),
            ("Subject access: everything held here (.zip)…", ClientAction.EXPORT_SUBJECT_ACCESS),
        ):
            menu.addAction(caption).triggered.connect(lambda _=False, a=action: self.requested.emit(a, None))
        self.exports.setMenu(menu)
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        for b in (self.new_contact, self.edit, self.note, self.exports):
            top.addWidget(b)
        self.plan_visit = named_button("Plan a visit…", "planVisit")  # lone working (flows/visits.py)
        self.plan_visit.clicked.connect(lambda: self.requested.emit(ClientAction.PLAN_VISIT, None))
        top.addWidget(self.plan_visit)

        self.contacts = RecordTableModel([], self)
        self.risks = RecordTableModel([], self)
        self.plan = PlanPane()
        self.goals = self.plan.goals
        self.notes = RecordTableModel([], self)
        self.audit = RecordTableModel([], self)
        self.versions = RecordTableModel([], self)

        self.overview = QTextBrowser()
        self.overview.setAccessibleName("Overview")
        self.contact_table = table(self.contacts, "Contacts timeline")
        self.contact_detail = QTextBrowser()
        self.contact_detail.setAccessibleName("The selected contact")
        self.amend = named_button("C&orrect…", "amendContact")
        self.in_error = named_button("&Mark entered in error…", "contactInError")
        self.for_supervision = named_button("For &supervision…", "raiseSupervision")
        self.for_supervision.setToolTip("Raise this contact in supervision, with a line of why")
        self.refer_contact = named_button("Re&fer / signpost…", "referFromContact")
        self.refer_contact.setToolTip("Refer or signpost the client to an agency after this contact")
        self.risk_table = table(self.risks, "Risk flags")
        self.risk_detail = QTextBrowser()
        self.risk_detail.setAccessibleName("The selected risk flag and its history")
        self.raise_risk = named_button("Raise a risk &flag…", "raiseRisk")
        self.review = named_button("Revie&w…", "reviewRisk")
        self.resolve = named_button("Reso&lve…", "resolveRisk")
        self.note_table = table(self.notes, "Handover notes")
        self.acknowledge = named_button("&Mark as read", "acknowledgeNote")
        self.note_detail = QTextBrowser()
        self.note_detail.setAccessibleName("The selected handover note")
        self.write_note = named_button("&Write a note…", "writeNote2")

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Client record")
        self.tabs.addTab(self.overview, "O&verview")
        self.tabs.addTab(
            self._pane(
                self.contact_table,
                self.contact_detail,
                self.amend,
                self.in_error,
                self.for_supervision,
                self.refer_contact,
            ),
            "&Contacts",
        )
        self.tabs.addTab(
            self._pane(self.risk_table, self.risk_detail, self.raise_risk, self.review, self.resolve), "R&isk"
        )
        self.tabs.addTab(self.plan, "Support &plan")
        self.tabs.addTab(
            self._pane(self.note_table, self.note_detail, self.write_note, self.acknowledge), "Han&dover"
        )
        self.safeguarding = SafeguardingPane()
        self.tabs.addTab(self.safeguarding, "Safeg&uarding")
        self.referrals = ReferralsPane()
        self.partners: list[Record] = []  # the agencies the client works with, for the overview
        self.tabs.addTab(self.referrals, "Referrals")
        history = QSplitter(Qt.Orientation.Vertical)
        for model, caption in (
            (self.audit, "Who looked at or changed this record (newest first)"),
            (self.versions, "Earlier versions of contacts, and contacts entered in error"),
        ):
            box = QWidget()
            column = QVBoxLayout(box)
            label = QLabel(f"<b>{caption}</b>")
            shown = table(model, caption)
            label.setBuddy(shown)
            column.addWidget(label)
            column.addWidget(shown)
            history.addWidget(box)
        self.tabs.addTab(history, "Histor&y")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.banner)
        layout.addWidget(self.sync_note)
        layout.addWidget(self.refreshed)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        wiring = {
            self.new_contact: (ClientAction.NEW_CONTACT, None),
            self.edit: (ClientAction.EDIT_CLIENT, None),
            self.note: (ClientAction.WRITE_NOTE, None),
            self.write_note: (ClientAction.WRITE_NOTE, None),
            self.raise_risk: (ClientAction.RAISE_RISK, None),
            self.amend: (ClientAction.AMEND_CONTACT, self.contact_table),
            self.in_error: (ClientAction.CONTACT_IN_ERROR, self.contact_table),
            self.for_supervision: (ClientAction.RAISE_SUPERVISION, self.contact_table),
            self.refer_contact: (ClientAction.REFER_FROM_CONTACT, self.contact_table),
            self.review: (ClientAction.REVIEW_RISK, self.risk_table),
            self.resolve: (ClientAction.RESOLVE_RISK, self.risk_table),
            self.acknowledge: (ClientAction.ACKNOWLEDGE, self.note_table),
        }
        for button, (action, source) in wiring.items():
            button.clicked.connect(lambda _=False, a=action, s=source: self._request(a, s))
        self.contact_table.selectionModel().selectionChanged.connect(self._contact_selected)
        self.risk_table.selectionModel().selectionChanged.connect(self._risk_selected)
        self.note_table.selectionModel().selectionChanged.connect(self._note_selected)
        self.plan.requested.connect(self.requested)
        self.safeguarding.requested.connect(self.requested)
        self.referrals.requested.connect(self.requested)
        self._update_buttons()

    @staticmethod
    def _pane(view: QTableView, detail: QTextBrowser | None, *buttons: QPushButton) -> QWidget:
        pane = QWidget()
        column = QVBoxLayout(pane)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)
        if detail is None:
            column.addWidget(view)
        else:
            split = QSplitter(Qt.Orientation.Vertical)
            split.addWidget(view)
            split.addWidget(detail)
            split.setSizes([300, 200])
            column.addWidget(split)
        return pane

    selected = staticmethod(selected_record)

    def _request(self, action: str, source: QTableView | None) -> None:
        record = self.selected(source) if source is not None else None
        if source is None or record is not None:
            self.requested.emit(action, record)

    def set_names(self, names: dict[str, str]) -> None:
        self.names = names
        self.contacts.columns = tabs.contact_columns(names)
        self.risks.columns = tabs.risk_columns(names)
        self.notes.columns = tabs.note_columns(names)
        self.audit.columns = tabs.audit_columns(names)
        self.versions.columns = tabs.version_columns(names)
        self.plan.set_names(names)
        self.safeguarding.set_names(names)
        self.referrals.set_names(names)

    def show_record(self, record: ClientRecord) -> None:
        same_client = self.record is not None and self.record.client["id"] == record.client["id"]
        keep = {
            view: (self.selected(view) or {}).get("id") if same_client else None
            for view in (self.contact_table, self.risk_table, self.note_table)
        }
        self.record = record
        c = record.client
        preferred = c.get("preferred_name")
        shown = text.full_name(c)
        if preferred and preferred != c["given_name"]:
            shown += f" (“{preferred}”)"
        self.name.setText(f"<h2>{shown}</h2>")
        self.name.setAccessibleName(f"Client {shown}")
        parts = [
            f"Born {text.day(c.get('date_of_birth'))} (age {text.age(c.get('date_of_birth'))})",
            f"NHS {nhs.spaced(c['nhs_number'])}" if c.get("nhs_number") else "NHS number not recorded",
            c.get("pronouns") or "",
            text.label(c.get("status")),
            f"Key worker: {self.names.get(c.get('key_worker_id') or '', '—')}",
            f"Phone: {c['phone']}" if c.get("phone") else "",
        ]
        self.details.setText(" · ".join(p for p in parts if p))
        self.banner.show_flags(record.active_risks)
        self.refreshed.setText(f"↻ {self.source.words(c.get('refreshed_at'))}")
        if not same_client:
            self.partners = []
            self.referrals.clear()
        self.overview.setHtml(tabs.overview_html(c, self.names, self.partners))
        self.contacts.set_rows(record.timeline)
        self.risks.set_rows(record.risks)
        if not same_client:
            self.plan.clear()
        self.plan.show_goals(record.goals)
        self.notes.set_rows(record.notes)
        self.audit.set_rows(record.audit)
        self.versions.set_rows(record.contact_history)
        self.safeguarding.show_concerns(record.safeguarding)
        still_open = sum(1 for c in record.safeguarding if c.get("open"))
        shown_open = f" ({still_open} open)" if still_open else ""
        self.tabs.setTabText(self.tabs.indexOf(self.safeguarding), f"Safeg&uarding{shown_open}")
        self.tabs.setTabText(1, f"&Contacts ({len(record.timeline)})")
        self.tabs.setTabText(2, f"R&isk ({len(record.active_risks)} active)")
        unread = sum(1 for n in record.notes if not n.get("read"))
        self.tabs.setTabText(4, f"Han&dover ({unread} unread)" if unread else "Han&dover")
        if not same_client:
            self.tabs.setCurrentIndex(0)
        self.contact_detail.clear()
        self.risk_detail.clear()
        for view, rows in ((self.contact_table, record.timeline), (self.risk_table, record.risks),
                           (self.note_table, record.notes)):  # fmt: skip
            ids = [r["id"] for r in rows]
            if rows:
                view.selectRow(ids.index(keep[view]) if keep[view] in ids else 0)
        if self._reveal is not None:
            self._show_contact(self._reveal, record.timeline)
        self._update_buttons()

    def reveal_contact(self, contact_id: str) -> None:
        """Show this contact on the Contacts tab when its client's record next arrives (a link
        from another screen, such as the supervision list)."""
        self._reveal = contact_id

    def _show_contact(self, contact_id: str, timeline: list[Record]) -> None:
        self._reveal = None
        ids = [c["id"] for c in timeline]
        if contact_id in ids:
            self.tabs.setCurrentIndex(1)
            self.contact_table.selectRow(ids.index(contact_id))

    def show_referrals(self, client_id: str, referrals: list[Record], partners: list[Record]) -> None:
        """The client's referrals and signposts, and the agencies they work with (on the overview)."""
        if self.record is None or self.record.client["id"] != client_id:
            return
        self.partners = partners
        self.referrals.show_referrals(client_id, referrals)
        self.tabs.setTabText(self.tabs.indexOf(self.referrals), f"Referrals ({len(referrals)})")
        self.overview.setHtml(tabs.overview_html(self.record.client, self.names, partners))

    def show_sync_note(self, note: str) -> None:
        self.sync_note.setText(f"↻ {note}" if note else "")
        self.sync_note.setVisible(bool(note))

    def clear(self) -> None:
        self.show_sync_note("")
        self.record = None
        self.plan.clear()
        self.safeguarding.clear()
        self.referrals.clear()
        self.partners = []
        for model in (self.contacts, self.risks, self.notes, self.audit, self.versions):
            model.clear()
        for widget in (self.overview, self.contact_detail, self.risk_detail, self.note_detail):
            widget.clear()
        self.name.clear()
        self.details.clear()
        self.banner.show_flags([])

    def show_plan(self, plan: Plan) -> None:
        if self.record is not None and plan.client_id == self.record.client["id"]:
            self.plan.show_plan(plan)
            open_goals = sum(1 for g in plan.goals if g["status"] not in ("achieved", "stopped"))
            self.tabs.setTabText(3, f"Support &plan ({open_goals} open)")

    def _contact_selected(self, *_: QItemSelection) -> None:
        self._show_selected(self.contact_table, self.contact_detail, self._contact_html)

    def _contact_html(self, contact: Record, names: dict[str, str]) -> str:
        """A contact and the concerns for supervision raised on it."""
        raised = self.record.supervision if self.record else []
        return tabs.contact_html(contact, names, [s for s in raised if s["target_id"] == contact["id"]])

    def _show_selected(
        self, view: QTableView, detail: QTextBrowser, html: Callable[[Record, dict[str, str]], str]
    ) -> None:
        """The record selected in `view`, in `detail` as `html` writes it."""
        record = self.selected(view)
        detail.setHtml(html(record, self.names) if record else "")
        self._update_buttons()

    def _risk_selected(self, *_: QItemSelection) -> None:
        flag = self.selected(self.risk_table)
        if flag and self.record:
            revisions = self.record.risk_history.get(flag["id"], [])
            self.risk_detail.setHtml(tabs.risk_html(flag, revisions, self.names))
        self._update_buttons()

    def _note_selected(self, *_: QItemSelection) -> None:
        self._show_selected(self.note_table, self.note_detail, tabs.note_html)

    def _update_buttons(self, *_: object) -> None:
        contact = self.selected(self.contact_table)
        flag = self.selected(self.risk_table)
        note = self.selected(self.note_table)
        self.amend.setEnabled(contact is not None)
        self.in_error.setEnabled(contact is not None)
        self.for_supervision.setEnabled(contact is not None)
        self.refer_contact.setEnabled(contact is not None)
        active = flag is not None and flag["status"] == "active"
        self.review.setEnabled(active)
        self.resolve.setEnabled(active)
        self.acknowledge.setEnabled(note is not None and not note.get("read"))
