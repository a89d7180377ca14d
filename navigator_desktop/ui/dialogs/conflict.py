"""Reviewing a conflict: both values side by side, who wrote each and when, and a choice.

The choice is a change like any other (store/conflicts.py): it is written with an audit event
and synced. The dialog runs no SQL; the caller passes the conflict and carries out the choice.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from navigator_core import timeutil
from navigator_core.kinds import KINDS
from navigator_desktop.store.conflicts import KEEP, TAKE_OTHER, Conflict


def _shown(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1)


def _when(text: str) -> str:
    return timeutil.local(timeutil.parse(text)).strftime("%d %b %Y %H:%M") if text else "unknown time"


class ConflictDialog(QDialog):
    def __init__(
        self, conflict: Conflict, names: dict[str, str] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.conflict = conflict
        self.choice: str | None = None
        names = names or {}
        spec = KINDS.get(conflict.kind)
        field = spec.by_name.get(conflict.field) if spec else None
        label = field.label if field else conflict.field
        kind_label = spec.label if spec else conflict.kind
        self.setWindowTitle(f"Review a conflict: {kind_label}, {label}")
        intro = QLabel(
            f"Two people changed <b>{label}</b> on this {kind_label.lower()} without seeing each other's "
            "change. Navigator kept the later one; the other is shown beside it. Choose which stays."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        sides = (
            (
                "Current value",
                conflict.kept_value,
                conflict.kept_author,
                conflict.kept_when,
                conflict.kept_stamp,
            ),
            (
                "Other value",
                conflict.lost_value,
                conflict.lost_author,
                conflict.lost_when,
                conflict.lost_stamp,
            ),
        )
        for column, (title, value, author, when, stamp) in enumerate(sides):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
            shown = QLabel(_shown(value))
            shown.setWordWrap(True)
            shown.setAccessibleName(title)
            grid.addWidget(shown, 1, column)
            device = stamp.rsplit(".", 1)[-1][:8]
            who = names.get(author or "", author or f"device {device}")
            grid.addWidget(QLabel(f"by {who}, {_when(when)}"), 2, column)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Why (optional; kept in the audit trail)")
        buttons = QDialogButtonBox()
        self.keep_button = QPushButton("Keep current value")
        self.take_button = QPushButton("Use other value")
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton("Decide later", QDialogButtonBox.ButtonRole.RejectRole)
        if conflict.is_risk:
            later.setToolTip("Risk-flag conflicts stay in front of you until someone decides.")
        self.keep_button.clicked.connect(lambda: self._choose(KEEP))
        self.take_button.clicked.connect(lambda: self._choose(TAKE_OTHER))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @property
    def reason(self) -> str:
        return self.note.text().strip()
