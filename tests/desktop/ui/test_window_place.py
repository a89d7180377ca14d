"""The window opens where it was left and never larger than the screen it opens on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QMainWindow

from navigator_desktop.ui.window_place import WindowPlace, clamp


def test_clamp_shrinks_and_moves_onto_the_screen() -> None:
    laptop = QRect(0, 0, 1066, 666)  # 1600x1000 at 150% text, as Qt sees it
    assert clamp(QRect(0, 0, 1100, 720), laptop) == QRect(0, 0, 1066, 666)
    assert clamp(QRect(2500, 300, 800, 500), laptop) == QRect(266, 166, 800, 500)  # a monitor now gone
    assert clamp(QRect(-50, -20, 400, 300), laptop) == QRect(0, 0, 400, 300)
    assert clamp(QRect(100, 50, 400, 300), laptop) == QRect(100, 50, 400, 300)


def _window(qtbot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(5000, 4000)  # far larger than any screen
    return window


def test_the_first_window_fits_the_screen_and_a_moved_one_is_remembered(qtbot, tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = _window(qtbot)
    place = WindowPlace(first, store)
    available = first.screen().availableGeometry()
    assert available.contains(first.geometry())
    place.show()
    first.setGeometry(QRect(available.x() + 40, available.y() + 30, 500, 350))
    first.close()

    again = _window(qtbot)
    WindowPlace(again, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert again.geometry() == QRect(available.x() + 40, available.y() + 30, 500, 350)


def test_a_place_remembered_off_the_screen_is_brought_back(qtbot, tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = _window(qtbot)
    available = window.screen().availableGeometry()
    key = f"window/{available.width()}x{available.height()}/geometry"
    store.setValue(key, [available.right() + 2000, available.bottom() + 900, 300, 200])
    WindowPlace(window, store)
    assert available.contains(window.geometry()) and window.size().width() == 300
