"""Settings: theme, text size, the idle lock (within the organisation's longest) and system
notifications. Each change is announced at once (``chosen``); the settings flow keeps and applies it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.labels import label
from navigator_desktop.ui import theme


@dataclass(frozen=True)
class Preferences:
    theme: str = "system"
    text_percent: int = 100
    idle_minutes: int = 5
    notifications: bool = True


def _buddy(text: str, widget: QWidget) -> QLabel:
    shown = QLabel(text)
    shown.setBuddy(widget)
    return shown


class SettingsDialog(QDialog):
    chosen = Signal(object)  # Preferences, after every change
    test_requested = Signal()

    def __init__(self, prefs: Preferences, idle_most: int, org_limited: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.prefs = prefs
        self.theme = QComboBox()
        self.theme.setObjectName("settingsTheme")
        for name in theme.THEMES:
            self.theme.addItem(label(name), name)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.text_size = QComboBox()
        self.text_size.setObjectName("settingsTextSize")
        for percent in theme.TEXT_SIZES:
            self.text_size.addItem(f"{percent}%", percent)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(prefs.text_percent)))
        self.idle = QSpinBox()
        self.idle.setObjectName("settingsIdle")
        self.idle.setRange(1, idle_most)
        self.idle.setSuffix(" minutes")
        self.idle.setValue(min(prefs.idle_minutes, idle_most))
        self.idle.setAccessibleName("Lock after this many minutes without use")
        most = QLabel(
            f"Your organisation allows at most {idle_most} minutes."
            if org_limited
            else f"At most {idle_most} minutes."
        )
        most.setObjectName("settingsIdleMost")
        self.notifications = QCheckBox("Show &system notifications")
        self.notifications.setObjectName("settingsNotifications")
        self.notifications.setChecked(prefs.notifications)
        always = QLabel("Visit warnings always show in the window and on the lock screen.")
        always.setWordWrap(True)
        self.test = QPushButton("Send a t&est notification")
        self.test.setObjectName("settingsTest")
        self.test.setEnabled(prefs.notifications)
        self.test_result = QLabel()
        self.test_result.setObjectName("settingsTestResult")
        self.test_result.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_buddy("&Theme", self.theme), self.theme)
        form.addRow(_buddy("Te&xt size", self.text_size), self.text_size)
        form.addRow(_buddy("&Lock after", self.idle), self.idle)
        form.addRow("", most)
        form.addRow("Notifications", self.notifications)
        form.addRow("", always)
        form.addRow("", self.test)
        form.addRow("", self.test_result)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Changes apply at once and are kept on this laptop."))
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.theme.currentIndexChanged.connect(lambda _: self._change(theme=self.theme.currentData()))
        self.text_size.currentIndexChanged.connect(
            lambda _: self._change(text_percent=self.text_size.currentData())
        )
        self.idle.valueChanged.connect(lambda minutes: self._change(idle_minutes=minutes))
        self.notifications.toggled.connect(self._notifications)
        self.test.clicked.connect(self.test_requested)

    def _notifications(self, on: bool) -> None:
        self.test.setEnabled(on)
        self.test_result.clear()
        self._change(notifications=on)

    def _change(self, **changed: object) -> None:
        self.prefs = replace(self.prefs, **changed)  # type: ignore[arg-type]
        self.chosen.emit(self.prefs)

    def show_test_result(self, shown: bool) -> None:
        self.test_result.setText(
            "Sent. If no notification appeared, check that your desktop allows notifications from Navigator."
            if shown
            else "This desktop has no notification area (system tray): Navigator asked for your "
            "attention in the taskbar instead, and warnings show in the window and on the lock screen."
        )
