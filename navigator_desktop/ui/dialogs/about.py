"""The About box: which Navigator this is, what it is built with, and the licences and notices
of the third-party software it carries (Qt is used under the LGPL, whose text must ship)."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from navigator_core import __version__
from navigator_desktop import licences


def built_with() -> str:
    return f"Qt {qVersion()}, Qt for Python {PySide6.__version__}, Python {platform.python_version()}"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Navigator")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(640, 520)
        heading = QLabel(f"<h2>Navigator {__version__}</h2>")
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QLabel(
            f"<p>Caseload records for community forensic recovery navigators.</p>"
            f"<p>Built with {built_with()}.</p>"
            "<p>Qt and Qt for Python are used under the GNU Lesser General Public License version 3; "
            "their libraries are separate files in Navigator's folder and may be replaced. The "
            "notices and licences of all third-party software are below.</p>"
        )
        details.setWordWrap(True)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for name, title in licences.FILES:
            page = QPlainTextEdit(licences.text(name))
            page.setReadOnly(True)
            page.setFont(fixed)
            page.setAccessibleName(title)
            self.tabs.addTab(page, title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        for widget in (heading, details):
            column.addWidget(widget)
        column.addWidget(self.tabs, 1)
        column.addWidget(buttons)


def show_about(parent: QWidget | None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.open()
    return dialog
