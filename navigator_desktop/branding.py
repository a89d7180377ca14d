"""The app's identity on the desktop: its id (matching resources/*.desktop) and its icon."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

APP_ID = "uk.nhs.navigator"


def icon_file() -> Path | None:
    """The 256 px icon: inside a PyInstaller bundle, or in the source tree's resources/."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources" / f"{APP_ID}.png")
    source = Path(__file__).resolve().parents[1] / "resources" / "icons" / "hicolor"
    candidates.append(source / "256x256" / "apps" / f"{APP_ID}.png")
    return next((path for path in candidates if path.is_file()), None)


def app_icon() -> QIcon:
    """The installed theme's icon when there is one (it scales best), else the bundled PNG."""
    found = icon_file()
    return QIcon.fromTheme(APP_ID, QIcon(str(found)) if found else QIcon())
