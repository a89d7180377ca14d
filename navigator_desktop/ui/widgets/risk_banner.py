"""The risk banner: a client's active risks in words and symbols, coloured by the highest level."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from navigator_core.kinds import SEVERITIES
from navigator_desktop.ui import text, theme


def highest(flags: list[dict[str, Any]]) -> str:
    levels = [f["severity"] for f in flags if f.get("severity") in SEVERITIES]
    return max(levels, key=SEVERITIES.index) if levels else ""


class RiskBanner(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("riskBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Risk")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self.flags: list[dict[str, Any]] = []
        theme.changes.changed.connect(self._recolour)

    def _recolour(self) -> None:
        """The theme changed: the same flags in the new theme's colours."""
        self.show_flags(self.flags)

    def show_flags(self, flags: list[dict[str, Any]]) -> None:
        self.flags = flags
        level = highest(flags)
        if not flags:
            self.label.setText("● No active risk flags")
            self.setStyleSheet("")
            self.label.setAccessibleDescription("No active risk flags")
            return
        colour = theme.colour(level).name()
        items = "; ".join(
            f"<b>{escape(text.label(f['category']))}</b> "
            f"({escape(f['severity'])}, review {text.review(f.get('review_date'))})"
            for f in flags
        )
        count = f"{len(flags)} active risk flag{'s' if len(flags) != 1 else ''}"
        self.label.setText(f"<b>{theme.RISK_WORDS.get(level, '')} RISK</b> — {count}: {items}")
        self.label.setAccessibleDescription(self.label.text())
        self.setStyleSheet(f"#riskBanner {{ border: 2px solid {colour}; border-left: 8px solid {colour}; }}")
