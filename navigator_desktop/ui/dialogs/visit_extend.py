"""Extend a visit in progress: how many more minutes, and the new expected end it makes."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import Any

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from navigator_core import timeutil
from navigator_desktop.ui import text
from navigator_desktop.ui.widgets.buttons import accept_or_cancel

Record = dict[str, Any]
DEFAULT_MINUTES = 15


class ExtendVisitDialog(QDialog):
    """Asks for the extra minutes; the new expected end is shown as they are chosen."""

    def __init__(self, visit: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("extendVisit")
        self.setWindowTitle("Extend visit")
        self.visit = visit
        who = visit.get("client") or "your client"
        self.explain = QLabel(
            f"Your visit with <b>{escape(str(who))}</b> is expected to end at "
            f"<b>{text.clock(visit.get('due_out_at'))}</b>. Add the time you need: the new expected "
            "end goes to the central store now if you are online, so on call does not treat the "
            "visit as overdue. Tell the person you are to call."
        )
        self.explain.setWordWrap(True)
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 240)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Extra minutes")
        self.new_end = QLabel()
        form = QFormLayout()
        form.addRow("&Add", self.minutes)
        form.addRow("New expected end", self.new_end)
        self.buttons, self.extend_button = accept_or_cancel(self, "E&xtend")
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.minutes.valueChanged.connect(self._update)
        self._update()

    def _update(self, *_: object) -> None:
        due = self.visit.get("due_out_at")
        if not due:
            self.new_end.setText("—")
            return
        end = timeutil.parse(str(due)) + timedelta(minutes=self.minutes.value())
        self.new_end.setText(text.clock(timeutil.to_text(end)))
