"""No two things on one screen answer to the same Alt+letter: the menu bar's menus and every
button, tab and labelled field the screen shows (Alt+R was both the Record menu and "Raise a risk
flag")."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QToolButton, QWidget

from tests.desktop.ui.helpers import open_first_client, wait_idle

MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonics(window, screen: QWidget) -> list[tuple[str, str]]:
    """(letter, where) for the menu bar and what `screen` shows."""
    found = [(_letter(a.text()), f"menu {a.text()}") for a in window.menuBar().actions()]
    for button in screen.findChildren(QAbstractButton):
        if button.isVisibleTo(window) and not isinstance(button, QToolButton):
            found.append((_letter(button.text()), f"button {button.text()}"))
    for label in screen.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(window):
            found.append((_letter(label.text()), f"label {label.text()}"))
    for bar in screen.findChildren(QTabBar):
        if bar.isVisibleTo(window):
            found += [(_letter(bar.tabText(i)), f"tab {bar.tabText(i)}") for i in range(bar.count())]
    for box in screen.findChildren(QGroupBox):
        if box.isVisibleTo(window):
            found.append((_letter(box.title()), f"group {box.title()}"))
    return [(letter, where) for letter, where in found if letter]


def clashes(window, screen: QWidget) -> dict[str, list[str]]:
    pairs = mnemonics(window, screen)
    twice = {letter for letter, n in Counter(letter for letter, _ in pairs).items() if n > 1}
    return {letter: [where for lt, where in pairs if lt == letter] for letter in sorted(twice)}


def test_alt_r_is_the_record_menu_only_on_the_client_screen(qtbot, app) -> None:
    open_first_client(qtbot, app)
    view = app.client_view
    risk_tab = next(i for i in range(view.tabs.count()) if "isk" in view.tabs.tabText(i))
    view.tabs.setCurrentIndex(risk_tab)
    assert view.raise_risk.isVisibleTo(app.window)
    letters = dict(mnemonics(app.window, view))
    assert _letter(view.raise_risk.text()) != "r"
    assert "r" not in [lt for lt, where in mnemonics(app.window, view) if not where.startswith("menu")]
    assert letters  # the walk found the screen's mnemonics


def test_no_screen_has_two_things_on_one_alt_letter(qtbot, app) -> None:
    open_first_client(qtbot, app)
    found = {}
    for name, screen in app.window.screens.items():
        if name in ("create", "unlock"):
            continue
        app.window.show_screen(name)
        wait_idle(qtbot, app)
        tabs = getattr(screen, "tabs", None)
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
            where = f"{name}" + (f" / {tabs.tabText(index)}" if tabs is not None else "")
            if clash := clashes(app.window, screen):
                found[where] = clash
    assert found == {}, "\n".join(f"{w}: {c}" for w, c in found.items())


def test_the_settings_dialog_has_no_two_things_on_one_alt_letter(qtbot, app) -> None:
    app.settings.action.trigger()
    qtbot.waitUntil(lambda: app.settings.dialog is not None and app.settings.dialog.isVisible())
    dialog = app.settings.dialog
    found = [(_letter(b.text()), b.text()) for b in dialog.findChildren(QAbstractButton)]
    found += [(_letter(lb.text()), lb.text()) for lb in dialog.findChildren(QLabel) if lb.buddy() is not None]
    letters = [letter for letter, _ in found if letter]
    assert len(letters) >= 5, found  # theme, text size, lock after, notifications, test, close
    assert len(letters) == len(set(letters)), found
    dialog.reject()
