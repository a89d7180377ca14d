"""The main window opens where it was left, at the size it was left, and never larger than the
screen: a window remembered on a big monitor, or the default size on a small laptop screen at 150%
text, is shrunk and moved onto the screen it opens on. Remembered per screen size (the available
area), so the docked and the undocked laptop each keep their own; kept in the plain preferences
file (paths.settings_file), never in the vault."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from navigator_desktop import paths


def settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def clamp(rect: QRect, available: QRect) -> QRect:
    """`rect` no larger than `available`, moved inside it."""
    width, height = min(rect.width(), available.width()), min(rect.height(), available.height())
    x = min(max(rect.x(), available.x()), available.x() + available.width() - width)
    y = min(max(rect.y(), available.y()), available.y() + available.height() - height)
    return QRect(x, y, width, height)


def _available(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit(window: QWidget) -> None:
    """Keep `window` on its screen after its contents grew (a larger text size chosen)."""
    window.setGeometry(clamp(window.geometry(), _available(window)))


def _key(available: QRect) -> str:
    return f"window/{available.width()}x{available.height()}"


class WindowPlace(QObject):
    """Restores the window's place now and remembers it when the window closes."""

    def __init__(self, window: QWidget, store: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.store = store if store is not None else settings()
        self.restore()
        window.installEventFilter(self)

    def restore(self) -> None:
        available = _available(self.window)
        saved = self.store.value(_key(available) + "/geometry")
        try:
            x, y, width, height = (int(v) for v in saved)
            wanted = QRect(x, y, width, height)
        except (TypeError, ValueError):
            wanted = QRect(0, 0, self.window.width(), self.window.height())
            wanted.moveCenter(available.center())
        self.window.setGeometry(clamp(wanted, available))
        self.maximised = str(self.store.value(_key(available) + "/maximised", "false")) == "true"

    def show(self) -> None:
        if self.maximised:
            self.window.showMaximized()
        else:
            self.window.show()

    def save(self) -> None:
        available = _available(self.window)
        maximised = self.window.isMaximized()
        rect = self.window.normalGeometry() if maximised else self.window.geometry()
        self.store.setValue(_key(available) + "/geometry", [rect.x(), rect.y(), rect.width(), rect.height()])
        self.store.setValue(_key(available) + "/maximised", "true" if maximised else "false")
        self.store.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.save()
        return False
