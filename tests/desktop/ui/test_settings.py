"""Settings (Navigator menu): theme, text size, idle lock within the organisation's longest, and
notifications with a test; each applied at once, kept in QSettings and applied again at start."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from navigator_desktop.sync import server_policy
from navigator_desktop.ui import theme
from navigator_desktop.ui.dialogs.settings import Preferences, SettingsDialog
from navigator_desktop.ui.flows.settings import SettingsFlow, load
from navigator_desktop.ui.notifier import Notifier
from navigator_desktop.ui.widgets.risk_banner import highest
from tests.desktop.ui.helpers import open_first_client
from tests.desktop.ui.test_mnemonics import _letter

R = QPalette.ColorRole
KEYS = ("appearance/theme", "appearance/text_percent", "lock/idle_minutes", "notifications/enabled")


@pytest.fixture(autouse=True)
def _as_the_desktop_gave() -> Iterator[None]:
    """The application is shared by every test: give its look and the stored settings back."""
    yield
    for key in KEYS:
        QSettings().remove(key)
    theme.apply("system", 100)


def _open(qtbot, app) -> SettingsDialog:
    app.settings.action.trigger()
    qtbot.waitUntil(lambda: app.settings.dialog is not None and app.settings.dialog.isVisible())
    dialog = app.settings.dialog
    assert dialog is not None
    return dialog


def _choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_settings_is_in_the_navigator_menu_on_the_preferences_keys(qtbot, app) -> None:
    menu = next(a.menu() for a in app.window.menuBar().actions() if a.text() == "&Navigator")
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert app.settings.action in entries
    assert app.settings.action.shortcut() == QKeySequence(QKeySequence.StandardKey.Preferences)
    assert app.settings.action.menuRole() == QAction.MenuRole.PreferencesRole
    letter = _letter(app.settings.action.text())
    assert letter == "t" and [_letter(a.text()) for a in entries].count(letter) == 1
    dialog = _open(qtbot, app)
    assert dialog.windowTitle() == "Settings"
    dialog.reject()


def test_theme_and_text_size_apply_at_once_and_again_at_start(qtbot, app) -> None:
    desktop_size = QApplication.font().pointSizeF()
    dialog = _open(qtbot, app)
    _choose(dialog.theme, "dark")
    assert QApplication.palette().color(R.Window) == QColor(theme.PALETTES["dark"][R.Window])
    assert theme.is_dark() and theme.colour("high") == QColor("#ff8a80")
    _choose(dialog.text_size, 150)
    assert QApplication.font().pointSizeF() == pytest.approx(desktop_size * 1.5)
    dialog.reject()
    assert (QSettings().value("appearance/theme"), int(QSettings().value("appearance/text_percent"))) == (
        "dark",
        150,
    )
    theme.apply("system", 100)  # as a new start: the stored choice is applied again
    assert not theme.is_dark()
    SettingsFlow(app.window, app.idle, app.notifier, app.vault_flow)
    assert QApplication.palette().color(R.Window) == QColor(theme.PALETTES["dark"][R.Window])
    assert QApplication.font().pointSizeF() == pytest.approx(desktop_size * 1.5)


def test_high_contrast_is_applied_and_its_risk_colours_are_its_own(qtbot, app) -> None:
    dialog = _open(qtbot, app)
    _choose(dialog.theme, "high_contrast")
    assert QApplication.palette().color(R.Window) == QColor("#000000")
    assert QApplication.palette().color(R.Highlight) == QColor("#ffff00")
    assert theme.current() == "high_contrast" and theme.colour("medium") == QColor("#ffe14d")
    _choose(dialog.theme, "system")
    assert theme.current() == "system" and not theme.is_dark()
    dialog.reject()


def test_the_idle_lock_is_chosen_applied_and_kept(qtbot, app) -> None:
    dialog = _open(qtbot, app)
    assert dialog.idle.value() == 5 and dialog.idle.maximum() == 30
    dialog.idle.setValue(12)
    assert app.idle.timeout_ms == 12 * 60_000
    assert int(QSettings().value("lock/idle_minutes")) == 12
    dialog.reject()


def test_the_idle_lock_cannot_be_chosen_longer_than_the_organisation_allows(qtbot, app) -> None:
    app.runner.call(lambda s: server_policy.save(s, {"idle_lock_minutes": 3}))
    app.vault_flow.read_idle_limit()
    qtbot.waitUntil(lambda: app.settings.org_most == 3, timeout=20_000)
    dialog = _open(qtbot, app)
    assert dialog.idle.maximum() == 3 and dialog.idle.value() == 3
    assert (
        "organisation allows at most 3 minutes"
        in dialog.findChild(type(dialog.test_result), "settingsIdleMost").text()
    )
    dialog.idle.setValue(20)
    assert dialog.idle.value() == 3
    app.settings.choose(Preferences(idle_minutes=20))  # however asked, never beyond the organisation's
    assert int(QSettings().value("lock/idle_minutes")) == 3 and app.idle.timeout_ms == 3 * 60_000
    dialog.reject()


class FakeTray:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def showMessage(self, title, body, *_rest) -> None:
        self.shown.append((title, body))

    def hide(self) -> None: ...

    def setToolTip(self, _tip) -> None: ...


def test_a_test_notification_without_a_tray_says_where_warnings_show(qtbot, app) -> None:
    assert app.notifier.tray is None  # as under bare Xvfb
    before = app.notifier.last
    dialog = _open(qtbot, app)
    dialog.test.click()
    assert "no notification area" in dialog.test_result.text()
    assert app.notifier.last == before, "a test is not a warning for the lock screen"
    dialog.reject()


def test_a_test_notification_with_a_tray_and_notifications_switched_off(qtbot, app) -> None:
    tray = FakeTray()
    app.notifier.tray = tray  # type: ignore[assignment]
    dialog = _open(qtbot, app)
    dialog.test.click()
    assert tray.shown and "test notification" in tray.shown[0][1]
    assert dialog.test_result.text().startswith("Sent.")
    dialog.notifications.setChecked(False)
    assert not dialog.test.isEnabled() and not app.notifier.enabled
    assert QSettings().value("notifications/enabled") == "false"
    app.notifier.notify("Visit overdue", "Check on your colleague")
    assert len(tray.shown) == 1, "no system notification when switched off"
    assert app.notifier.last == ("Visit overdue", "Check on your colleague"), "the lock screen still says it"
    dialog.reject()
    app.notifier.tray = None
    assert load(QSettings()).notifications is False


def test_notifier_test_reports_whether_the_desktop_has_a_tray(qtbot, app) -> None:
    assert Notifier(app.window, tray_available=False).test() is False
    with_tray = Notifier(app.window, tray_available=False)
    with_tray.tray = FakeTray()  # type: ignore[assignment]
    assert with_tray.test() is True


def test_settings_not_understood_fall_back_to_the_defaults(qtbot) -> None:
    store = QSettings()
    for key, value in zip(KEYS, ("purple", "333", "x", "maybe"), strict=True):
        store.setValue(key, value)
    assert load(store) == Preferences(theme="system", text_percent=100, idle_minutes=5, notifications=True)


@pytest.mark.parametrize(("name", "least"), [("light", 4.5), ("dark", 4.5), ("high_contrast", 7.0)])
def test_every_theme_meets_wcag_contrast_for_text(name, least) -> None:
    colours = {role: QColor(shade) for role, shade in theme.PALETTES[name].items()}
    pairs = [(R.WindowText, R.Window), (R.Text, R.Base), (R.Text, R.AlternateBase), (R.ButtonText, R.Button),
             (R.HighlightedText, R.Highlight), (R.Link, R.Base), (R.PlaceholderText, R.Base),
             (R.ToolTipText, R.ToolTipBase)]  # fmt: skip
    ratios = {(f.name, b.name): theme.contrast(colours[f], colours[b]) for f, b in pairs}
    assert min(ratios.values()) >= least, ratios
    disabled = theme.palette(name).color(QPalette.ColorGroup.Disabled, R.Text)
    assert theme.contrast(disabled, colours[R.Base]) >= 4.5
    assert theme.contrast(disabled, colours[R.Window]) >= 4.5


@pytest.mark.parametrize("name", ["light", "dark", "high_contrast"])
def test_risk_colours_are_readable_and_the_banner_levels_distinguishable(name) -> None:
    shades = {"light": theme._LIGHT, "dark": theme._DARK, "high_contrast": theme._HIGH_CONTRAST}[name]
    least = 7.0 if name == "high_contrast" else 4.5
    for background in (R.Window, R.Base):
        ground = QColor(theme.PALETTES[name][background])
        for level in ("high", "medium", "low"):
            assert theme.contrast(QColor(shades[level]), ground) >= least, (level, background.name)
    levels = [QColor(shades[level]) for level in ("high", "medium", "low")]
    hues = sorted(c.hslHue() for c in levels)
    assert min(b - a for a, b in itertools.pairwise(hues)) >= 30, "the three levels differ in hue"


def test_the_contrast_ratio_is_wcags() -> None:
    assert theme.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert theme.contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert theme.contrast(QColor("#123456"), QColor("#123456")) == pytest.approx(1.0)


def test_a_new_theme_recolours_the_banners_and_high_contrast_edges_every_box(qtbot, app) -> None:
    open_first_client(qtbot, app)
    banner = app.client_view.banner
    assert banner.flags, "the first demo client has risk flags"
    level = highest(banner.flags)
    dialog = _open(qtbot, app)
    _choose(dialog.theme, "high_contrast")
    assert "border: 1px solid #ffffff" in QApplication.instance().styleSheet()
    assert f"solid {theme.colour(level).name()}" in banner.styleSheet()
    assert theme.colour("high").name() == "#ff9e9e" in app.visit_banner.sos_button.styleSheet()
    _choose(dialog.theme, "light")
    assert QApplication.instance().styleSheet() == ""
    assert f"solid {theme.colour(level).name()}" in banner.styleSheet()
    assert "#b3261e" in app.visit_banner.sos_button.styleSheet()
    dialog.reject()


def test_notifications_switched_off_stay_off_at_the_next_start(qtbot, app) -> None:
    QSettings().setValue("notifications/enabled", "false")
    assert app.notifier.enabled
    SettingsFlow(app.window, app.idle, app.notifier, app.vault_flow)
    assert app.notifier.enabled is False


def test_applying_the_theme_already_shown_touches_no_widget(qtbot, monkeypatch) -> None:
    """Every window built applies the chosen theme; when it is the one already shown nothing is
    restyled (restyling walks every widget of the application: each start would cost more)."""
    theme.apply("dark", 125)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    touched: list[str] = []
    for name in ("setStyle", "setPalette", "setFont", "setStyleSheet"):
        monkeypatch.setattr(app, name, lambda *_a, _n=name: touched.append(_n))
    monkeypatch.setattr(app, "allWidgets", lambda: touched.append("allWidgets") or [])
    theme.apply("dark", 125)
    assert touched == []
    theme.apply("dark", 150)
    assert "setFont" in touched
    monkeypatch.undo()
    theme.apply("system", 100)
