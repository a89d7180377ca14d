"""The safety briefing shown before a visit starts, which the worker must acknowledge.

Its content is built by ``briefing_html`` (pure, no Qt) from ``store.visits.Briefing``: visit
restrictions (two workers only, do not visit at home) first and in a red box, then each
visit-relevant active risk with its severity and management plan, exclusion zones and the
no-contact list, the latest incident, and who to call. Which risks show depends on the place of
the visit (kinds.RISK_PLACES: at home, in the community). Check-in is recorded only after the
worker ticks "I have read this" and presses the button (the flow records the acknowledgement);
with no one set to call (no buddy, no call contact), also only after choosing the duty line or
writing why not, which is recorded.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.store.visits import Briefing
from navigator_desktop.ui import text, theme


def _p(value: Any) -> str:
    return escape(str(value)).replace("\n", "<br>") if value else "<i>None recorded</i>"


def briefing_html(b: Briefing, names: dict[str, str] | None = None) -> str:
    names = names or {}
    c, v = b.client, b.visit
    who = f"{c.get('given_name', '')} {c.get('family_name', '')}".strip()
    parts = [
        f"<h2>Before you go in: {escape(who)}</h2>",
        f"<p>{escape(v.get('place') or '—')} · planned {text.moment(v.get('planned_start'))} for "
        f"{v.get('expected_minutes')} minutes (expected out by {text.clock(v.get('due_out_at'))})</p>",
    ]
    high = theme.colour("high").name()
    for flag in b.restrictions:
        parts.append(
            f"<table width='100%' cellpadding='8' style='border: 3px solid {high}'><tr><td>"
            f"<span style='font-size: 15pt; font-weight: bold; color: {high}'>⚠ "
            f"{escape(text.label(flag['category']).upper())}</span><br>{_p(flag.get('description'))}"
            f"<br><b>Plan:</b> {_p(flag.get('management_plan'))}</td></tr></table><br>"
        )
    parts.append(f"<h3>Risks for this visit ({escape(b.place)})</h3>")
    if b.risks:
        rows = "".join(
            f"<tr><td style='color: {theme.colour(f['severity']).name()}'><b>"
            f"{theme.RISK_WORDS.get(f['severity'], '')}</b></td><td><b>{escape(text.label(f['category']))}"
            f"</b><br>{_p(f.get('description'))}</td><td>{_p(f.get('management_plan'))}</td></tr>"
            for f in b.risks
        )
        parts.append(
            "<table width='100%' border='1' cellspacing='0' cellpadding='4'><tr><th>Severity</th>"
            f"<th>Risk</th><th>Management plan</th></tr>{rows}</table>"
        )
    else:
        parts.append(f"<p>No active risk flag that applies to a visit {escape(b.place)}.</p>")
    parts += [
        f"<h3>Exclusion zones</h3><p>{_p(c.get('exclusion_zones'))}</p>",
        f"<h3>No-contact list</h3><p>{_p(c.get('no_contact'))}</p>",
        "<h3>Latest incident</h3>",
    ]
    if b.incident:
        source = "contact note" if b.incident["source"] == "contact" else "high risk flag raised"
        parts.append(
            f"<p><b>{text.day(b.incident['when'])}</b> ({source}): "
            f"{escape(text.first_line(b.incident['what'], 400))}</p>"
        )
    else:
        parts.append("<p><i>No incident recorded.</i></p>")
    buddy = names.get(v.get("buddy_id") or "", "")
    parts.append(
        f"<h3>Who to call</h3><p>{_p(v.get('call_contact'))}"
        f"{f'<br>Buddy: {escape(buddy)}' if buddy else ''}</p>"
    )
    return "".join(parts)


class SafetyBriefingDialog(QDialog):
    """Shows the briefing; Accepted only once the worker has said they read it."""

    def __init__(
        self,
        briefing: Briefing,
        names: dict[str, str],
        parent: QWidget | None = None,
        sent: str = "Your check-in is recorded and sent to the central store when there is a connection.",
    ):
        """`sent`: who will see the check-in (ui/visit_words.py: honest when offline or not enrolled)."""
        super().__init__(parent)
        self.briefing = briefing
        self.setObjectName("safetyBriefing")
        self.setWindowTitle("Safety briefing")
        self.content = QTextBrowser()
        self.content.setAccessibleName("Safety briefing")
        self.content.setHtml(briefing_html(briefing, names))
        self.read = QCheckBox("I have read this briefing and know who to call")
        self.read.setObjectName("briefingRead")
        self.start = QPushButton("Acknowledge and &check in")
        self.start.setObjectName("briefingCheckIn")
        self.start.setEnabled(False)
        self.read.toggled.connect(self._update)
        buttons = QDialogButtonBox()
        buttons.addButton(self.start, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel(sent)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.content, 1)
        layout.addWidget(note)
        self.no_one = self._no_one_to_call() if not briefing.someone_to_call else None
        if self.no_one is not None:
            layout.addWidget(self.no_one)
        layout.addWidget(self.read)
        layout.addWidget(buttons)
        self.resize(760, 680)

    MIN_REASON = 10

    def _no_one_to_call(self) -> QGroupBox:
        box = QGroupBox("No one is set to call for this visit (no buddy, no one to call)")
        box.setObjectName("noOneToCall")
        self.duty = QRadioButton("I will ring the &duty line when I arrive and when I leave")
        self.without = QRadioButton("No one to call, &because:")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why not (recorded with the check-in)")
        self.reason.setAccessibleName("Why there is no one to call")
        self.choice = QButtonGroup(box)
        for button in (self.duty, self.without):
            self.choice.addButton(button)
            button.toggled.connect(self._update)
        self.reason.textChanged.connect(lambda _t: self.without.setChecked(True))
        self.reason.textChanged.connect(self._update)
        column = QVBoxLayout(box)
        column.addWidget(self.duty)
        column.addWidget(self.without)
        column.addWidget(self.reason)
        return box

    def call_choice(self) -> tuple[bool, str | None]:
        """(the duty line chosen, why no one to call): (False, None) when someone is set to call."""
        if self.no_one is None:
            return False, None
        if self.duty.isChecked():
            return True, None
        return False, self.reason.text().strip() if self.without.isChecked() else None

    def _ready(self) -> bool:
        if not self.read.isChecked():
            return False
        duty, reason = self.call_choice()
        return self.no_one is None or duty or len(reason or "") >= self.MIN_REASON

    def _update(self) -> None:
        self.start.setEnabled(self._ready())

    def accept(self) -> None:
        if self._ready():
            super().accept()
