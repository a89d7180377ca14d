"""Colours that stay readable in light and dark mode. Everything else comes from the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_LIGHT = {"high": "#b3261e", "medium": "#8a5100", "low": "#2e6b30", "error": "#b3261e"}
_DARK = {"high": "#ff8a80", "medium": "#ffc46b", "low": "#8fd694", "error": "#ff8a80"}
# Words and symbols that go with each level, so colour is never the only signal.
RISK_WORDS = {"high": "▲ HIGH", "medium": "◆ MEDIUM", "low": "● LOW"}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(name: str) -> QColor:
    """A risk level ("high", "medium", "low") or "error", in a shade readable on this palette."""
    return QColor((_DARK if is_dark() else _LIGHT).get(name, "#888888"))
