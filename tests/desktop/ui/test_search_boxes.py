"""Every search box on every screen takes Enter and Down to its results (widgets/search_keys.py):
the walk finds each box by what it says it is for, and drives both keys."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from navigator_desktop.ui.widgets.search_keys import HINT, SearchKeys
from tests.desktop.ui.helpers import open_first_client, wait_idle

WORDS = ("search", "find", "filter", "look for")


def is_search_box(line: QLineEdit) -> bool:
    said = f"{line.placeholderText()} {line.accessibleName()} {line.objectName()}".lower()
    return any(word in said for word in WORDS)


def search_boxes(screen: QWidget) -> list[QLineEdit]:
    return [line for line in screen.findChildren(QLineEdit) if is_search_box(line)]


def _keys(box: QLineEdit) -> SearchKeys | None:
    return next(iter(box.findChildren(SearchKeys)), None)


def _with_rows(qtbot, app, name: str, keys: SearchKeys) -> None:
    """Whatever the screen needs to have results to reach (its lists are filled by its flow)."""
    if name == "on_call":
        app.on_call.refresh()
    qtbot.waitUntil(
        lambda: any(v.isVisible() and v.model().rowCount() > 0 for v in keys.lists), timeout=20_000
    )


def test_every_search_box_on_every_screen_reaches_its_results(qtbot, app) -> None:
    open_first_client(qtbot, app)
    walked: list[str] = []
    for name, screen in app.window.screens.items():
        if name in ("create", "unlock"):
            continue
        app.window.show_screen(name)
        wait_idle(qtbot, app)
        for box in search_boxes(screen):
            keys = _keys(box)
            assert keys is not None, f"{name}: {box.objectName() or box.placeholderText()} has no Enter/Down"
            assert box.toolTip() == HINT
            box.clear()
            _with_rows(qtbot, app, name, keys)
            opened: list[QModelIndex] = []
            keys.open_result = opened.append  # type: ignore[method-assign]
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Return)
            assert len(opened) == 1 and opened[0].row() == 0, f"{name}: Enter did not open the first result"
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Down)
            target = app.window.focusWidget()
            assert target in keys.lists and target.currentIndex().row() == 0, (
                f"{name}: Down did not reach the list"
            )
            walked.append(name)
    assert {"caseload", "on_call"} <= set(walked), walked


def test_the_walk_knows_a_search_box_from_an_entry_box() -> None:
    search, entry = QLineEdit(), QLineEdit()
    search.setPlaceholderText("Search names and notes (Ctrl+F)")
    entry.setPlaceholderText("A new step for this goal, then Enter")
    assert is_search_box(search) and not is_search_box(entry)
