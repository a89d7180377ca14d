"""Reports: the service's measures for my caseload (a navigator) or the team (a manager).

A period selector, the scope in words, the headline figures, then one tab per group of measures
with a table for each (and a bar chart where a picture reads better). Every table can be saved
as CSV; the flow does the saving and the audit. No SQL here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.documents import partnership_csv, report_csv
from navigator_desktop.store.reports import Period, Report
from navigator_desktop.store.reports.partnership import PartnershipReport
from navigator_desktop.ui import text
from navigator_desktop.ui.dialogs import export_dialog
from navigator_desktop.ui.models.partnership import PartnershipTableModel
from navigator_desktop.ui.models.reports import CLIENT_ROLE, ReportTableModel, RowsTableModel
from navigator_desktop.ui.text import label
from navigator_desktop.ui.views import partnership
from navigator_desktop.ui.widgets.bar_chart import BarChart
from navigator_desktop.ui.widgets.tables import table


def _financial_year(today: date) -> Period:
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    end = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return Period(start, end)


PERIODS: list[tuple[str, Callable[[date], Period]]] = [
    ("Last 12 full months", lambda t: Period.last_full_months(12, t)),
    ("Last 6 full months", lambda t: Period.last_full_months(6, t)),
    ("Last 3 full months", lambda t: Period.last_full_months(3, t)),
    ("Last full month", lambda t: Period.last_full_months(1, t)),
    ("This financial year so far", _financial_year),
]
FIGURES = (  # key, caption, what it counts (the tooltip)
    ("per_client", "Contacts per client per month",
     "Contacts delivered (every type but did not attend and cancelled) over the clients open that "
     "month, averaged over the months of the period."),
    ("dna", "Did-not-attend rate",
     "Did not attend over attempted contacts: home, community, office, phone, video and "
     "with-another-agency contacts and did-not-attends. Texts and cancelled contacts are not counted."),
    ("plans", "Plan reviews on time",
     "Support-plan goal reviews that fell due in the period (up to yesterday), and how many were done "
     "by their due date: the review date moved on, or a plan review was recorded."),
    ("risk", "Risk reviews overdue now",
     "Active risk flags whose review date has passed, as of today, out of all active flags."),
    ("outcomes", "Outcomes achieved", "Outcomes achieved in the period, on every pathway."),
    ("housing", "Median days, hospital to housing",
     "Days from hospital discharge to housing secured, for clients housed in the period; and how many "
     "discharged clients are still waiting."),
)  # fmt: skip
SUPPRESSION_NOTE = (
    "<p><b>Reported in aggregate only.</b> These are the clients open at any time in the period, "
    "counted by what their records say; every field is optional and “prefer not to say” is always "
    "offered.</p><p>Counts from 1 to 4 are shown as <b>fewer than 5</b>. Where a small count could "
    "be worked out from the total, another count is hidden too (<b>suppressed</b>): it may be any "
    "number. A 0 is shown, as it describes nobody.</p>"
)


class ReportsView(QWidget):
    period_changed = Signal()
    export_requested = Signal(str)  # a report_csv (or partnership_csv) table key
    client_activated = Signal(str)
    shown = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.report: Report | None = None
        self.models = {key: ReportTableModel(key, self) for key in report_csv.TABLES}
        self.partnership: PartnershipReport | None = None
        self.partnership_models = {key: PartnershipTableModel(key, self) for key in partnership_csv.TABLES}
        self.period = QComboBox()
        self.period.setAccessibleName("Report period")
        for name, _ in PERIODS:
            self.period.addItem(name)
        self.period.currentIndexChanged.connect(lambda _: self.period_changed.emit())
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period)
        self.scope = QLabel()
        self.scope.setAccessibleName("Scope")
        self.state = QLabel()
        self.state.setAccessibleName("Report status")
        top = QHBoxLayout()
        for widget in (period_label, self.period, self.scope):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.state)

        self.figures: dict[str, QLabel] = {}
        strip = QGridLayout()
        for i, (key, caption, meaning) in enumerate(FIGURES):
            figure = QLabel()
            figure.setAccessibleName(caption)
            figure.setToolTip(meaning)
            figure.setFrameShape(QLabel.Shape.StyledPanel)
            figure.setMargin(6)
            self.figures[key] = figure
            strip.addWidget(figure, 0, i)

        self.contacts_chart = BarChart("Contacts per client, by month")
        self.outcomes_chart = BarChart("Outcomes achieved, by pathway", horizontal=True)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Report sections")
        self.tabs.addTab(
            self._tab(self.contacts_chart, ["contacts_by_month", "contacts_by_client"]), "&Contacts"
        )
        self.tabs.addTab(self._tab(None, ["plan_reviews", "risk_overdue"]), "Plans and ris&k")
        self.tabs.addTab(
            self._tab(self.outcomes_chart, ["outcomes_by_pathway", "outcomes", "housing"]), "&Outcomes"
        )
        self.tabs.addTab(self._tab(None, ["equality"], note=SUPPRESSION_NOTE), "&Equality")
        self.tabs.addTab(
            partnership.partnership_tab(self._section, self.partnership_models), partnership.TITLE
        )
        # Reports count what this laptop holds: who retention has removed is said, not hidden.
        self.retention = QLabel()
        self.retention.setWordWrap(True)
        self.retention.setAccessibleName("Clients not counted")

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Reports</h2>"))
        layout.addLayout(top)
        layout.addLayout(strip)
        layout.addWidget(self.retention)
        layout.addWidget(self.tabs, 1)
        self.clear()

    def _tab(self, chart: BarChart | None, keys: list[str], note: str | None = None) -> QWidget:
        page = QWidget()
        if note:  # one narrow table (equality monitoring) with what its words mean beside it
            row_layout = QHBoxLayout(page)
            section = self._section(keys[0])
            section.setMaximumWidth(560)
            words = QLabel(note)
            self.equality_note = words
            words.setWordWrap(True)
            words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            row_layout.addWidget(section, 1)
            row_layout.addWidget(words, 1)
            return page
        column = QVBoxLayout(page)
        tables = QSplitter(Qt.Orientation.Vertical if chart is not None else Qt.Orientation.Horizontal)
        tables.setChildrenCollapsible(False)
        if chart is not None:
            top = QSplitter()
            top.addWidget(chart)
            top.addWidget(self._section(keys[0]))
            top.setSizes([420, 700])
            tables.addWidget(top)
            keys = keys[1:]
        row = QSplitter() if chart is not None else tables
        for key in keys:
            row.addWidget(self._section(key))
        if row is not tables:
            tables.addWidget(row)
        column.addWidget(tables, 1)
        return page

    def _section(self, key: str, model: RowsTableModel | None = None) -> QWidget:
        model = model if model is not None else self.models[key]
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(f"<b>{model.title}</b>")
        save = QPushButton("Save as CSV…")
        save.setObjectName(f"export_{key}")
        save.setAccessibleName(f"Save {model.title} as CSV")
        save.clicked.connect(lambda: self.export_requested.emit(key))
        row = QHBoxLayout()
        row.addWidget(heading, 1)
        row.addWidget(save)
        view = table(model, model.title, stretch=0)
        heading.setBuddy(view)
        view.activated.connect(self._activated)
        column.addLayout(row)
        column.addWidget(view, 1)
        return box

    def selected_period(self, today: date | None = None) -> Period:
        return PERIODS[self.period.currentIndex()][1](today or date.fromisoformat(text.today()))

    def say(self, text: str) -> None:
        self.state.setText(text)

    def show_report(self, report: Report) -> None:
        self.report = report
        scope = report.scope
        count = len(scope.client_ids)
        self.scope.setText(
            f"<b>{scope.label}</b> — {count} client{'s' if count != 1 else ''}, {report.period.label}"
        )
        self.state.setText(f"Figures as held on this laptop, {report.today:%d %b %Y}.")
        self.retention.setText(f"<i>{escape(report.retention.text)}</i>")
        withheld = report.equality_withheld
        self.equality_note.setText(
            f"<p><b>{escape(withheld)}</b></p>{SUPPRESSION_NOTE}" if withheld else SUPPRESSION_NOTE
        )
        for model in self.models.values():
            model.set_report(report)
        months = [m for m in report.months if m.per_client is not None]
        average = sum(m.per_client or 0 for m in months) / len(months) if months else None
        plans = report.plans
        housing = report.housing
        values = {
            "per_client": report_csv.ratio(average),
            "dna": f"{report_csv.rate(report.dna_rate)} ({report.did_not_attend} of {report.attempted})",
            "plans": f"{report_csv.rate(plans.on_time_rate)} ({plans.count('on time')} of {plans.due})",
            "risk": f"{len(report.risk_overdue)} of {report.active_risks} active",
            "outcomes": str(sum(report.outcomes_by_pathway().values())),
            "housing": (
                f"{housing.median:g} ({len(housing.days)} housed, {housing.waiting} waiting)"
                if housing.median is not None
                else f"— ({housing.waiting} waiting)"
            ),
        }
        for key, caption, _ in FIGURES:
            self.figures[key].setText(f"<small>{caption}</small><br><big><b>{values[key]}</b></big>")
            self.figures[key].setAccessibleDescription(values[key])
        self.contacts_chart.set_bars(
            [(f"{m.month:%b %y}", round(m.per_client, 2)) for m in report.months if m.per_client is not None]
        )
        self.outcomes_chart.set_bars([(label(p), n) for p, n in report.outcomes_by_pathway().items()])

    def show_partnership(self, report: PartnershipReport) -> None:
        self.partnership = report
        for model in self.partnership_models.values():
            model.set_report(report)

    def clear(self) -> None:
        self.report = self.partnership = None
        for model in self.models.values():
            model.set_report(None)
        for each in self.partnership_models.values():
            each.set_report(None)
        for key, caption, _ in FIGURES:
            self.figures[key].setText(f"<small>{caption}</small><br><big><b>—</b></big>")
        self.scope.setText("")
        self.state.setText("")
        self.retention.setText("")
        self.equality_note.setText(SUPPRESSION_NOTE)
        self.contacts_chart.set_bars([])
        self.outcomes_chart.set_bars([])

    def ask_save_path(self, suggested: str) -> str | None:
        """Where to save a CSV: the person chooses (None when they cancel)."""
        path = export_dialog.ask_save_path(self, "Save report as CSV", suggested, "CSV files (*.csv)")
        return str(path) if path else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit()

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.data(CLIENT_ROLE)
        if client_id:
            self.client_activated.emit(client_id)
