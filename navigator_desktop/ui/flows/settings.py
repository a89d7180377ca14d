"""Settings (Navigator menu, the platform's Preferences keys): kept in QSettings, applied at once
and at start. The idle lock is chosen within the organisation's longest (the vault flow reads it
from the vault at each unlock and sync: ``idle_limit``); the theme and text size go through
ui/theme.py; notifications switch the Notifier's system notifications."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from navigator_desktop.ui import theme
from navigator_desktop.ui.dialogs.settings import Preferences, SettingsDialog
from navigator_desktop.ui.flows.lock import IDLE_KEY, MAX_IDLE_MINUTES, IdleLock, idle_minutes_setting
from navigator_desktop.ui.flows.vault import VaultFlow
from navigator_desktop.ui.notifier import Notifier
from navigator_desktop.ui.window_place import fit

THEME_KEY, TEXT_KEY, NOTIFY_KEY = "appearance/theme", "appearance/text_percent", "notifications/enabled"


def load(store: QSettings) -> Preferences:
    """What was chosen, each setting falling back to its default when missing or not understood."""
    chosen = str(store.value(THEME_KEY, "system"))
    try:
        percent = int(store.value(TEXT_KEY, 100))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        percent = 100
    return Preferences(
        theme=chosen if chosen in theme.THEMES else "system",
        text_percent=percent if percent in theme.TEXT_SIZES else 100,
        idle_minutes=max(1, round(idle_minutes_setting(store))),
        notifications=str(store.value(NOTIFY_KEY, "true")).lower() != "false",
    )


def save(store: QSettings, prefs: Preferences) -> None:
    store.setValue(THEME_KEY, prefs.theme)
    store.setValue(TEXT_KEY, prefs.text_percent)
    store.setValue(IDLE_KEY, prefs.idle_minutes)
    store.setValue(NOTIFY_KEY, "true" if prefs.notifications else "false")
    store.sync()


class SettingsFlow(QObject):
    def __init__(
        self, window: QWidget, idle: IdleLock, notifier: Notifier, vault: VaultFlow,
        store: QSettings | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.window, self.idle, self.notifier = window, idle, notifier
        self.store = store if store is not None else QSettings()
        self.prefs = load(self.store)
        self.org_most: float | None = None  # the organisation's longest idle time, once known
        self.dialog: SettingsDialog | None = None
        self.action = QAction("Se&ttings…", window)
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.triggered.connect(self.open)
        vault.idle_limit.connect(self._org_limit)
        # At start: the look and the notifications. The idle time was read when the lock was made.
        theme.apply(self.prefs.theme, self.prefs.text_percent)
        fit(window)
        notifier.enabled = self.prefs.notifications

    def idle_most(self) -> int:
        """The longest idle time one may choose, in whole minutes (at least one)."""
        limits = [MAX_IDLE_MINUTES] + ([self.org_most] if self.org_most else [])
        return max(1, int(min(limits)))

    def _org_limit(self, minutes: float | None) -> None:
        self.org_most = minutes if minutes and minutes > 0 else None

    def open(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        dialog = SettingsDialog(self.prefs, self.idle_most(), self.org_most is not None, self.window)
        dialog.setObjectName("settingsDialog")
        dialog.chosen.connect(self.choose)
        dialog.test_requested.connect(lambda: dialog.show_test_result(self.notifier.test()))
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: SettingsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def choose(self, prefs: Preferences) -> None:
        """Keep `prefs` and apply them now."""
        prefs = Preferences(prefs.theme, prefs.text_percent, min(prefs.idle_minutes, self.idle_most()),
                            prefs.notifications)  # fmt: skip
        if (prefs.theme, prefs.text_percent) != (self.prefs.theme, self.prefs.text_percent):
            theme.apply(prefs.theme, prefs.text_percent)
            fit(self.window)
        if prefs.idle_minutes != self.prefs.idle_minutes:
            self.idle.set_timeout(prefs.idle_minutes * 60_000)
        self.notifier.enabled = prefs.notifications
        self.prefs = prefs
        save(self.store, prefs)
