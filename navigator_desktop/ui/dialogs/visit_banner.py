"""The strip across the top of the window while a visit is in progress: where, until when, and
buttons to extend the visit and to check out. It turns red and says so ten minutes before the
expected end and at it."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from navigator_desktop.ui import text, theme

Record = dict[str, Any]


class VisitBanner(QFrame):
    check_out_requested = Signal(object)  # the visit
    extend_requested = Signal(object)  # the visit
    sos_requested = Signal(object)  # the visit

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("visitBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.visit: Record | None = None
        self.warning = ""
        self.label = QLabel()
        self.label.setObjectName("visitBannerText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Visit in progress")
        self.button = QPushButton("Check &out…")
        self.button.setObjectName("bannerCheckOut")
        self.button.clicked.connect(lambda: self.visit and self.check_out_requested.emit(self.visit))
        self.extend_button = QPushButton("E&xtend visit…")
        self.extend_button.setObjectName("bannerExtend")
        self.extend_button.setToolTip("Need longer? Add minutes to the expected end (sent at once)")
        self.extend_button.clicked.connect(lambda: self.visit and self.extend_requested.emit(self.visit))
        self.sos_button = QPushButton("I need help now")
        self.sos_button.setObjectName("bannerSos")
        self.sos_button.setToolTip(
            "Send an SOS to on call and your manager (Ctrl+Shift+S); you confirm first"
        )
        self._colour_sos()
        theme.changes.changed.connect(self._recolour)
        self.sos_button.clicked.connect(lambda: self.visit and self.sos_requested.emit(self.visit))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.extend_button)
        layout.addWidget(self.button)
        layout.addWidget(self.sos_button)
        self.hide()

    def show_visit(self, visit: Record | None, warning: str = "") -> None:
        """The visit in progress (None hides the banner), with a warning when one is due."""
        self.visit = visit
        if visit is None:
            self.hide()
            return
        what = (
            f"<b>Visit in progress</b>: {escape(visit.get('client') or '')} at "
            f"{escape(text.first_line(visit.get('place'), 60))}, "
            f"checked in {text.clock(visit.get('checked_in_at'))}, "
            f"expected out by <b>{text.clock(visit.get('due_out_at'))}</b>."
        )
        if warning:
            what = f"<b>⚠ {escape(warning)}</b> {what}"
        self.label.setText(what)
        self.warning = warning
        self._colour_border()
        self.show()

    def _colour_sos(self) -> None:
        self.sos_button.setStyleSheet(
            f"#bannerSos {{ color: {theme.colour('high').name()}; font-weight: bold; }}"
        )

    def _colour_border(self) -> None:
        colour = theme.colour("high" if self.warning else "low").name()
        self.setStyleSheet(
            f"#visitBanner {{ border: 2px solid {colour}; border-left: 10px solid {colour}; }}"
        )

    def _recolour(self) -> None:
        """The theme changed: the colours of the new one."""
        self._colour_sos()
        if self.visit is not None:
            self._colour_border()
