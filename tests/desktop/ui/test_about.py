"""The About box: version, what Navigator is built with, and the third-party notices and Qt's
LGPL text, which ship in the package (and so in the bundle)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from navigator_core import __version__
from navigator_desktop import licences
from navigator_desktop.ui.dialogs.about import AboutDialog, show_about
from navigator_desktop.ui.main_window import MainWindow


def test_the_notices_name_qt_and_its_licence_texts_ship_in_full() -> None:
    notices = licences.text(licences.NOTICES)
    assert "LGPL-3.0" in notices and "https://download.qt.io" in notices and "SQLCipher" in notices
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licences.text("LGPL-3.0.txt")
    assert "GNU GENERAL PUBLIC LICENSE" in licences.text("GPL-3.0.txt")
    # The bundle's own check (run inside the frozen app by tests/packaging) reads them the same way.
    where = Path(__file__).resolve().parents[3] / "packaging" / "bundle_check.py"
    spec = importlib.util.spec_from_file_location("bundle_check", where)
    assert spec is not None and spec.loader is not None
    bundle_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bundle_check)
    assert "LGPL-3.0.txt" in bundle_check.CHECKS["licences"]()


def test_the_about_box_shows_the_version_and_every_licence(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Navigator {__version__}" in words and f"Qt {qVersion()}" in words and "Lesser General" in words
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == [title for _, title in licences.FILES]
    pages = [dialog.tabs.widget(i) for i in range(dialog.tabs.count())]
    assert all(isinstance(p, QPlainTextEdit) and p.isReadOnly() for p in pages)
    assert "Qt for Python" in pages[0].toPlainText()


def test_the_navigator_menu_opens_it(qtbot) -> None:
    window = MainWindow({"create": QLabel(), "unlock": QLabel(), "client": QLabel()}, demo=False)
    qtbot.addWidget(window)
    opened: list[AboutDialog] = []
    window.about_action.triggered.connect(lambda: opened.append(show_about(window)))
    window.about_action.trigger()
    assert opened and opened[0].isVisible() and opened[0].windowTitle() == "About Navigator"
    opened[0].close()
