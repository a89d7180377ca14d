"""Colours that stay readable in light, dark and high-contrast mode, and the app's theme and text
size (chosen in Settings, ui/flows/settings.py). Everything else comes from the palette.

``apply`` sets the whole application's palette and font: "system" keeps what the desktop gave,
the others are Qt's Fusion style with a palette whose text meets WCAG's contrast (4.5:1 in light
and dark, 7:1 in high contrast; tests/desktop/ui/test_settings.py computes them).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark", "high_contrast")
TEXT_SIZES = (100, 125, 150, 175, 200)  # per cent of the desktop's text size

_LIGHT = {"high": "#b3261e", "medium": "#8a5100", "low": "#2e6b30", "error": "#b3261e"}
_DARK = {"high": "#ff8a80", "medium": "#ffc46b", "low": "#8fd694", "error": "#ff8a80"}
_HIGH_CONTRAST = {"high": "#ff9e9e", "medium": "#ffe14d", "low": "#5cff7a", "error": "#ff9e9e"}
# Words and symbols that go with each level, so colour is never the only signal.
RISK_WORDS = {"high": "▲ HIGH", "medium": "◆ MEDIUM", "low": "● LOW"}

R = QPalette.ColorRole
# Each role's colour in the light, dark and high-contrast themes (the ones that set their own).
_SHADES: dict[QPalette.ColorRole, tuple[str, str, str]] = {
    R.Window: ("#f3f3f3", "#202124", "#000000"),
    R.WindowText: ("#1a1a1a", "#e8eaed", "#ffffff"),
    R.Base: ("#ffffff", "#17181a", "#000000"),
    R.AlternateBase: ("#f0f0f0", "#26272b", "#1a1a1a"),
    R.Text: ("#1a1a1a", "#e8eaed", "#ffffff"),
    R.Button: ("#e4e4e4", "#303134", "#000000"),
    R.ButtonText: ("#1a1a1a", "#e8eaed", "#ffffff"),
    R.Highlight: ("#0b57d0", "#8ab4f8", "#ffff00"),
    R.HighlightedText: ("#ffffff", "#0b0b0b", "#000000"),
    R.Link: ("#0b57d0", "#8ab4f8", "#00ffff"),
    R.LinkVisited: ("#6a1b9a", "#d7aefb", "#ff80ff"),
    R.PlaceholderText: ("#5f6368", "#9aa0a6", "#d0d0d0"),
    R.ToolTipBase: ("#ffffff", "#303134", "#000000"),
    R.ToolTipText: ("#1a1a1a", "#e8eaed", "#ffffff"),
    # Fusion draws the edges of boxes and buttons in these: white in high contrast, so every edge shows.
    R.Light: ("#ffffff", "#505357", "#ffffff"),
    R.Midlight: ("#e0e0e0", "#3c3f43", "#ffffff"),
    R.Mid: ("#a0a0a0", "#5f6368", "#ffffff"),
    R.Dark: ("#8a8a8a", "#111214", "#ffffff"),
    R.Shadow: ("#505050", "#000000", "#ffffff"),
    R.BrightText: ("#ffffff", "#ffffff", "#ffffff"),
}
# role: colour, for each theme that sets its own palette.
PALETTES: dict[str, dict[QPalette.ColorRole, str]] = {
    name: {role: shades[i] for role, shades in _SHADES.items()}
    for i, name in enumerate(("light", "dark", "high_contrast"))
}
# Greyed-out (disabled) text, still readable: 4.5:1 on the theme's window and base.
_DISABLED = {"light": "#6b6b6b", "dark": "#9a9a9a", "high_contrast": "#c0c0c0"}


class _Changes(QObject):
    """``changed`` after a new theme or text size: widgets that put a colour of this module in a
    style sheet connect to it and put the new one in (a receiver that is gone is disconnected)."""

    changed = Signal()


changes = _Changes()
# In high contrast every box shows its edge, and the one with the focus a thick yellow one.
HIGH_CONTRAST_SHEET = (
    "QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox, QComboBox { border: 1px solid #ffffff; padding: 2px; }"
    " QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus, QComboBox:focus,"
    " QAbstractItemView:focus { border: 2px solid #ffff00; }"
)
_desktop: dict[str, object] = {}  # the style, palette and font the desktop gave, before any theme
_chosen = {"theme": "system"}
_shown: list[tuple[str, int]] = [("system", 100)]  # what the application shows now


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(name: str) -> QColor:
    """A risk level ("high", "medium", "low") or "error", in a shade readable on this palette."""
    shades = _HIGH_CONTRAST if _chosen["theme"] == "high_contrast" else _DARK if is_dark() else _LIGHT
    return QColor(shades.get(name, "#888888"))


def palette(theme: str) -> QPalette:
    """The palette of a theme that sets its own ("light", "dark", "high_contrast")."""
    result = QPalette()
    for role, shade in PALETTES[theme].items():
        result.setColor(role, QColor(shade))
    for role in (R.WindowText, R.Text, R.ButtonText, R.PlaceholderText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED[theme]))
    return result


def apply(theme: str, text_percent: int) -> None:
    """Give the whole application `theme` and its text at `text_percent` of the desktop's size."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    wanted = (theme if theme in PALETTES else "system", text_percent)
    if wanted == _shown[0]:
        return  # restyling walks every widget of the application: only for a real change
    _shown[0] = wanted
    if not _desktop:
        _desktop.update(style=app.style().name(), palette=QPalette(app.palette()), font=QFont(app.font()))
    if theme in PALETTES:
        app.setStyle("Fusion")
        app.setPalette(palette(theme))
    else:
        app.setStyle(str(_desktop["style"]))
        app.setPalette(_desktop["palette"])  # type: ignore[arg-type]
    _chosen["theme"] = theme if theme in PALETTES else "system"
    app.setStyleSheet(HIGH_CONTRAST_SHEET if theme == "high_contrast" else "")
    font = QFont(_desktop["font"])  # type: ignore[call-overload]
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * text_percent / 100)
    else:
        font.setPixelSize(round(font.pixelSize() * text_percent / 100))
    app.setFont(font)
    # A widget with its own style sheet keeps the palette and font it was polished with: again.
    for widget in app.allWidgets():
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())
    changes.changed.emit()


def current() -> str:
    return _chosen["theme"]


def luminance(shade: QColor) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(shade.redF()) + 0.7152 * linear(shade.greenF()) + 0.0722 * linear(shade.blueF())


def contrast(one: QColor, other: QColor) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
