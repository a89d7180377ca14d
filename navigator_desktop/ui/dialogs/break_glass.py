"""Break-glass windows: the dialog that asks why, and the window that shows a record fetched
from the central store under a red banner for as long as it is open (see ui/flows/break_glass.py).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import KINDS
from navigator_desktop.sync.break_glass import BreakGlassRecord
from navigator_desktop.ui import text
from navigator_desktop.ui.widgets.buttons import accept_or_cancel

BANNER_STYLE = "background: #b00020; color: white; font-weight: bold; padding: 8px 12px;"
# The order the sections read in: the crisis picture first.
SECTIONS = (
    "risk_flag",
    "visit",
    "visit_escalation",
    "handover_note",
    "contact",
    "support_goal",
    "outcome",
    "safeguarding_concern",
)
_HIDDEN = {"client_id", "team_id", "id", "device_id", "amends_id", "amend_reason"}
ReasonCheck = Callable[[str], str | None]  # the reason's problem in words, or None when it will do


class ReasonDialog(QDialog):
    """Asks why; says it is audited; will not accept fewer than ten characters."""

    def __init__(self, client_name: str, check: ReasonCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = check
        self.setWindowTitle("Break-glass: record outside your caseload")
        self.explain = QLabel(
            f"<b>{escape(client_name)}</b> is not on your caseload. You can see their on-call summary. "
            "To open their full record, say why you need it now. Your reason, your name, this laptop "
            "and the time are recorded on the central store, and your manager can see them."
        )
        self.explain.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText(
            "e.g. Police welfare check requested tonight; need the crisis contacts"
        )
        self.reason.setFixedHeight(90)
        self.hint = QLabel()
        self.buttons, self.open_button = accept_or_cancel(self, "Open record")
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.reason)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._check)
        self.resize(520, 260)
        self._check()

    @property
    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _check(self) -> None:
        problem = self._problem(self.text)
        self.open_button.setEnabled(problem is None)
        self.hint.setText(problem or "This look will be audited.")


class BreakGlassWindow(QWidget):
    """The record, held in memory, under a red banner that names the reason."""

    closed = Signal(object)  # this window, as it closes

    def __init__(
        self, record: BreakGlassRecord, client_name: str, names: dict[str, str] | None = None
    ) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.record: BreakGlassRecord | None = record
        self.setWindowTitle(f"{client_name} — break-glass access")
        self.banner = QLabel(f"Break-glass access: {record.reason} — audited")
        self.banner.setObjectName("breakGlassBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setAccessibleName("Break-glass banner")
        self.heading = QLabel(
            f"<h2 style='margin:0'>{escape(client_name)}</h2>Full record, outside your caseload"
        )
        self.heading.setContentsMargins(12, 8, 12, 4)
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setHtml(render(record, names or {}))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        self.resize(820, 640)

    def closeEvent(self, event: Any) -> None:
        self.record = None  # drop the record with the window
        self.body.clear()
        self.closed.emit(self)
        super().closeEvent(event)


def _value(kind: str, spec: FieldSpec, value: Any, names: dict[str, str]) -> str:
    """A stored value in words: choices labelled, times in London, people by name."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if spec.type is T.TAGS and isinstance(value, list):
        return text.labels(value)
    if isinstance(value, list):
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if spec.type is T.DATETIME:
        return text.moment(str(value))
    if spec.type is T.DATE:
        return text.day(str(value))
    if spec.type is T.UUID:
        return names.get(str(value), "")
    if spec.type is T.ENUM:
        # "active" reads "Active in community" for a client; elsewhere it is plain "Active".
        return (
            text.label(str(value)) if kind == "client" or spec.name != "status" else str(value).capitalize()
        )
    return str(value)


def _fields(kind: str, values: dict[str, Any], names: dict[str, str]) -> str:
    rows = []
    for spec in KINDS[kind].fields:
        if spec.name in _HIDDEN or values.get(spec.name) in (None, "", []):
            continue
        shown = _value(kind, spec, values[spec.name], names)
        if shown:
            label = f"<td style='color:#555;padding-right:12px'>{escape(spec.title)}</td>"
            rows.append(f"<tr>{label}<td>{escape(shown)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def render(record: BreakGlassRecord, names: dict[str, str]) -> str:
    """The record as HTML, every value escaped: the crisis picture, then the history."""
    client = record.client
    parts = [
        f"<p style='color:#555'>Fetched {escape(text.moment(record.fetched_at))} from the central store; "
        "shown here only and not saved on this laptop.</p>",
        "<h3>Client</h3>",
        _fields("client", client, names),
    ]
    kinds = [k for k in SECTIONS if k in record.kinds] + [k for k in record.kinds if k not in SECTIONS]
    for kind in kinds:
        if kind not in KINDS:
            continue
        items = record.of_kind(kind)
        items.sort(
            key=lambda r: str(r.get("occurred_at") or r.get("recorded_at") or r.get("created_at") or "")
        )
        items.reverse()
        parts.append(f"<h3>{escape(KINDS[kind].label)} ({len(items)})</h3>")
        for item in items:
            who = names.get(str(item.get("author_id") or item.get("created_by") or ""), "")
            when = text.moment(item.get("recorded_at") or item.get("created_at"))
            parts.append(f"<p style='margin-bottom:0;color:#555'>{escape(when)} {escape(who)}</p>")
            parts.append(_fields(kind, item, names))
    return "".join(parts)
